"""Forms for editing, importing and comparing competency frameworks."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import ActionForm, SelectField  # noqa: F401  (views import ActionForm from here)
from ..requests import database_id
from .services import MAX_SIGNOFFS


def optional_int(value):
    """Coerce a select's value to an id, with '', junk or an id no row has meaning 'none chosen'."""
    try:
        return database_id(value)
    except ValueError:
        return None


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])


class FrameworkForm(FlaskForm):
    name = StringField("Framework name", validators=[
        DataRequired("Enter a name for the framework."), Length(max=160)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20_000)],
                                description="What the framework is for. You can use Markdown.")


class AreaForm(FlaskForm):
    title = StringField("Area title", validators=[DataRequired("Enter a title for the area."),
                                                  Length(max=160)],
                        description="A coaching function, for example “Vision & planning”.")
    description = TextAreaField("Description", validators=[Optional(), Length(max=20_000)])


class CompetencyForm(FlaskForm):
    area_id = SelectField("Area", coerce=optional_int, validate_choice=False)
    code = StringField("Code", validators=[DataRequired("Enter a code, like VP1."),
                                           Length(max=32)],
                       description="Keep the same code across versions for the same "
                                   "competency: sign-offs follow the code.")
    title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=200)])
    description = TextAreaField("What it looks like", validators=[Optional(),
                                                                  Length(max=20_000)])
    evidence_guidance = TextAreaField("Evidence guidance",
                                      validators=[Optional(), Length(max=20_000)],
                                      description="What a candidate could show to demonstrate "
                                                  "it.")
    developer_signoffs_required = IntegerField(
        "Coach developer sign-offs needed",
        validators=[InputRequired("Enter how many coach developer sign-offs are needed."),
                    NumberRange(0, MAX_SIGNOFFS, f"Enter a number from 0 to {MAX_SIGNOFFS}.")])
    peer_signoffs_required = IntegerField(
        "Peer sign-offs needed",
        validators=[InputRequired("Enter how many peer sign-offs are needed."),
                    NumberRange(0, MAX_SIGNOFFS, f"Enter a number from 0 to {MAX_SIGNOFFS}.")])


class ImportForm(FlaskForm):
    file = FileField("Framework file", validators=[FileRequired("Choose a file to import.")],
                     description="A .json file exported from here, or a .csv file with one "
                                 "row per competency.")
    name = StringField("Framework name", validators=[Optional(), Length(max=160)],
                       description="Needed for a CSV file. For JSON, leave blank to use the "
                                   "name in the file.")
