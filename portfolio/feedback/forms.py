"""Forms for asking for external feedback and for giving it. The services check every rule
again; these say what is missing next to the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import SelectField, options
from .models import RELATIONSHIP_LABELS
from .services import MAX_ANSWER, MAX_EMAIL, MAX_NAME, MAX_QUESTION, MAX_ROLE, MAX_TITLE


def _entry_id(value):
    return int(value) if value and str(value).isdigit() else None


class AskForm(FlaskForm):
    entry_id = SelectField("Session from my portfolio", coerce=_entry_id, validate_choice=False,
                           description="Or leave this as it is and describe the session below.")
    session_title = StringField("Session title", validators=[Optional(), Length(
        max=MAX_TITLE, message=f"Keep the title to {MAX_TITLE} characters or fewer.")],
        description="Needed when the session is not in your portfolio, for example "
                    "“Under-17 relay changeovers”.")
    session_date = DateField("Date of the session", validators=[Optional()],
                             description="Needed when the session is not in your portfolio.")
    question = TextAreaField("Your question for them (optional)", validators=[Optional(), Length(
        max=MAX_QUESTION, message=f"Keep the question to {MAX_QUESTION} characters or fewer.")],
        description="A short question they will see above the prompts, for example “How "
                    "did the athletes respond to the new warm-up?”")
    recipient_name = StringField("Their name", validators=[
        DataRequired("Enter the name of the person you are asking."),
        Length(max=MAX_NAME, message=f"Keep the name to {MAX_NAME} characters or fewer.")])
    recipient_email = EmailField("Their email address", validators=[
        DataRequired("Enter their email address."),
        Length(max=MAX_EMAIL, message="That email address is too long.")],
        description="We send them a link that works once and expires in 14 days.")
    relationship = SelectField("How they know your coaching", choices=options([
        ("", "Choose one"), *[(key.value, label) for key, label in RELATIONSHIP_LABELS.items()]]),
        validators=[DataRequired("Choose how they know your coaching.")])


class GiveForm(FlaskForm):
    went_well = TextAreaField("What went well in the session?", validators=[Optional(), Length(
        max=MAX_ANSWER, message=f"Keep each answer to {MAX_ANSWER:,} characters or fewer.")])
    could_be_better = TextAreaField("What could be better next time?", validators=[
        Optional(), Length(max=MAX_ANSWER,
                           message=f"Keep each answer to {MAX_ANSWER:,} characters or fewer.")])
    giver_role = StringField("Your role (optional)", validators=[Optional(), Length(
        max=MAX_ROLE, message=f"Keep your role to {MAX_ROLE} characters or fewer.")],
        description="For example “Head coach, Riverside Athletics Club”.")
    comments = TextAreaField("Anything else (optional)", validators=[Optional(), Length(
        max=MAX_ANSWER, message=f"Keep each answer to {MAX_ANSWER:,} characters or fewer.")])


class ShareForm(FlaskForm):
    with_peers = BooleanField("Share this feedback with my peer group")
