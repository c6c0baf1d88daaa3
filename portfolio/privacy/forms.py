"""Forms for the personal data pages."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired


class DownloadForm(FlaskForm):
    """Only the CSRF token: downloading everything is a deliberate POST."""


class EraseForm(FlaskForm):
    confirmation = StringField("Type the person's email address to confirm", validators=[
        DataRequired("Type the email address shown above to confirm.")])
