"""Forms for programme years, cohorts, membership, invitations, peer groups and rollover."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import ActionForm, SelectField, options  # noqa: F401  (views import them from here)
from ..requests import database_id
from .membership import ROLE_LABELS, STATUS_LABELS

CHOOSE_CANDIDATES = "Choose candidates from the list."


def optional_int(value):
    """Coerce a select's value to an id, with '', junk or an id no row has meaning 'none chosen'."""
    try:
        return database_id(value)
    except ValueError:
        return None


class DateInput(DateField):
    """A date field whose error reads as plain English."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Enter a real date, for example 2026-09-01.") from None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Unknown values are refused by the service with a clearer message."""


class YearForm(FlaskForm):
    label = StringField("Label", validators=[DataRequired("Enter a label, like 2026-2027."),
                                             Length(max=20)],
                        description="Two consecutive years, like 2026-2027.")
    starts_on = DateInput("Start date", validators=[InputRequired("Enter the start date.")])
    ends_on = DateInput("End date", validators=[InputRequired("Enter the end date.")])


class YearStatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])


class CohortForm(FlaskForm):
    name = StringField("Cohort name", validators=[DataRequired("Enter a name for the cohort."),
                                                  Length(max=120)],
                       description="For example “Talent 2026-2027”. Unique within the year.")
    pathway_id = SelectField("Pathway", coerce=optional_int, validate_choice=False)
    framework_id = SelectField("Competency framework", coerce=optional_int,
                               validate_choice=False,
                               description="Only published versions can be used.")
    onboarding_on = DateInput("Onboarding date",
                              validators=[InputRequired("Enter the onboarding date.")])
    ends_on = DateInput("End date", validators=[InputRequired("Enter the end date.")])
    turnaround_days = IntegerField(
        "Review turnaround target (days)",
        validators=[InputRequired("Enter the review turnaround in days."),
                    NumberRange(1, 90, "Enter a number of days between 1 and 90.")],
        description="How many days coach developers aim to take to review a submission.")
    capacity = IntegerField(
        "Capacity", validators=[InputRequired("Enter the number of candidate places."),
                                NumberRange(1, 500, "Enter a capacity between 1 and 500.")],
        description="Candidate places. Coach developers do not take a place.")


class InviteForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter an email address."), Length(max=254)])
    name = StringField("Full name", validators=[Optional(), Length(max=120)],
                       description="Needed for someone new; they can change it when they accept.")
    role = RadioField("Role in this cohort", choices=options(ROLE_LABELS.items()),
                      default="candidate",
                      validators=[InputRequired("Choose candidate or coach developer.")])
    specialism_ids = MultiCheckboxField("Specialisms (candidates)", coerce=database_id,
                                        invalid_value_message="Choose specialisms from the list.")
    developer_id = SelectField("Assigned coach developer (candidates)", coerce=optional_int,
                               validate_choice=False)


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to upload.")],
                     description="Columns: email, name, role, specialism, coach developer "
                                 "email. Up to 2,000 rows.")


class MembershipForm(FlaskForm):
    role = RadioField("Role in this cohort", choices=options(ROLE_LABELS.items()),
                      validators=[InputRequired("Choose a role.")])
    status = RadioField("Status", choices=options(STATUS_LABELS.items()),
                        validators=[InputRequired("Choose a status.")])
    developer_id = SelectField("Assigned coach developer", coerce=optional_int,
                               validate_choice=False)
    specialism_ids = MultiCheckboxField("Specialisms", coerce=database_id,
                                        invalid_value_message="Choose specialisms from the list.")


class PeerGroupForm(FlaskForm):
    name = StringField("Group name", validators=[DataRequired("Enter a name for the group."),
                                                 Length(max=80)])
    membership_ids = MultiCheckboxField("Candidates in the group", coerce=database_id,
                                        invalid_value_message=CHOOSE_CANDIDATES,
                                        description="Choose 2 to 6 candidates. Each candidate "
                                                    "can be in one group.")


class RolloverForm(FlaskForm):
    year_id = SelectField("Programme year", coerce=optional_int, validate_choice=False)
    name = StringField("New cohort name", validators=[
        DataRequired("Enter a name for the new cohort."), Length(max=120)])
    framework_id = SelectField("Framework version", coerce=optional_int,
                               validate_choice=False,
                               description="Sign-offs carry wherever this version keeps the "
                                           "competency code.")
    membership_ids = MultiCheckboxField("Members to carry", coerce=database_id,
                                        invalid_value_message="Choose members from the list.")
    digest = HiddenField()


class ListItemForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=80)])


class ListItemEditForm(ListItemForm):
    position = IntegerField("Position in lists", validators=[
        InputRequired("Enter a position."), NumberRange(0, 999, "Enter a number from 0 to 999.")])
    active = BooleanField("Offer it for new cohorts and members")
