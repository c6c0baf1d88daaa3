"""The whole programme, as its people do it in a real browser: labels and buttons, not URLs.

A chain of tests sharing one live server and database (module-scoped): a programme lead sets up
a year and cohort and invites people by CSV; a candidate accepts, writes, uploads, claims and
submits; a peer comments and signs off; a coach developer reviews and returns; the candidate
resubmits; the lead watches the progress matrix and downloads the XLSX and ZIP exports.
Every page visited is checked with axe at desktop and 375 px (check_page).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import check_page, sign_in, sign_out
from tests.evidence.builders import SAMPLES

LEAD = ("lead@journey.test", "Priya Lead", "a lead passphrase 1")
CANDIDATE = ("casey@journey.test", "Casey Candidate", "casey's passphrase 1")
PEER = ("pat@journey.test", "Pat Peer", "pat's own passphrase 1")
DEVELOPER = ("dana@journey.test", "Dana Developer", "dana's passphrase 1")
YEAR, COHORT = "2026-2027", "Journey cohort"
TITLE = "Block starts with the U17 group"


@pytest.fixture(scope="module")
def journey(module_app, module_server):
    """Reference data, the lead's account and the published demo framework, via app services."""
    from portfolio.auth.services import create_user
    from portfolio.demo.programmes import demo_framework
    from portfolio.extensions import db
    from portfolio.programmes.services import ensure_reference_lists

    with module_app.app_context():
        ensure_reference_lists()
        lead = create_user(LEAD[0], LEAD[1], LEAD[2], is_programme_lead=True)
        demo_framework(lead)
        db.session.commit()
    return {"url": module_server.url, "app": module_app, "mail": Path(
        module_app.config["MAIL_FOLDER"])}


@pytest.fixture
def no_scripts_ran(page):
    """Fail on any dialog or console error the page raises."""
    problems = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    yield problems
    assert not problems, problems


def click_nav(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()


def press(page, name: str, **kwargs) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, **kwargs).click()


def follow(page, name: str, **kwargs) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, **kwargs).click()


def invitation_link(journey, address: str) -> str:
    """The link in the newest invitation to `address`, once the worker has delivered it."""
    from portfolio.mail.services import deliver_due

    with journey["app"].app_context():
        deliver_due()  # what the background worker does every few seconds
    mail_folder = journey["mail"]
    for path in sorted(mail_folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address and "invited" in message["Subject"]:
            body = message.get_body(("plain",)).get_content()
            return re.search(r"https?://\S+/invitation/\S+", body).group(0)
    raise AssertionError(f"no invitation mail to {address} in {mail_folder}")


def accept_invitation(page, journey, person, check=False) -> None:
    address, name, password = person
    page.goto(invitation_link(journey, address))
    if check:
        check_page(page, "journey-accept-invitation")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(password)
    press(page, "Create account")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_lead_sets_up_a_year_and_a_cohort_and_invites_by_csv(page, journey, tmp_path,
                                                              no_scripts_ran):
    sign_in(page, journey["url"], LEAD[0], LEAD[2])
    click_nav(page, "Programme")
    check_page(page, "journey-programme-empty")
    follow(page, "Add a programme year")
    check_page(page, "journey-year-form")
    page.get_by_label("Label").fill("")  # the form suggests a label; without one it is refused
    press(page, "Save year")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check_page(page, "journey-year-form-errors")
    page.locator(".error-summary").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == page.get_by_label("Label").get_attribute("id")
    page.get_by_label("Label").fill(YEAR)
    page.get_by_label("Start date").fill("2026-09-01")
    page.get_by_label("End date").fill("2027-08-31")
    press(page, "Save year")
    follow(page, f"Add a cohort to {YEAR}")
    check_page(page, "journey-cohort-form")
    page.get_by_label("Cohort name").fill(COHORT)
    page.get_by_label("Pathway").select_option(label="Talent")
    framework = page.get_by_label("Competency framework")
    framework.select_option(label=framework.locator("option", has_text="Advanced Coach")
                            .first.inner_text().strip())
    page.get_by_label("Onboarding date").fill("2026-09-15")
    page.get_by_label("End date").fill("2027-08-31")
    press(page, "Save cohort")
    assert page.get_by_role("heading", level=1).inner_text().startswith(COHORT)
    check_page(page, "journey-cohort-new")

    follow(page, "Invite from a CSV file")
    check_page(page, "journey-import-upload")
    csv = tmp_path / "people.csv"
    csv.write_text("email,name,role,specialism,coach developer email\n"
                   f"{DEVELOPER[0]},{DEVELOPER[1]},coach developer,,\n"
                   f"{CANDIDATE[0]},{CANDIDATE[1]},candidate,,{DEVELOPER[0]}\n"
                   f"{PEER[0]},{PEER[1]},candidate,,{DEVELOPER[0]}\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(csv))
    press(page, "Upload and check")
    check_page(page, "journey-import-preview")
    assert CANDIDATE[0] in page.locator("table").inner_text()
    press(page, "Import 3 people and send invitations")
    check_page(page, "journey-cohort-invited")
    for person in (CANDIDATE, PEER, DEVELOPER):
        assert person[1] in page.locator("main").inner_text()
        invitation_link(journey, person[0])  # the mail is in the outbox folder

    follow(page, "Add a peer group")
    check_page(page, "journey-peer-group-form")
    page.get_by_label("Group name").fill("Sprints group")
    page.get_by_label(CANDIDATE[1]).check()
    page.get_by_label(PEER[1]).check()
    press(page, "Save peer group")
    assert "Sprints group" in page.locator("main").inner_text()
    sign_out(page)


def slow_uploads(page) -> None:
    """Throttle this page's uploads so the progress bar has time to show."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": -1,
        "uploadThroughput": 150 * 1024})


def noisy_png(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "start position.png"
    noise = random.Random(7).randbytes(300 * 300 * 3)  # incompressible, so the upload takes time
    Image.frombytes("RGB", (300, 300), noise).save(path)
    return path


def test_candidate_writes_uploads_claims_shares_and_submits(page, journey, tmp_path,
                                                           no_scripts_ran):
    accept_invitation(page, journey, CANDIDATE, check=True)
    click_nav(page, "My portfolio")
    check_page(page, "journey-portfolio-empty")
    follow(page, "New entry")
    check_page(page, "journey-choose-model")
    page.get_by_label("Gibbs' reflective cycle").check()
    press(page, "Continue")
    check_page(page, "journey-entry-new")
    status = page.locator("[data-autosave-status]")
    page.get_by_label("Title").fill(TITLE)
    with page.expect_response("**/autosave"):
        page.get_by_label("Description", exact=True).focus()  # leaving a field autosaves it
    status.get_by_text("Saved at").wait_for()
    page.wait_for_url("**/portfolio/entries/*/edit")  # the first autosave made the entry
    page.get_by_label("Description", exact=True).fill(
        "Five U17 sprinters; we worked on block starts with one cue each.")
    with page.expect_response("**/autosave"):
        page.get_by_label("Feelings", exact=True).focus()
    status.get_by_text("Saved at").wait_for()
    page.reload()  # the autosaved draft survives a reload
    assert page.get_by_label("Title").input_value() == TITLE
    assert page.get_by_label("Description", exact=True).input_value().startswith("Five U17")
    page.get_by_label("Feelings", exact=True).fill("Nervous at first, then pleased.")
    page.get_by_label("Evaluation", exact=True).fill("Reactions improved; cues got muddled.")
    page.get_by_label("Analysis", exact=True).fill("Too many words between reps.")
    page.get_by_label("Conclusion", exact=True).fill("Fewer, sharper cues.")
    page.get_by_label("Action plan", exact=True).fill("One cue per athlete next week.")
    page.get_by_label("Date of the practice").fill("2026-10-06")
    for code in ("VP1", "VP2", "RP1"):
        page.locator("label", has=page.locator(".competency-code", has_text=code)).click()
    page.get_by_label("My peer group and coach developers").check()
    check_page(page, "journey-entry-filled")
    press(page, "Save", exact=True)
    expect(page.locator("body")).to_contain_text("Saved as version 1")
    check_page(page, "journey-entry-v1")

    follow(page, "Add or remove evidence")
    check_page(page, "journey-evidence-attach")
    pdf = tmp_path / "session plan.pdf"
    pdf.write_bytes(SAMPLES["plan.pdf"][0])
    page.get_by_label("Choose files").set_input_files([str(noisy_png(tmp_path)),
                                                                   str(pdf)])
    slow_uploads(page)
    page.get_by_role("button", name="Upload and attach").click()
    progress = page.locator("[data-upload-progress]")
    progress.wait_for(state="visible")
    page.locator("[data-upload-status]").get_by_text("% uploaded").wait_for()
    assert 0 <= int(page.locator("[data-upload-bar]").evaluate("bar => bar.value")) <= 100
    page.wait_for_url("**/attach", timeout=60_000)
    attached = page.locator(".evidence-list").first.inner_text()
    assert "start position" in attached and "session plan" in attached
    check_page(page, "journey-evidence-attached")
    follow(page, "Back to the entry")
    follow(page, "Edit", exact=True)
    press(page, "Save", exact=True)  # the attached evidence joins the next saved version
    expect(page.locator("body")).to_contain_text("Saved as version 2")
    evidence = page.locator("section", has=page.locator("#evidence-panel-title"))
    assert "start position" in evidence.inner_text() and "session plan" in evidence.inner_text()
    check_page(page, "journey-entry-with-evidence")

    page.get_by_text("Ask your coach developer to review version").click()
    check_page(page, "journey-entry-submit-open")
    for code in ("VP1", "VP2", "RP1"):
        page.get_by_label(re.compile(f"^{code} ")).check()
    press(page, "Send for review")
    assert "Your entry has been sent for review." in page.locator("main").inner_text()
    check_page(page, "journey-review-request-sent")
    follow(page, "Back to the entry")
    journey["entry_url"] = page.url
    assert "This entry is waiting for review (version 2)" in page.locator("main").inner_text()
    sign_out(page)


def open_entry_from_cohort(page) -> None:
    click_nav(page, "My cohort")
    check_page(page, "journey-my-cohort")
    follow(page, CANDIDATE[1])
    check_page(page, "journey-candidate-portfolio")
    follow(page, TITLE, exact=True)


def test_peer_comments_and_signs_off_a_competency(page, journey, no_scripts_ran):
    accept_invitation(page, journey, PEER)
    open_entry_from_cohort(page)
    check_page(page, "journey-peer-entry")
    page.get_by_label("Add a comment").fill("The one-cue idea is great; film it from the side.")
    press(page, "Post comment")
    expect(page.locator("body")).to_contain_text("Your comment has been posted.")
    page.get_by_text("Sign off a competency as a peer").click()
    check_page(page, "journey-peer-signoff-open")
    page.get_by_label(re.compile("^VP2 ")).check()
    page.get_by_label("Short note").fill("Saw the block plan work at the track.")
    press(page, "Sign off", exact=True)
    expect(page.locator("body")).to_contain_text("You signed off VP2 on version 2.")
    check_page(page, "journey-peer-signed-off")
    sign_out(page)


def decide(page, code: str, decision: str, feedback: str = "") -> None:
    group = page.locator(".decision", has=page.locator("legend", has_text=re.compile(f"^{code} ")))
    group.get_by_label(decision, exact=True).check()
    if feedback:
        group.get_by_label(f"Feedback on {code}").fill(feedback)


def open_review_from_dashboard(page) -> None:
    click_nav(page, "Reviews")
    check_page(page, "journey-reviews-dashboard")
    follow(page, TITLE, exact=True)
    check_page(page, "journey-review-request")
    press(page, "Start review")
    check_page(page, "journey-review-started")


def test_coach_developer_signs_off_two_and_returns_one_with_feedback(page, journey,
                                                                     no_scripts_ran):
    accept_invitation(page, journey, DEVELOPER)
    open_review_from_dashboard(page)
    decide(page, "VP1", "Signed off")
    decide(page, "VP2", "Signed off")
    decide(page, "RP1", "Not yet", "Say what you will look for on the film next week.")
    page.get_by_label("Overall feedback").fill("Strong plan; make the review step concrete.")
    press(page, "Return for revision")
    expect(page.locator("body")).to_contain_text("Entry returned for revision")
    check_page(page, "journey-review-returned")
    sign_out(page)


def test_candidate_revises_and_resubmits_and_the_developer_signs_off(page, journey,
                                                                     no_scripts_ran):
    sign_in(page, journey["url"], CANDIDATE[0], CANDIDATE[2])
    click_nav(page, "My portfolio")
    check_page(page, "journey-portfolio-home")
    with page.expect_navigation():
        page.locator("[aria-labelledby=entries-title]").get_by_role(
            "link", name=TITLE, exact=True).first.click()
    check_page(page, "journey-entry-returned")
    assert "Say what you will look for on the film" in page.locator("main").inner_text()
    follow(page, "Edit", exact=True)
    page.get_by_label("Action plan", exact=True).fill(
        "One cue per athlete next week; film from the side and count reaction frames.")
    press(page, "Save", exact=True)
    expect(page.locator("body")).to_contain_text("Saved as version 3")
    page.get_by_text("Ask your coach developer to review version 3").click()
    page.get_by_label(re.compile("^RP1 ")).check()
    press(page, "Send for review")
    expect(page.locator("body")).to_contain_text("Your entry has been sent for review.")
    sign_out(page)

    sign_in(page, journey["url"], DEVELOPER[0], DEVELOPER[2])
    open_review_from_dashboard(page)
    decide(page, "RP1", "Signed off")
    press(page, "Record decisions")
    check_page(page, "journey-review-complete")
    follow(page, "Back to the entry") if page.get_by_role(
        "link", name="Back to the entry").count() else page.goto(journey["entry_url"])
    signoffs = page.locator("#signoffs")
    vp1 = signoffs.locator(".signoff", has_text="VP1")
    assert "changed since" in vp1.inner_text()
    assert "See what changed since version 2" in vp1.inner_text()
    rp1 = signoffs.locator(".signoff", has_text="RP1").filter(has_text="Signed off on")
    assert "changed since" not in rp1.first.inner_text()
    check_page(page, "journey-entry-changed-since")
    sign_out(page)


def test_lead_reads_the_matrix_and_downloads_xlsx_and_zip(page, journey, module_worker, tmp_path,
                                                         no_scripts_ran):
    sign_in(page, journey["url"], LEAD[0], LEAD[2])
    click_nav(page, "Reports")
    check_page(page, "journey-reports")
    follow(page, f"{COHORT} progress")
    check_page(page, "journey-progress-matrix")
    matrix = page.locator("table", has=page.locator("th", has_text=CANDIDATE[1])).first
    row = matrix.locator("tr", has=page.locator("th", has_text=CANDIDATE[1]))
    assert row.count() == 1

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel workbook").click()
    xlsx = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"
    workbook = load_workbook(xlsx, read_only=True)
    cells = [str(cell) for sheet in workbook.worksheets
             for row_ in sheet.iter_rows(values_only=True) for cell in row_ if cell is not None]
    assert CANDIDATE[1] in cells and PEER[1] in cells
    assert any("VP1" in cell for cell in cells) and any("RP1" in cell for cell in cells)

    press(page, "Make full archive (ZIP)")
    expect(page).to_have_url(re.compile(r"/exports/jobs/"))
    assert page.get_by_label("Progress").is_visible()  # queued: the worker is not running yet
    check_page(page, "journey-export-job")
    assert page.locator("[data-job-percent]").inner_text() == "0%"
    module_worker()
    # The page follows the job and reloads itself when it ends, offering the download.
    expect(page.get_by_role("link", name=re.compile(r"^Download .+\.zip$"))).to_be_visible(
        timeout=120_000)
    check_page(page, "journey-export-job-done")
    with page.expect_download() as zip_download:
        page.get_by_role("link", name=re.compile(r"^Download .+\.zip$")).click()
    archive_path = tmp_path / zip_download.value.suggested_filename
    zip_download.value.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        manifest_name = next(name for name in names if name.endswith("manifest.json"))
        manifest = json.loads(archive.read(manifest_name))
        listed = {item["path"]: item for item in manifest["files"]}
        assert set(listed) == set(names) - {manifest_name}
        for path, item in listed.items():
            body = archive.read(path)
            assert len(body) == item["size"], path
            assert hashlib.sha256(body).hexdigest() == item["sha256"], path
        everything = "\n".join(names)
        assert "start position" in everything and "session plan" in everything
        assert not manifest["missing_files"]
        signed = {item["competency"] for item in manifest["signoffs"]}
        assert {"VP1", "VP2", "RP1"} <= signed, manifest["signoffs"][:3]
    sign_out(page)
