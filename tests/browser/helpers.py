"""Helpers for browser tests: accessibility checks, screenshots, signing in through the UI."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


def axe_violations(page) -> list[dict]:
    results = _axe.run(page, options=AXE_OPTIONS)
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


def check_page(page, name: str) -> None:
    """Run axe at desktop and phone widths (zero violations) and save a screenshot of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    problems = []
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{safe}-{label}.png"), full_page=True)
        violations = axe_violations(page)
        if violations:
            problems.append(f"[{label}] {page.url}\n{describe(violations)}")
        if label == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth")
            if overflow:
                problems.append(f"[{label}] {page.url}: the page scrolls sideways at 375px")
    page.set_viewport_size(DESKTOP)
    assert not problems, "accessibility problems:\n" + "\n".join(problems)


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
