"""Forms for comments, sign-off, review requests, decisions, revocation and completion."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..forms import ActionForm, SelectField  # noqa: F401  (views import ActionForm from here)
from ..once import SentOnce
from ..requests import database_id
from .models import DECISIONS, Decision


class CommentForm(SentOnce, FlaskForm):
    body = TextAreaField("Your comment", validators=[
        DataRequired("Enter your comment."), Length(max=5_000, message="Keep your comment to "
                                                    "5,000 characters or fewer.")],
        description="You can use Markdown. Everyone who can see this entry can read it.")


class ReplyForm(SentOnce, FlaskForm):
    body = TextAreaField("Your reply", validators=[
        DataRequired("Enter your reply."), Length(max=5_000, message="Keep your reply to "
                                                  "5,000 characters or fewer.")])


class PeerFeedbackForm(SentOnce, FlaskForm):
    what_worked = TextAreaField("What worked", validators=[
        DataRequired("Say what worked."), Length(max=2_000)],
        description="Something in the session or the reflection worth keeping.")
    what_to_try = TextAreaField("What to try next", validators=[
        DataRequired("Suggest something to try."), Length(max=2_000)],
        description="One idea the coach could test in their next session.")
    question = TextAreaField("A question (optional)", validators=[Optional(), Length(max=2_000)],
                             description="Something you would like to understand better.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubmitForReviewForm(FlaskForm):
    competencies = MultiCheckboxField(
        "Which competencies does this entry show?", coerce=database_id,
        invalid_value_message="Choose competencies from the list.",
        validators=[DataRequired("Choose at least one competency this entry shows.")],
        description="Only competencies the saved entry claims are listed.")
    message = TextAreaField("Note to your coach developer (optional)",
                            validators=[Optional(), Length(max=2_000)],
                            description="For example, what you would most like feedback on.")
    observation = SelectField(
        "Attach an observation as evidence (optional)",
        choices=[SelectChoice("", "No observation")], default="",
        validate_choice=True,
        description="An observation of one of your sessions in this cohort. Your reviewer "
                    "sees it with the entry.")

    def set_observation_choices(self, observations: list[tuple[int, str]]) -> None:
        self.observation.choices = [SelectChoice("", "No observation"), *(
            SelectChoice(str(ident), label) for ident, label in observations)]

    @property
    def observation_id(self) -> int | None:
        return int(self.observation.data) if self.observation.data else None


class PeerSignoffForm(FlaskForm):
    competency = RadioField("Competency", coerce=database_id, validate_choice=True,
                            validators=[InputRequired("Choose the competency you sign off.")])
    note = TextAreaField("Short note", validators=[
        DataRequired("Add a short note saying what convinced you."),
        Length(max=500, message="Keep the note to 500 characters or fewer.")],
        description="What in this entry convinced you (up to 500 characters).")


class RevokeForm(FlaskForm):
    reason = TextAreaField("Reason for revoking", validators=[
        DataRequired("Give the reason for revoking this sign-off."), Length(max=1_000)],
        description="The candidate and their coach developer will see this reason.")


class CompletionForm(FlaskForm):
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2_000)],
                         description="For the record, for example the date of the final "
                                     "panel.")


class RevokeCompletionForm(FlaskForm):
    reason = TextAreaField("Reason for revoking the completion", validators=[
        DataRequired("Give the reason for revoking this completion."), Length(
            max=1_000, message="Keep the reason to 1,000 characters or fewer.")],
        description="Kept with the completion record, and shown on the public page of the "
                    "candidate's completion credential.")


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    cohort = SelectField("Cohort", validators=[Optional()])
    specialism = SelectField("Specialism", validators=[Optional()])
    competency = SelectField("Competency", validators=[Optional()])


DECISION_CHOICES = [SelectChoice(value, label) for value, label in DECISIONS.items()]


def competency_choices(competencies) -> list[SelectChoice]:
    return [SelectChoice(c.id, f"{c.code} {c.title}") for c in competencies]


class ReviewDecisionForm(FlaskForm):
    """Per-competency decision fields are added by `decision_form_class`."""

    overall_feedback = TextAreaField("Overall feedback", validators=[Length(max=10_000)],
                                     description="Required when you return the entry: say what "
                                                 "to change before resubmitting.")
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    action = StringField()

    competency_rows: list = []

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        returning = self.action.data == "return"
        if self.action.data not in ("complete", "return"):
            self.form_errors.append("Choose “Record decisions” or “Return for revision”.")
            valid = False
        for competency in self.competency_rows:
            decision = self[f"decision_{competency.id}"]
            feedback = self[f"feedback_{competency.id}"]
            if decision.data and decision.data not in DECISIONS:
                decision.errors.append("Choose a decision from the list.")
                valid = False
            elif not decision.data and not returning:
                decision.errors.append(f"Choose “Signed off” or “Not yet” for {competency.code}.")
                valid = False
            if decision.data == Decision.NOT_YET and not (feedback.data or "").strip():
                feedback.errors.append(f"Say what is missing for {competency.code}, so the "
                                       "candidate knows what to do next.")
                valid = False
        if returning and not (self.overall_feedback.data or "").strip():
            self.overall_feedback.errors.append("Tell the candidate what to change before they "
                                                "resubmit.")
            valid = False
        return valid

    def decision_fields(self):
        for competency in self.competency_rows:
            yield competency, self[f"decision_{competency.id}"], self[f"feedback_{competency.id}"]


def decision_form_class(competencies):
    """A decision form with a radio group and a feedback box for each requested competency."""
    attributes = {"competency_rows": list(competencies)}
    for competency in competencies:
        attributes[f"decision_{competency.id}"] = RadioField(
            f"Decision for {competency.code} {competency.title}", choices=DECISION_CHOICES,
            validate_choice=False, validators=[Optional()])
        attributes[f"feedback_{competency.id}"] = TextAreaField(
            f"Feedback on {competency.code}", validators=[Optional(), Length(max=10_000)],
            description="Required for “Not yet”: what is missing and what would show it.")
    return type("DecisionForm", (ReviewDecisionForm,), attributes)
