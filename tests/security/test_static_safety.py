"""Static guards: user text reaches HTML only through the one Markdown path.

The same grep runs in .ci/run; this copy makes `make test` enforce it too.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "portfolio"

SAFE_FILTER = re.compile(r"\|\s*safe\b")
AUTOESCAPE_OFF = re.compile(r"{%-?\s*autoescape\s+false", re.IGNORECASE)
MARKUP_CALL = re.compile(r"\bMarkup\s*\(")
# Reviewed uses of Markup( outside portfolio/text.py, as (path, stripped line) -> why it is safe.
MARKUP_ALLOWED: dict[tuple[str, str], str] = {
    ("portfolio/exports/progress_html.py",
     'return Markup("".join(parts))  # noqa: S704  # nosec B704'):
        "progress matrix cells and small charts: fixed tags, numbers and escape()d text only",
    ("portfolio/forms.py", "return Markup(html)  # noqa: S704  # nosec B704"):
        "a select's plain <option>: a fixed tag around an escape()d value and label only "
        "(tests/core/test_select_widget.py compares it with WTForms' own widget); form "
        "attributes: escape()d names and values only (tests/core/test_forms_html_params.py "
        "compares them with WTForms' own html_params)",
    ("portfolio/markup.py", "return Markup(html)  # noqa: S704  # nosec B704"):
        "status tags: a fixed tag around an escape()d text and colour only "
        "(tests/core/test_markup.py compares them with the macros they replaced)",
}


def _lines(folder: Path, pattern: str):
    for path in sorted(folder.rglob(pattern)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = path.relative_to(ROOT if path.is_relative_to(ROOT) else folder)
            yield where.as_posix(), number, line


def find_safe_filters(folder: Path = TEMPLATES) -> list[str]:
    return [f"{path}:{number}: {line.strip()}" for path, number, line in _lines(folder, "*.html")
            if (SAFE_FILTER.search(line) and "markdown" not in line)
            or AUTOESCAPE_OFF.search(line)]


def find_markup_calls(folder: Path = PACKAGE) -> list[str]:
    found = []
    for path, number, line in _lines(folder, "*.py"):
        if path in ("portfolio/text.py",) or "/migrations/" in path:
            continue
        if MARKUP_CALL.search(line) and (path, line.strip()) not in MARKUP_ALLOWED:
            found.append(f"{path}:{number}: {line.strip()}")
    return found


def test_templates_mark_nothing_safe_outside_the_markdown_filter():
    assert list(TEMPLATES.rglob("*.html")), "no templates found: wrong folder?"
    assert find_safe_filters() == []


def test_no_markup_call_outside_the_markdown_module():
    assert MARKUP_CALL.search((PACKAGE / "text.py").read_text()), "text.py moved? update check"
    assert find_markup_calls() == []


def test_the_checks_catch_what_they_guard_against(tmp_path):
    (tmp_path / "page.html").write_text("<p>{{ entry.title|safe }}</p>\n"
                                        "<p>{{ entry.body | markdown }}</p>\n"
                                        "{% autoescape false %}{{ x }}{% endautoescape %}\n")
    (tmp_path / "view.py").write_text("from markupsafe import Markup\nx = Markup(name)\n")
    assert len(find_safe_filters(tmp_path)) == 2
    assert len(find_markup_calls(tmp_path)) == 1
