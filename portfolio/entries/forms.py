"""Forms for entries, the philosophy statement, goals and the portfolio filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from ..forms import ActionForm, SelectField, options  # noqa: F401  (views import ActionForm from here)
from ..once import SentOnce
from ..requests import database_id, whole_number
from ..reviews.status import ENTRY_FILTER_WORDS
from .goals import GoalData
from .models import GOAL_STATUSES, PRIVACY_TIERS, SESSION_TYPES, Entry
from .reflection_models import ALL_PROMPT_KEYS, MODELS, PROMPTS, model_for
from .services import EntryDraft
from .vocabulary import (
    ATHLETES_MAX_CHARS,
    EVENT_GROUPS,
    GOAL_TEXT_MAX_CHARS,
    PHILOSOPHY_MAX_CHARS,
    SECTION_MAX_CHARS,
    normalise_text,
)

# An id no competency could have (junk, or past the column's range) is the field's error.
CHOOSE_LISTED = "Choose competencies from the list."
ANONYMISE_HINT = ("Describe them without names, for example “four U17 sprinters, two in their "
                  "first season”. Leave out anything that identifies an athlete, especially "
                  "anyone under 18.")


class WritingField(TextAreaField):
    """A textarea whose text keeps the author's words exactly, with \\n line endings."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = normalise_text(self.data)


class PracticeDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a real date, for example 14 March 2026.") from error


def within(limit: int, name: str):
    """Refuse text over `limit` characters with a message that says the text is still here."""
    def check(form, field):
        count = len(field.data or "")
        if count > limit:
            raise ValidationError(
                f"“{name}” is {count:,} characters long, over the limit of {limit:,}. Your text "
                "is still in the box: shorten it, or move part of it into another entry.")
    return check


choice_list = options


def _tier_choices():
    return choice_list(PRIVACY_TIERS.items())


class EntryForm(FlaskForm):
    # The views check the CSRF token themselves: an expired token must re-show the text,
    # not throw it away on a generic error page.
    class Meta:
        csrf = False

    title = StringField("Title", validators=[within(200, "Title")],
                        description="A short name you will recognise later, for example "
                                    "“Block starts with the U17 group”.")
    practice_date = PracticeDateField("Date of the practice", validators=[Optional()])
    session_type = RadioField("Type of session", choices=choice_list(SESSION_TYPES.items()),
                              default="training")
    event_group = SelectField("Event group", choices=choice_list([
        ("", "Not specific to one event group"), *((name, name) for name in EVENT_GROUPS)]))
    athletes = WritingField("The athletes", validators=[within(ATHLETES_MAX_CHARS, "The athletes")],
                            description=ANONYMISE_HINT)
    reflection_model = SelectField("Reflection model",
                                   choices=choice_list((key, model.name)
                                                       for key, model in MODELS.items()))
    privacy = RadioField("Who can see this entry", choices=_tier_choices(), default="private")
    competencies = SelectMultipleField("Competencies this entry shows", coerce=database_id,
                                       validate_choice=False, invalid_value_message=CHOOSE_LISTED)
    tags = StringField("Tags", validators=[Length(max=600, message="Use fewer or shorter tags.")],
                       description="Separate tags with commas, for example acceleration, "
                                   "U17, wet weather.")
    lock_version = HiddenField()
    owner = HiddenField()
    # Unticked boxes send nothing; this says the competency boxes were on the page.
    claims_shown = HiddenField(default="1")

    section_keys: tuple[str, ...] = ()

    def section(self, key: str):
        return self[f"section_{key}"]

    def expected_lock(self) -> int | None:
        return whole_number(self.lock_version.data)

    def to_draft(self, skip_invalid: bool = False) -> EntryDraft:
        """The posted working copy; with skip_invalid, fields with errors are left out."""
        def ok(field):
            return not (skip_invalid and field.errors)

        draft = EntryDraft()
        for name in ("title", "practice_date", "session_type", "event_group", "athletes",
                     "reflection_model", "privacy"):
            if ok(self[name]) and self[name].raw_data:  # fields not posted stay as they are
                setattr(draft, name, self[name].data)
        if ok(self.competencies) and self.claims_shown.data == "1":
            draft.competency_ids = list(self.competencies.data or [])
        if ok(self.tags):
            draft.tags = self.tags.data or ""
        draft.sections = {key: self.section(key).data or "" for key in self.section_keys
                          if ok(self.section(key))}
        return draft


def section_keys_for(model_key: str | None, sections: dict | None, formdata=None) -> tuple:
    """The model's prompts, then prompts holding saved or posted text from other models."""
    keys = list(model_for(model_key).keys)
    extra = {key for key, text in (sections or {}).items() if text}
    if formdata is not None:
        extra |= {name.removeprefix("section_") for name in formdata
                  if name.startswith("section_")}
    keys += [key for key in PROMPTS if key in extra and key not in keys]
    return tuple(key for key in keys if key in ALL_PROMPT_KEYS)


def build_entry_form(section_keys, competency_choices, formdata=None, data=None) -> EntryForm:
    """An EntryForm with one textarea per reflection section."""
    fields = {}
    for key in section_keys:
        model, prompt = PROMPTS[key]
        fields[f"section_{key}"] = WritingField(
            prompt.title, validators=[within(SECTION_MAX_CHARS, prompt.title)],
            description=prompt.question)
    form_class = type("EntryFormWithSections", (EntryForm,), fields)
    form = form_class(formdata=formdata, data=data)
    form.section_keys = tuple(section_keys)
    form.competencies.choices = competency_choices
    return form


def entry_form_data(entry: Entry, owner_token: str) -> dict:
    """Initial form values from an entry's working copy."""
    data = {
        "title": entry.title, "practice_date": entry.practice_date,
        "session_type": entry.session_type, "event_group": entry.event_group,
        "athletes": entry.athletes, "reflection_model": entry.reflection_model,
        "privacy": entry.chosen_privacy,
        "competencies": [claim.competency_id for claim in entry.claims],
        "tags": ", ".join(tag.name for tag in entry.tags),
        "lock_version": entry.lock_version, "owner": owner_token, "claims_shown": "1",
    }
    for key, text in (entry.sections or {}).items():
        data[f"section_{key}"] = text
    return data


class PhilosophyForm(FlaskForm):
    class Meta:
        csrf = False  # checked by the view so the text survives an expired token

    body = WritingField("Your coaching philosophy",
                        validators=[within(PHILOSOPHY_MAX_CHARS, "Your coaching philosophy")])
    privacy = RadioField("Who can see your statement", choices=_tier_choices(),
                         default="developers")
    lock_version = HiddenField()
    owner = HiddenField()

    def expected_lock(self) -> int | None:
        return whole_number(self.lock_version.data)


class GoalForm(SentOnce, FlaskForm):
    title = StringField("Your goal", validators=[within(200, "Your goal")],
                        description="One sentence, for example “Plan a four-week block that "
                                    "builds towards the indoor season”.")
    description = WritingField("Details (optional)",
                               validators=[within(GOAL_TEXT_MAX_CHARS, "Details")],
                               description="Why it matters and how you will know you got there.")
    target_date = PracticeDateField("Target date (optional)", validators=[Optional()])
    status = RadioField("Status", choices=choice_list(GOAL_STATUSES.items()),
                         default="not_started")
    privacy = RadioField("Who can see this goal", choices=_tier_choices(), default="developers")
    competencies = SelectMultipleField("Competencies this goal develops", coerce=database_id,
                                       validate_choice=False, invalid_value_message=CHOOSE_LISTED)
    lock_version = HiddenField()

    def expected_lock(self) -> int | None:
        return whole_number(self.lock_version.data)

    def to_data(self) -> GoalData:
        return GoalData(title=self.title.data or "", description=self.description.data or "",
                        target_date=self.target_date.data, status=self.status.data,
                        privacy=self.privacy.data,
                        competency_ids=list(self.competencies.data or []))


class GoalNoteForm(SentOnce, FlaskForm):
    body = WritingField("Add a progress note",
                        validators=[within(GOAL_TEXT_MAX_CHARS, "Progress note")],
                        description="What you did towards this goal, and what you noticed.")


def lock_or_blank(value):
    """A lock version a row could have, else blank (read as "no version given")."""
    return value if whole_number(value) is not None else ""


class RestoreForm(FlaskForm):
    lock_version = HiddenField(filters=[lock_or_blank])


ENTRY_STATUS_FILTERS = {
    "draft": "Draft, never saved as a version",
    "published": "Saved, not submitted",
    **ENTRY_FILTER_WORDS,  # the review states, in the words their badges use
}


class EntryFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    competency = SelectField("Competency", coerce=str, validate_choice=False)
    model = SelectField("Reflection model", choices=choice_list([
        ("", "Any model"), *((key, model.name) for key, model in MODELS.items())]),
        validate_choice=False)
    status = SelectField("Status", choices=choice_list(
        [("", "Any status"), *ENTRY_STATUS_FILTERS.items()]), validate_choice=False)
    date_from = PracticeDateField("From", validators=[Optional()])
    date_to = PracticeDateField("To", validators=[Optional()])
    page = IntegerField(validators=[Optional()])
