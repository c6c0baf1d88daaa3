"""The consent form: who gave consent, their relationship to the athlete, when, and its scope."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField
from wtforms.validators import InputRequired, Length

from ..forms import options
from .models import RELATIONSHIP_LABELS, SCOPE_LABELS
from .services import NAME_LIMIT


class ConsentForm(FlaskForm):
    given_by = StringField(
        "Name of the parent or carer who gave consent",
        validators=[InputRequired("Enter the name of the parent or carer who gave consent."),
                    Length(max=NAME_LIMIT,
                           message=f"The name must be {NAME_LIMIT} characters or fewer.")])
    relationship = RadioField(
        "Their relationship to the athlete",
        choices=options((key.value, label) for key, label in RELATIONSHIP_LABELS.items()),
        validators=[InputRequired("Choose how the person is related to the athlete.")])
    given_on = DateField(
        "Date consent was given", description="For example 14 9 2026. Not a future date.",
        validators=[InputRequired("Enter the date consent was given.")])
    scope = RadioField(
        "What the consent covers",
        choices=options((key.value, label) for key, label in SCOPE_LABELS.items()),
        description="Whatever the scope, the item never leaves the cohort: no secret link, "
                    "external page or outside export shows it.",
        validators=[InputRequired("Choose what the consent covers.")])
