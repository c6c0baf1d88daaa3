"""Authorization policy for search: every signed-in person may search, and finds only what
they may read. Each row searches for one privacy tier's words (tests/entries/policy.py makes an
entry per tier); everyone outside that tier's readers must not get the result's link on the
page (the title is cut by highlighting, the link is not). Goals follow the author's current
cohorts (the later cohort is one of them)."""

from __future__ import annotations

from tests.entries.policy import GOAL_READERS, TIER_READERS, TIERS
from tests.observations.policy import OBSERVED, SHARED
from tests.policy import SIGNED_IN, Route, always


def _entry_link(tier):
    return lambda world: f'href="/portfolio/entries/{world.tier_entries[tier].id}"'


ROUTES = [
    *[Route("search.index", always(f"/search/?q=words+only+{tier}+readers+may+see"), SIGNED_IN,
            hidden_from=SIGNED_IN - TIER_READERS[tier], secret=_entry_link(tier))
      for tier in TIERS],
    Route("search.index", always("/search/?q=secret+peers+goal&kind=goal"), SIGNED_IN,
          hidden_from=SIGNED_IN - GOAL_READERS,
          secret=lambda w: f'href="/portfolio/goals/{w.goal.id}"'),
    Route("search.index", always("/search/?q=secret+private+goal"), SIGNED_IN,
          hidden_from=SIGNED_IN - {"author"},
          secret=lambda w: f'href="/portfolio/goals/{w.private_goal.id}"'),
    # Observations (tests/observations/policy.py): their candidate, observer and the cohort's
    # coach developers; the peer group once shared; never a lead or another cohort's people.
    Route("search.index", always("/search/?q=athletes+repeated+cue"), SIGNED_IN,
          hidden_from=SIGNED_IN - OBSERVED,
          secret=lambda w: f'href="/observations/{w.ob_obs.id}"'),
    Route("search.index", always("/search/?q=shared+warm+ran+time&kind=observation"),
          SIGNED_IN, hidden_from=SIGNED_IN - SHARED,
          secret=lambda w: f'href="/observations/{w.ob_shared.id}"'),
]
