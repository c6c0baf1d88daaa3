"""Authorization policy for the portfolio: entries per privacy tier, philosophy, goals."""

from __future__ import annotations

from tests.policy import (
    CROSS_COHORT,
    CROSS_COHORT_CANDIDATES,
    EARLIER_COHORT,
    LATER_COHORT,
    MANAGERS,
    SIGNED_IN,
    Route,
    always,
    created,
)

AUTHOR = frozenset({"author"})
CANDIDATES = frozenset({"author", "peer", "outsider", "other_candidate"}) | CROSS_COHORT_CANDIDATES
# Exactly who each privacy tier admits (besides the author), per the issue.
TIER_READERS = {
    "private": AUTHOR,
    "developers": frozenset({"author", "developer", "lead", "admin"}),
    "peers": frozenset({"author", "peer", "developer", "lead", "admin"}),
    "cohort": frozenset({"author", "peer", "outsider", "developer", "lead", "admin"}),
}
TIERS = tuple(TIER_READERS)
# Anyone related to the candidate in a current cohort may open the overview, and so may anyone
# who can read one of their entries (the earlier cohort keeps its own entry); it then shows only
# what each item's rule allows.
RELATED = frozenset({"author", "peer", "outsider", "developer", "lead", "admin"})
OVERVIEW = RELATED | LATER_COHORT | EARLIER_COHORT
# The author's goals are read through the author's current cohorts: cohort A and the later one.
GOAL_READERS = frozenset({"author", "peer", "developer", "lead", "admin"}) | LATER_COHORT
# The earlier cohort's entry stays with the earlier cohort's audience.
EARLIER_READERS = AUTHOR | EARLIER_COHORT | MANAGERS
OWN_PORTFOLIO = {"author": (302, "/portfolio/")}


def setup(world):
    from tests.entries.builders import form_fields, make_goal, make_statement
    from tests.factories import add_version, make_entry

    world.tier_entries = {}
    for tier in TIERS:
        entry = make_entry(world.author, cohort=world.cohort, privacy=tier,
                           title=f"Secret {tier} reflection")
        entry.sections = {**entry.sections, "what": f"Words only {tier} readers may see."}
        add_version(entry)  # two versions, so history and differences have something to show
        world.tier_entries[tier] = entry
    world.draft_entry = make_entry(world.author, cohort=world.cohort, privacy="cohort",
                                   title="Secret unsaved draft", published=False)
    world.doomed_entry = make_entry(world.author, cohort=world.cohort, privacy="cohort",
                                    title="Entry to delete")
    world.statement = make_statement(world.author, body="Secret philosophy words",
                                     privacy="developers", versions=2)
    world.goal = make_goal(world.author, title="Secret peers goal", privacy="peers")
    world.private_goal = make_goal(world.author, title="Secret private goal",
                                   privacy="private")
    world.form_fields = form_fields
    world.earlier_entry = make_entry(world.author, cohort=world.earlier_cohort, privacy="cohort",
                                     title="Earlier cohort reflection")


def _entry(tier):
    return lambda world: world.tier_entries[tier]


def _url(tier, suffix=""):
    return lambda world: f"/portfolio/entries/{world.tier_entries[tier].id}{suffix}"


def _title(tier):
    return lambda world: f"Secret {tier} reflection"


def _words(tier):
    return lambda world: f"Words only {tier} readers may see."


def _goal(world):
    return f"/portfolio/goals/{world.goal.id}"


def _edit_data(world):
    entry = world.tier_entries["peers"]
    return world.form_fields(entry, action="draft", title="Edited by the author")


def _new_data(world):
    return world.form_fields(owner=world.author, action="draft")


ROUTES = [
    Route("entries.home", always("/portfolio/"), SIGNED_IN),
    # Everyone signed in has a feed; it lists only what visible_entries_filter lets them read.
    Route("entries.shared", always("/portfolio/shared"), SIGNED_IN),
    Route("entries.preview", always("/portfolio/preview"), SIGNED_IN, method="POST",
          allowed_status=200, data=lambda world: {"text": "**bold**"}),
    Route("entries.new_entry", always("/portfolio/entries/new"), CANDIDATES, denied_status=403),
    Route("entries.new_entry", always("/portfolio/entries/new?model=gibbs"), CANDIDATES,
          denied_status=403),
    Route("entries.new_entry", always("/portfolio/entries/new"), CANDIDATES, method="POST",
          denied_status=403, allowed_status=302,
          redirect_to=created("/portfolio/entries/<id>/edit"), data=_new_data),
    Route("entries.autosave_new_entry", always("/portfolio/entries/new/autosave"), CANDIDATES,
          method="POST", denied_status=403, allowed_status=200, data=_new_data),
    # Reading: exactly the tier's audience, on every page that shows an entry's words.
    *[Route("entries.show_entry", _url(tier), TIER_READERS[tier], secret=_words(tier))
      for tier in TIERS],
    *[Route("entries.show_version", _url(tier, "/versions/1"), TIER_READERS[tier],
            secret=_title(tier)) for tier in TIERS],
    *[Route("entries.versions", _url(tier, "/versions"), TIER_READERS[tier],
            secret=_title(tier)) for tier in TIERS],
    *[Route("entries.compare_versions", _url(tier, "/compare/1/2"), TIER_READERS[tier],
            secret=_words(tier)) for tier in TIERS],
    Route("entries.compare_versions", _url("cohort", "/compare?from=1&to=2"),
          TIER_READERS["cohort"], allowed_status=302, redirect_to=_url("cohort", "/compare/1/2")),
    Route("entries.show_entry", lambda w: f"/portfolio/entries/{w.draft_entry.id}", AUTHOR,
          secret=lambda w: "Secret unsaved draft"),
    # Writing: the author only, on the form and on autosave.
    Route("entries.edit_entry", _url("peers", "/edit"), AUTHOR, secret=_words("peers")),
    Route("entries.edit_entry", _url("peers", "/edit"), AUTHOR, method="POST",
          allowed_status=302, redirect_to=_url("peers", "/edit"), data=_edit_data),
    Route("entries.autosave_entry", _url("peers", "/autosave"), AUTHOR, method="POST",
          allowed_status=200, data=_edit_data),
    Route("entries.autosave_entry", _url("private", "/autosave"), AUTHOR, method="POST",
          allowed_status=200,
          data=lambda w: w.form_fields(w.tier_entries["private"], action="draft")),
    # Saving the working copy as a version from the entry page (after evidence changes).
    Route("entries.save_working_copy", _url("cohort", "/save-version"), AUTHOR, method="POST",
          allowed_status=302, redirect_to=_url("cohort"),
          data=lambda w: {"lock_version": str(w.tier_entries["cohort"].lock_version)}),
    Route("entries.restore_version", _url("cohort", "/versions/1/restore"), AUTHOR,
          method="POST", allowed_status=302, redirect_to=_url("cohort")),
    Route("entries.delete_entry", lambda w: f"/portfolio/entries/{w.doomed_entry.id}/delete",
          AUTHOR, secret=lambda w: "Entry to delete"),
    Route("entries.delete_entry", lambda w: f"/portfolio/entries/{w.doomed_entry.id}/delete",
          AUTHOR, method="POST", allowed_status=302, redirect_to="/portfolio/"),
    # The read-only overview of a candidate's portfolio (the author is sent to their own).
    Route("entries.candidate_portfolio", lambda w: f"/portfolio/candidates/{w.author.id}",
          OVERVIEW, outcomes=OWN_PORTFOLIO, secret=lambda w: "Secret private reflection"),
    Route("entries.candidate_portfolio", lambda w: f"/portfolio/candidates/{w.author.id}",
          OVERVIEW, outcomes=OWN_PORTFOLIO, secret=_title("cohort"), hidden_from=CROSS_COHORT),
    Route("entries.candidate_portfolio", lambda w: f"/portfolio/candidates/{w.author.id}",
          OVERVIEW, outcomes=OWN_PORTFOLIO, secret=lambda w: "Earlier cohort reflection",
          hidden_from=frozenset({"peer", "outsider", "developer"}) | LATER_COHORT),
    # Last year's entry: last year's audience keeps it, this year's cohort never sees it.
    Route("entries.show_entry", lambda w: f"/portfolio/entries/{w.earlier_entry.id}",
          EARLIER_READERS, secret=lambda w: "Earlier cohort reflection"),
    Route("entries.versions", lambda w: f"/portfolio/entries/{w.earlier_entry.id}/versions",
          EARLIER_READERS, secret=lambda w: "Earlier cohort reflection"),
    # Philosophy statement (the author's is shared with coach developers).
    Route("entries.philosophy", always("/portfolio/philosophy"), CANDIDATES,
          denied_status=403),
    Route("entries.philosophy", always("/portfolio/philosophy"), CANDIDATES, method="POST",
          denied_status=403, allowed_status=302, redirect_to="/portfolio/philosophy",
          data=lambda w: {"body": "Coaching is about people.", "privacy": "developers",
                          "action": "draft"}),
    Route("entries.autosave_philosophy", always("/portfolio/philosophy/autosave"), CANDIDATES,
          method="POST", denied_status=403, allowed_status=200,
          data=lambda w: {"body": "Coaching is about people.", "privacy": "developers"}),
    Route("entries.philosophy_versions", always("/portfolio/philosophy/versions"), AUTHOR,
          secret=lambda w: "Secret philosophy words"),
    Route("entries.philosophy_compare", always("/portfolio/philosophy/compare/1/2"), AUTHOR,
          secret=lambda w: "Secret philosophy words"),
    Route("entries.philosophy_compare", always("/portfolio/philosophy/compare"), AUTHOR,
          allowed_status=302, redirect_to="/portfolio/philosophy/compare/1/2"),
    Route("entries.philosophy_restore", always("/portfolio/philosophy/versions/1/restore"),
          AUTHOR, method="POST", allowed_status=302, redirect_to="/portfolio/philosophy/versions"),
    # Development goals.
    Route("entries.goal_list", always("/portfolio/goals"), CANDIDATES, denied_status=403),
    Route("entries.new_goal", always("/portfolio/goals/new"), CANDIDATES, denied_status=403),
    Route("entries.new_goal", always("/portfolio/goals/new"), CANDIDATES, method="POST",
          denied_status=403, allowed_status=302, redirect_to=created("/portfolio/goals/<id>"),
          data=lambda w: {"title": "Learn to plan a taper", "status": "not_started",
                          "privacy": "developers"}),
    Route("entries.show_goal", lambda w: f"/portfolio/goals/{w.goal.id}",
          GOAL_READERS, secret=lambda w: "Secret peers goal"),
    Route("entries.show_goal", lambda w: f"/portfolio/goals/{w.private_goal.id}", AUTHOR,
          secret=lambda w: "Secret private goal"),
    Route("entries.edit_goal", lambda w: f"/portfolio/goals/{w.goal.id}/edit", AUTHOR,
          secret=lambda w: "Secret peers goal"),
    Route("entries.edit_goal", lambda w: f"/portfolio/goals/{w.goal.id}/edit", AUTHOR,
          method="POST", allowed_status=302, redirect_to=_goal,
          data=lambda w: {"title": "Changed goal", "status": "in_progress",
                          "privacy": "peers"}),
    Route("entries.add_goal_note", lambda w: f"/portfolio/goals/{w.goal.id}/notes", AUTHOR,
          method="POST", allowed_status=302, redirect_to=_goal,
          data=lambda w: {"body": "Tried it on Tuesday."}),
    Route("entries.delete_goal", lambda w: f"/portfolio/goals/{w.goal.id}/delete", AUTHOR,
          secret=lambda w: "Secret peers goal"),
    Route("entries.delete_goal", lambda w: f"/portfolio/goals/{w.private_goal.id}/delete",
          AUTHOR, method="POST", allowed_status=302, redirect_to="/portfolio/goals"),
]
