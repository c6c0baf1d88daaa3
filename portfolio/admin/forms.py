"""Forms for account administration."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..forms import ActionForm  # noqa: F401  (views import it from here)


class InviteUserForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter an email address."), Email("Enter a valid email address."),
        Length(max=254)])
    display_name = StringField("Name", validators=[Optional(), Length(max=120)],
                               description="They can change it when they accept.")
    programme_lead = BooleanField("Programme lead")
    admin = BooleanField("Admin")
    submit = SubmitField("Send invitation")


class RoleForm(FlaskForm):
    role = HiddenField(validators=[DataRequired()])
    action = HiddenField(validators=[DataRequired()])


class DetailsForm(FlaskForm):
    display_name = StringField("Name", validators=[
        DataRequired("Enter the person's name."), Length(max=120)])
    email = EmailField("Email address", validators=[
        DataRequired("Enter an email address."), Email("Enter a valid email address."),
        Length(max=254)], description="They sign in with it, and emails go to it.")
