"""Forms for scheduling panels, submitting a showcase, notes, the outcome and outcome options."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..forms import SelectField
from ..requests import database_id
from .services import MAX_EXTENSION_MONTHS, MAX_NOTES, MAX_REASONS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _optional_id(value):
    return None if value in (None, "") else database_id(value)


class ScheduleForm(FlaskForm):
    candidates = MultiCheckboxField(
        "Candidates", coerce=database_id, invalid_value_message="Choose candidates from the list.",
        validators=[DataRequired("Choose at least one candidate.")],
        description="Each candidate gets their own panel with the same date, window and members.")
    panel_on = DateField("Panel date", validators=[InputRequired("Enter the panel date.")])
    window_opens_on = DateField(
        "Review window opens", validators=[InputRequired("Enter the day the window opens.")],
        description="Candidates submit a showcase until this day; from it, members read it.")
    window_closes_on = DateField(
        "Review window closes", validators=[InputRequired("Enter the day the window closes.")])
    chair = SelectField("Chair", coerce=_optional_id, validate_choice=False,
                        validators=[InputRequired("Choose the chair.")],
                        description="A programme lead or admin: they record the outcome.")
    members = MultiCheckboxField(
        "Panel members", coerce=database_id, validators=[Optional()],
        invalid_value_message="Choose members from the list.",
        description="The cohort's coach developers and the programme leads.")
    external_name = StringField("External assessor's name (optional)",
                                validators=[Optional(), Length(max=120)])
    external_email = EmailField(
        "External assessor's email (optional)", validators=[Optional(), Length(max=254)],
        description="They get a one-time link to set up an account that opens only their panels.")


class SubmitShowcaseForm(FlaskForm):
    showcase = SelectField("Showcase to submit", coerce=_optional_id, validate_choice=False,
                           validators=[InputRequired("Choose one of your showcases.")],
                           description="The panel reads a copy made now; later changes to your "
                                       "showcase do not reach it unless you submit again.")


class NoteForm(FlaskForm):
    body = TextAreaField(
        "Your notes", validators=[Length(max=MAX_NOTES, message=f"Keep your notes to "
                                         f"{MAX_NOTES:,} characters or fewer.")],
        description="Read by the panel's members only, never by the candidate. "
                    "You can use Markdown.")
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class OutcomeForm(FlaskForm):
    option = RadioField("Outcome", coerce=_optional_id, validate_choice=False,
                        validators=[InputRequired("Choose an outcome.")])
    extension_months = IntegerField(
        "Extension in months", validators=[Optional(), NumberRange(
            1, MAX_EXTENSION_MONTHS, f"Enter a number of months from 1 to "
                                     f"{MAX_EXTENSION_MONTHS}.")],
        description="Only for an outcome that extends the programme.")
    reasons = TextAreaField(
        "Reasons", validators=[DataRequired("Give the reasons for the outcome."), Length(
            max=MAX_REASONS, message=f"Keep the reasons to {MAX_REASONS:,} characters or "
                                     "fewer.")],
        description="The candidate reads these with the outcome. You can use Markdown.")


class OptionForm(FlaskForm):
    label = StringField("Name", validators=[DataRequired("Enter the outcome's name."),
                                            Length(max=80)],
                        description="Write N where the number of months goes, for example "
                                    "“Extend by N months”.")
    completes_programme = BooleanField("Completes the programme")
    needs_extension = BooleanField("Extends the programme by a number of months")
    position = IntegerField("Order in the list", default=0,
                            validators=[Optional(), NumberRange(0, 1000)])
    retired = BooleanField("Retired (no longer offered)")
