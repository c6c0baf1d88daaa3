"""The form for registering a webhook endpoint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import options
from ..once import SentOnce
from .models import EVENT_LABELS
from .services import MAX_DESCRIPTION, MAX_URL


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(SentOnce, FlaskForm):
    url = StringField("Address (URL)", validators=[
        DataRequired("Enter the address that should receive the events."),
        Length(max=MAX_URL, message=f"Keep the address to {MAX_URL} characters or fewer.")],
        description="It must start with https://.")
    description = StringField("What it is for (optional)", validators=[
        Optional(), Length(max=MAX_DESCRIPTION,
                           message=f"Keep this to {MAX_DESCRIPTION} characters or fewer.")])
    events = MultiCheckboxField(
        "Events to send", choices=options((str(key), label) for key, label in EVENT_LABELS.items()),
        validators=[DataRequired("Choose at least one event to send.")],
        invalid_value_message="Choose events from the list.")
