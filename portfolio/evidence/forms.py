"""Forms for the evidence library and for attaching evidence to entries."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import ActionForm  # noqa: F401  (views import it from here)

MAX_FILES_PER_UPLOAD = 20


class UploadForm(FlaskForm):
    files = MultipleFileField(
        "Choose files",
        description="Up to 20 files at a time. PDF, photos (JPEG, PNG, WebP), video (MP4, MOV, "
                    "WebM), audio (MP3, M4A, WAV), Word, Excel, PowerPoint, OpenDocument text, "
                    "CSV or plain text.")

    def chosen_files(self):
        """The files actually chosen (browsers send an empty part when none is)."""
        return [item for item in (self.files.data or []) if getattr(item, "filename", "")]

    def validate_files(self, field):
        chosen = self.chosen_files()
        if not chosen:
            raise ValidationError("Choose at least one file to upload.")
        if len(chosen) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(f"Choose up to {MAX_FILES_PER_UPLOAD} files at a time.")


class LinkForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title."), Length(max=200, message="Title must be 200 characters or "
                                                                "fewer.")],
        description="For example “County championships 200m final”.")
    url = URLField("Web address", validators=[DataRequired("Enter the web address.")],
                   description="Starting with https:// — for example an unlisted video.")
    description = TextAreaField("Description (optional)", validators=[
        Optional(), Length(max=5000, message="Description must be 5,000 characters or fewer.")],
        description="What it shows and why it matters. Do not name athletes.")


class DetailsForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title."),
        Length(max=200, message="Title must be 200 characters or fewer.")])
    description = TextAreaField("Description (optional)", validators=[
        Optional(), Length(max=5000, message="Description must be 5,000 characters or fewer.")],
        description="What it shows and why it matters. Do not name athletes.")


class ChooseEvidenceForm(FlaskForm):
    evidence_id = HiddenField(validators=[DataRequired()])

