"""XSS in a real browser: classic payloads as names, titles, entry text, comments and evidence
titles and file names render as text on every page that shows them and in the HTML export.

Each payload tries to set `window.__xss`. A page passes when no dialog opened, the console shows
no error (a Content-Security-Policy refusal is an error too), the sentinel is unset, no element
carries an event-handler attribute or a script/javascript: URL the app did not write, and
`{{7*7}}` is shown literally, never as 49.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import sign_in

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=data:text/javascript,window.__xss=2></SCRIPT>",
    "<img src=x onerror=window.__xss=3>",
    "<svg onload=window.__xss=4>",
    "<svg><animate onbegin=window.__xss=5 attributeName=x dur=1s>",
    "[click](javascript:window.__xss=6)",
    "[click](JaVaScRiPt:window.__xss=7)",
    "[click](&#106;avascript:window.__xss=8)",
    "[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9OTwvc2NyaXB0Pg==)",
    "![img](x\" onerror=\"window.__xss=10)",
    "\" onmouseover=\"window.__xss=11\" autofocus onfocus=\"window.__xss=11",
    "' onfocus='window.__xss=12' autofocus x='",
    "</textarea><script>window.__xss=13</script>",
    "</title><script>window.__xss=14</script>",
    "{{7*7}}",
    "{% raw %}{{ config }}{% endraw %}${7*7}",
    "<iframe srcdoc=\"<script>parent.__xss=16</script>\"></iframe>",
    "<details open ontoggle=window.__xss=17>",
    "<body onload=window.__xss=18>",
    "<a href=\"javascript:window.__xss=19\">link</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=20>",
    "<style>@import 'javascript:window.__xss=21';</style>",
    "<object data=\"javascript:window.__xss=22\"></object>",
    "<embed src=\"data:text/html,<script>window.__xss=23</script>\">",
    "<form action=javascript:window.__xss=24><button>go</button></form>",
    "<input autofocus onfocus=window.__xss=25>",
    "\u202e<img src=x onerror=window.__xss=26>\u202c",
    "\uff1cscript\uff1ewindow.__xss=27\uff1c/script\uff1e",
    "<scr<script>ipt>window.__xss=28</scr</script>ipt>",
    "<a href=\" &#14;javascript:window.__xss=29\">x</a>",
    "<img src=\"x`<script>window.__xss=30</script>\"`>",
    "<<img src=x onerror=window.__xss=31>>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=32\">",
    "<base href=\"javascript:window.__xss=33//\">",
]
assert len(PAYLOADS) >= 30
# File names cannot hold a slash or bidi controls (uploads refuse them), so those are left out.
FILE_NAME_PAYLOADS = [p for p in PAYLOADS if "/" not in p and "\u202e" not in p]

DOM_CHECK = """() => {
  const problems = [];
  if (window.__xss !== undefined) problems.push("window.__xss = " + window.__xss);
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase(), value = attribute.value.trim().toLowerCase();
      if (name.startsWith("on")) problems.push(element.tagName + " has " + name);
      if (["href", "src", "action", "data", "formaction"].includes(name)
          && (value.startsWith("javascript:") || value.startsWith("data:text"))) {
        problems.push(element.tagName + " " + name + "=" + value.slice(0, 60));
      }
    }
    if (["IFRAME", "OBJECT", "EMBED", "BASE"].includes(element.tagName)) {
      problems.push("unexpected " + element.tagName);
    }
  }
  for (const script of document.scripts) {
    if (!script.src || new URL(script.src).origin !== location.origin) {
      problems.push("script not from this site: " + (script.src || script.text.slice(0, 60)));
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def hostile(module_app, module_server):
    """A cohort whose names, entries, comments and evidence are all payloads."""
    from portfolio.extensions import db
    from portfolio.reviews import services as reviews
    from tests.evidence.builders import pdf_bytes, store
    from tests.factories import competency, make_entry, make_scenario

    with module_app.app_context():
        s = make_scenario()
        s.author.display_name = PAYLOADS[2]
        s.peer.display_name = PAYLOADS[10]
        s.developer.display_name = PAYLOADS[12]
        s.outsider.display_name = PAYLOADS[14]
        codes = [competency(s.framework, code) for code in ("VP1", "VP2")]
        sections = {"what": "\n\n".join(PAYLOADS), "so_what": PAYLOADS[14],
                    "now_what": "\n".join(PAYLOADS[5:10])}
        main = make_entry(s.author, cohort=s.cohort, title=PAYLOADS[14], sections=sections,
                          competencies=codes)
        for payload in PAYLOADS[:12]:
            make_entry(s.author, cohort=s.cohort, title=payload, sections=sections)
        for payload in PAYLOADS[15:]:
            reviews.add_comment(main, s.peer, payload)
        db.session.commit()
        files = [(f"{payload[:60]}.pdf", payload) for payload in FILE_NAME_PAYLOADS[:4]]
        files += [("plan.pdf", payload) for payload in PAYLOADS[:16]]
        files += [(f"{payload[:60]}.pdf", None) for payload in FILE_NAME_PAYLOADS]
        # distinct bytes for each, so none is recognised as an upload of the same file
        evidence = [store(s.author, name, pdf_bytes(f"document {number}"), title=title)
                    for number, (name, title) in enumerate(files)]
        from portfolio.evidence.models import EntryEvidence
        from tests.factories import add_version

        for position, item in enumerate(evidence):
            db.session.add(EntryEvidence(entry_id=main.id, evidence_id=item.id,
                                         position=position))
        add_version(main)
        reviews.submit_for_review(main, s.author, [item.id for item in codes], PAYLOADS[0])
        db.session.commit()
        return {"url": module_server.url, "entry": main.id, "cohort": s.cohort.id,
                "author": s.author.email, "developer": s.developer.email,
                "lead": s.lead.email, "author_id": s.author.id,
                "membership": next(m.id for m in s.cohort.memberships
                                   if m.user_id == s.author.id)}


@pytest.fixture
def watched(page):
    problems = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    page.on("console", lambda msg: msg.type == "error" and problems.append(
        f"console: {msg.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def after_next_frames(page) -> None:
    """Wait until the browser has run its pending tasks and drawn twice (a condition, not a time).

    Handlers a payload could smuggle in run on the events themselves, on timers queued by
    them or on the next frames; a zero-delay timer after two frames comes after all of those.
    """
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(() => setTimeout(done, 0))))")


def visit_and_check(page, problems, url: str) -> str:
    page.goto(url)
    page.mouse.move(200, 300)
    page.keyboard.press("Tab")  # focus handlers and mouse-over handlers get their chance
    after_next_frames(page)
    problems += [f"{url}: {problem}" for problem in page.evaluate(DOM_CHECK)]
    text = page.locator("body").inner_text()
    assert "{{7*7}}" in text, f"{url}: the template-injection payload is not shown literally"
    return text


def check_pages(page, problems, base: str, paths: list[str]) -> None:
    for path in paths:
        visit_and_check(page, problems, base + path)
    assert not problems, "\n".join(problems)


def test_author_pages_show_payloads_as_text(page, hostile, watched):
    from tests.factories import PASSWORD

    base = hostile["url"]
    sign_in(page, base, hostile["author"], PASSWORD)
    text = visit_and_check(page, watched, f"{base}/portfolio/entries/{hostile['entry']}")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "{{7*7}}"
    assert "<script>window.__xss=1</script>" in text  # shown, as the author wrote it
    check_pages(page, watched, base, ["/portfolio/", "/evidence/", "/notifications/",
                                      f"/portfolio/entries/{hostile['entry']}/edit",
                                      f"/evidence/entry/{hostile['entry']}/attach"])


def test_developer_pages_show_payloads_as_text(page, hostile, watched):
    from tests.factories import PASSWORD

    base = hostile["url"]
    sign_in(page, base, hostile["developer"], PASSWORD)
    check_pages(page, watched, base, [
        "/reviews/dashboard", f"/programme/cohorts/{hostile['cohort']}", "/notifications/",
        f"/portfolio/entries/{hostile['entry']}",
        f"/portfolio/candidates/{hostile['author_id']}"])


def test_lead_pages_and_html_export_show_payloads_as_text(page, hostile, watched):
    from tests.factories import PASSWORD

    base = hostile["url"]
    sign_in(page, base, hostile["lead"], PASSWORD)
    check_pages(page, watched, base, [
        f"/programme/cohorts/{hostile['cohort']}",
        f"/exports/cohorts/{hostile['cohort']}/progress"])
    with page.expect_download() as download:
        page.locator("tr", has=page.locator("th", has_text=PAYLOADS[2])).get_by_role(
            "link", name="web page").first.click()
    html = download.value.path().read_text(encoding="utf-8")
    export = page.context.new_page()
    export.on("dialog", lambda dialog: (watched.append(f"dialog: {dialog.message}"),
                                        dialog.dismiss()))
    export.on("console", lambda msg: msg.type == "error" and watched.append(msg.text))
    export.set_content(html)  # returns once the page (and anything it loads) has loaded
    after_next_frames(export)
    watched += export.evaluate(DOM_CHECK)
    assert "{{7*7}}" in export.locator("body").inner_text()
    assert not watched, "\n".join(watched)
