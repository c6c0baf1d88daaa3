"""The public verification form: a JSON file or a baked PNG, or pasted JSON."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

MAX_CREDENTIAL_BYTES = 512 * 1024  # an issued credential is a few kilobytes; a badge ~50 KB


class VerifyForm(FlaskForm):
    upload = FileField("Credential file (optional)",
                       description="The credential’s JSON file, or its baked PNG badge.")
    pasted = TextAreaField("Or paste the credential’s JSON", validators=[
        Optional(), Length(max=MAX_CREDENTIAL_BYTES,
                           message="That is longer than any credential this site issues.")])
