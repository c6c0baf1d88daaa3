"""Forms for building a showcase and its secret links. The services check every rule again;
these say what is missing next to the field. Every form that changes a showcase carries the
lock_version the page was drawn from, so a change from an out-of-date tab is a conflict."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..forms import SelectField
from ..requests import whole_number
from .links import DEFAULT_DAYS, MAX_DAYS, MAX_LABEL
from .services import MAX_INTRODUCTION, MAX_NOTE, MAX_TITLE

NOTE_HINT = "Optional: why you chose it, or what it shows. Readers see this beside the item."


class LockedForm(FlaskForm):
    """A change to a showcase: carries the version of the page it was made on."""

    lock_version = HiddenField()

    def validate_lock_version(self, field) -> None:
        # Every page that changes a showcase sends the version it was drawn from; without a
        # whole number there the change could not be checked against another tab's, so it is
        # refused rather than applied unchecked.
        if whole_number(field.data) is None:
            raise ValidationError("This page is out of date. Open the showcase again.")

    def expected_lock(self) -> int | None:
        return whole_number(self.lock_version.data)


class NewShowcaseForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title for the showcase."),
        Length(max=MAX_TITLE, message=f"The title must be {MAX_TITLE} characters or fewer.")],
        description="For example “My coaching year with the sprint group”.")
    introduction = TextAreaField("Introduction (optional)", validators=[
        Optional(), Length(max=MAX_INTRODUCTION, message=(
            f"The introduction must be {MAX_INTRODUCTION:,} characters or fewer."))],
        description="What a reader should know first. You can use Markdown: **bold**, lists, "
                    "links.")


class DetailsForm(LockedForm, NewShowcaseForm):
    shared_with_developers = BooleanField("Share with my cohort's coach developers")
    shared_with_peers = BooleanField("Share with my peer group")


class HeadingForm(LockedForm):
    heading = StringField("Heading", validators=[
        DataRequired("Enter the heading's text."),
        Length(max=MAX_TITLE, message=f"A heading must be {MAX_TITLE} characters or fewer.")],
        description="Headings split the showcase into parts, for example “Planning”.")


class _ItemForm(LockedForm):
    note = TextAreaField("Note (optional)", validators=[
        Optional(), Length(max=MAX_NOTE, message=f"A note must be {MAX_NOTE:,} characters or "
                                                 "fewer.")], description=NOTE_HINT)


class EntryItemForm(_ItemForm):
    entry = SelectField("Entry", validate_choice=False,
                        validators=[DataRequired("Choose one of your entries.")])
    version = IntegerField("Version (optional)", validators=[
        Optional(), NumberRange(min=1, max=100_000, message="Enter a version number.")],
        description="Leave empty for the latest saved version.")


class EvidenceItemForm(_ItemForm):
    evidence = SelectField("Evidence", validate_choice=False,
                           validators=[DataRequired("Choose an item from your evidence.")])


class SignoffItemForm(_ItemForm):
    signoff = SelectField("Signed-off competency", validate_choice=False,
                          validators=[DataRequired("Choose a signed-off competency.")])


class ItemTextForm(LockedForm):
    """A heading's text, or another item's note."""

    heading = StringField("Heading", validators=[Optional(), Length(max=MAX_TITLE)])
    note = TextAreaField("Note", validators=[Optional(), Length(max=MAX_NOTE)],
                         description=NOTE_HINT)


class LinkForm(FlaskForm):
    label = StringField("Who it is for", validators=[
        DataRequired("Say who the link is for."),
        Length(max=MAX_LABEL, message=f"Keep this to {MAX_LABEL} characters or fewer.")],
        description="For example “Club committee, March” — only you see this.")
    days = IntegerField("Days until it stops working", default=DEFAULT_DAYS, validators=[
        DataRequired(f"Enter a number of days from 1 to {MAX_DAYS}."),
        NumberRange(min=1, max=MAX_DAYS, message=f"Enter a number of days from 1 to {MAX_DAYS}.")],
        description=f"From 1 to {MAX_DAYS} days. You can revoke the link at any time.")
