"""The search form: a GET form (changes nothing, so no CSRF token), every filter optional."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SearchField
from wtforms.validators import Length, Optional

from ..forms import SelectField
from .queries import MAX_QUERY


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Search for", validators=[Optional(), Length(max=MAX_QUERY)],
                    description="Words to find. “changeover” also finds “changeovers”.")
    kind = SelectField("Show", validators=[Optional()])
    cohort = SelectField("Cohort", validators=[Optional()])
    candidate = SelectField("Candidate", validators=[Optional()])
    competency = SelectField("Competency", validators=[Optional()])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])
