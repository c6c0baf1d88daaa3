"""Sign-in, password and invitation forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

EMAIL_REQUIRED = DataRequired("Enter your email address.")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[EMAIL_REQUIRED, Length(max=254)],
                       render_kw={"autocomplete": "username", "spellcheck": "false"})
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Sign in")


class NewPasswordMixin:
    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password."), Length(min=10, max=256,
                    message="Password must be between 10 and 256 characters.")],
        description="At least 10 characters. A few unrelated words make a strong password.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Enter the new password again."),
                    EqualTo("password", message="The passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Change password")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email address",
                       validators=[EMAIL_REQUIRED, Email("Enter a valid email address."),
                                   Length(max=254)],
                       render_kw={"autocomplete": "email"})
    submit = SubmitField("Send reset link")


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField("Set new password")


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    display_name = StringField("Your name", validators=[
        DataRequired("Enter your name."), Length(max=120)],
        description="Shown to your coach developer and peer group.",
        render_kw={"autocomplete": "name"})
    submit = SubmitField("Create account")


class EmailPreferenceForm(FlaskForm):
    email_preference = RadioField(
        "Email me about activity",
        choices=[SelectChoice("immediate", "Straight away"),
                 SelectChoice("daily", "Once a day, as a digest"),
                 SelectChoice("off", "Never (I will check in the app)")],
    )
    submit = SubmitField("Save preference")
