"""Forms for templates and observation records. The services check every rule again; these
say what is missing next to the field. A record's form carries the lock_version the page was
drawn from, so a change from an out-of-date tab is a conflict, not an overwrite."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import SelectField, options
from ..requests import database_id, whole_number
from .models import AGE_BANDS, SESSION_KINDS, ObservationTemplate
from .services import MAX_ATHLETES, MAX_TEXT, MAX_VENUE, ObservationData
from .templates import MAX_NAME, MAX_PROMPT, TemplateDraft

STRUCTURE_HINT = ("One section a line starting with “##”, then its criteria a line each "
                  "starting with “-”. Map a criterion to competencies with their codes in "
                  "square brackets at the end, for example “- Feedback is short and clear "
                  "[RC1, TC1]”.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LockedForm(FlaskForm):
    """A change to something others may change too: carries the version it was drawn from."""

    lock_version = HiddenField()

    def validate_lock_version(self, field) -> None:
        if whole_number(field.data) is None:
            raise ValidationError("This page is out of date. Open it again.")

    def expected_lock(self) -> int | None:
        return whole_number(self.lock_version.data)


class TemplateForm(FlaskForm):
    name = StringField("Name", validators=[
        InputRequired("Enter a name for the template."),
        Length(max=MAX_NAME, message=f"The name must be {MAX_NAME} characters or fewer.")],
        description="For example “Session observation”.")
    description = TextAreaField("What it is for (optional)", validators=[
        Optional(), Length(max=MAX_PROMPT, message=f"Keep it to {MAX_PROMPT} characters.")])
    structure = TextAreaField("Sections and criteria",
                              validators=[InputRequired("Add at least one criterion.")],
                              description=STRUCTURE_HINT)
    scale = TextAreaField("Rating scale", validators=[InputRequired("Give the rating scale.")],
                          description="One point a line, lowest first, for example “Not yet”, "
                                      "“Developing”, “Secure”, “Strength”.")
    strengths_prompt = TextAreaField("Prompt for strengths", validators=[
        Optional(), Length(max=MAX_PROMPT, message=f"Keep it to {MAX_PROMPT} characters.")])
    next_steps_prompt = TextAreaField("Prompt for next steps", validators=[
        Optional(), Length(max=MAX_PROMPT, message=f"Keep it to {MAX_PROMPT} characters.")])
    peers_may_record = BooleanField("Candidates in the peer group may record on it too")

    def to_draft(self) -> TemplateDraft:
        return TemplateDraft(
            name=self.name.data or "", structure=self.structure.data or "",
            scale=self.scale.data or "", description=self.description.data or "",
            strengths_prompt=self.strengths_prompt.data or "",
            next_steps_prompt=self.next_steps_prompt.data or "",
            peers_may_record=bool(self.peers_may_record.data))


class NewTemplateForm(TemplateForm):
    framework = SelectField("Framework version", coerce=database_id,
                            invalid_value_message="Choose a framework version from the list.")


class EditTemplateForm(LockedForm, TemplateForm):
    pass


class ObservationForm(LockedForm):
    observed_on = DateField("Date of the session",
                            validators=[InputRequired("Enter the date of the session.")])
    venue = StringField("Venue", validators=[
        Optional(), Length(max=MAX_VENUE, message=f"Keep the venue to {MAX_VENUE} characters.")],
        description="For example “Lee Valley Athletics Centre, back straight”.")
    session_kind = RadioField("Type of session", choices=options(SESSION_KINDS.items()),
                              default="training")
    age_band = SelectField("Age band of the athletes", choices=options(AGE_BANDS.items()),
                           default="senior")
    para_athletes = BooleanField("The group includes para athletes")
    athletes = StringField("The athletes (optional)", validators=[
        Optional(), Length(max=MAX_ATHLETES,
                           message=f"Keep this to {MAX_ATHLETES} characters.")],
        description="Without names, for example “six U17 sprinters, two in their first "
                    "season”.")
    strengths = TextAreaField("Strengths", validators=[
        Length(max=MAX_TEXT, message=f"Keep strengths to {MAX_TEXT:,} characters.")])
    next_steps = TextAreaField("Next steps", validators=[
        Length(max=MAX_TEXT, message=f"Keep next steps to {MAX_TEXT:,} characters.")])
    competencies = MultiCheckboxField("Competencies this session showed", coerce=database_id,
                                      invalid_value_message="Choose competencies from the list.")

    criteria: tuple = ()

    def rating_fields(self):
        return [(criterion, self[f"rating_{criterion['key']}"]) for criterion in self.criteria]

    def to_data(self) -> ObservationData:
        ratings = {}
        for criterion, field in self.rating_fields():
            ratings[criterion["key"]] = whole_number(field.data) if field.data else None
        return ObservationData(
            observed_on=self.observed_on.data, venue=self.venue.data or "",
            session_kind=self.session_kind.data or "", age_band=self.age_band.data or "",
            para_athletes=bool(self.para_athletes.data), athletes=self.athletes.data or "",
            ratings=ratings, strengths=self.strengths.data or "",
            next_steps=self.next_steps.data or "",
            competency_ids=list(self.competencies.data or []))


def build_observation_form(template: ObservationTemplate, competency_choices, *,
                           submitted: bool = False, data=None,
                           locked: bool = True) -> ObservationForm:
    """The record form for one template: a rating question per criterion."""
    scale = options([("", "Not rated"), *((str(index), label) for index, label
                                          in enumerate(template.scale))])

    class TemplateObservationForm(ObservationForm):
        pass

    for criterion in template.criteria:
        setattr(TemplateObservationForm, f"rating_{criterion['key']}",
                RadioField(criterion["text"], choices=scale, default="",
                           validate_choice=True))
    TemplateObservationForm.criteria = tuple(template.criteria)
    if not locked:  # a new record has no earlier version to conflict with
        TemplateObservationForm.validate_lock_version = None
    form = TemplateObservationForm(data=data) if submitted else \
        TemplateObservationForm(formdata=None, data=data)
    form.competencies.choices = options(competency_choices)
    return form
