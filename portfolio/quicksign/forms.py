"""The candidate's choice of competencies; the signer's form is the review decision form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..requests import database_id
from ..reviews.forms import competency_choices, decision_form_class  # noqa: F401  (views)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AskForm(FlaskForm):
    competencies = MultiCheckboxField(
        "Competencies to be signed off", coerce=database_id,
        invalid_value_message="Choose competencies from the list.",
        validators=[DataRequired("Choose at least one competency to be signed off.")],
        description="Those this version claims that are not signed off yet.")
