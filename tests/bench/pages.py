"""The pages the benchmark measures, who looks at each, and the URL built from the prepared ids."""

from __future__ import annotations

from dataclasses import dataclass

LEAD_EMAIL, LEAD_PASSWORD = "lead@example.org", "portfolio-demo"
SCALE_PASSWORD = "portfolio-scale"


@dataclass(frozen=True)
class Page:
    key: str
    name: str
    role: str | None  # None: anonymous; "bare": the hello-world app, not ours
    path: str
    baseline: bool = False


def pages(ids: dict) -> list[Page]:
    """Every page the in-process mode times, baselines first."""
    cohort, big = ids["cohort_id"], ids["big_cohort_id"]
    # The targets speak of 60 and 600 candidates (full scale); the names say what was measured.
    small_size, big_size = ids.get("cohort_candidates", 60), ids.get("big_cohort_candidates", 600)
    return [
        Page("bare", "bare route (hello-world app)", "bare", "/hello", baseline=True),
        Page("sign_in", "sign-in page", None, "/account/login", baseline=True),
        Page("portfolio_home", "portfolio home", "candidate", "/portfolio/"),
        Page("entry_page", "entry page", "candidate", f"/portfolio/entries/{ids['entry_id']}"),
        Page("notifications", "notifications", "candidate", "/notifications/"),
        Page("audit_log", "audit log", "lead", f"/reviews/cohorts/{cohort}/audit"),
        Page("developer_dashboard", f"coach developer dashboard ({small_size} candidates)",
             "developer",
             "/reviews/dashboard"),
        Page("lead_dashboard", "lead's dashboard (every current cohort)", "lead",
             "/reviews/dashboard"),
        Page("matrix_60", f"progress matrix, {small_size} candidates", "lead",
             f"/exports/cohorts/{cohort}/progress"),
        Page("matrix_600", f"progress matrix, {big_size} candidates", "lead",
             f"/exports/cohorts/{big}/progress"),
        # Issue 16: search answers in 50 ms. A two-word query a coach developer would type,
        # and one word found in nearly every entry, searched by the lead across all cohorts.
        Page("search_developer", "search, coach developer: “relay changeovers”", "developer",
             "/search/?q=relay+changeovers"),
        Page("search_lead", "search, lead, a word in most entries: “reaction”", "lead",
             "/search/?q=reaction"),
    ]


# Pages driven by wrk through gunicorn: the two baselines and the three with a req/s target.
LOAD_PAGES = ("bare", "sign_in", "portfolio_home", "developer_dashboard", "matrix_60")


def credentials(ids: dict) -> dict[str, tuple[str, str]]:
    """Email and password for each role that signs in."""
    return {"candidate": (ids["candidate"], SCALE_PASSWORD),
            "developer": (ids["developer"], SCALE_PASSWORD),
            "lead": (LEAD_EMAIL, LEAD_PASSWORD)}
