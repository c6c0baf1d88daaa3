"""Forms for making a personal access token and registering a client system."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import SelectField, options
from .scopes import CLIENT_RESOURCES, RESOURCES
from .services import EXPIRY_CHOICES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[
        DataRequired("Give the token a name, so you can tell it apart later."),
        Length(max=120)], description="What will use it, such as “my spreadsheet”.")
    access = RadioField("What the token may do", default="read", choices=options([
        ("read", "Read only"), ("write", "Read, and start draft entries")]))
    resources = MultiCheckboxField("What the token may read", choices=options(
        RESOURCES.items()), validate_choice=True)
    days = SelectField("Expires after", default="30", choices=options(
        (str(days), f"{days} days") for days in EXPIRY_CHOICES))


class ClientForm(FlaskForm):
    name = StringField("System name", validators=[
        DataRequired("Name the system, such as the learning management system."),
        Length(max=120)])
    resources = MultiCheckboxField("What the system may read", choices=options(
        (name, RESOURCES[name]) for name in CLIENT_RESOURCES), validate_choice=True)
    years = MultiCheckboxField("Programme years it may read", choices=[], coerce=str)
