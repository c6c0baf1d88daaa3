"""JSON and CSV import/export of frameworks, and the diff between two versions."""

import io
import json

import pytest
from sqlalchemy import func, select

from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.frameworks import services, transfer
from portfolio.frameworks.models import Framework
from tests.factories import competency, make_framework, make_user
from tests.programmes.builders import upload

DEMO = transfer.__file__.replace("transfer.py", "demo_framework.json")


@pytest.fixture
def lead(app):
    user = make_user(lead=True)
    db.session.commit()
    return user


def demo_bytes() -> bytes:
    with open(DEMO, "rb") as handle:
        return handle.read()


def test_json_export_then_import_round_trips_identically(client, login, lead):
    login(lead)
    response = upload(client, "/frameworks/import", demo_bytes(), "framework.json")
    original = db.session.scalar(select(Framework))
    assert response.headers["Location"].endswith(f"/frameworks/{original.id}")
    exported = client.get(f"/frameworks/{original.id}/export.json")
    assert exported.headers["Content-Disposition"] == (
        'attachment; filename="advanced-coach-competency-framework-v1.json"; '
        "filename*=UTF-8''advanced-coach-competency-framework-v1.json")
    first = exported.get_data()
    assert json.loads(first) == json.loads(demo_bytes())
    # Import the export into an empty database: the next export is byte-for-byte the same.
    db.session.delete(original)
    db.session.commit()
    upload(client, "/frameworks/import", first, "again.json")
    again = db.session.scalar(select(Framework))
    assert client.get(f"/frameworks/{again.id}/export.json").get_data() == first


def test_importing_an_existing_name_makes_its_next_version(app, lead):
    make_framework("Advanced Coach Competency Framework")
    framework = transfer.import_framework(lead, demo_bytes(), "demo.json")
    assert (framework.version, framework.status) == (2, "draft")


def test_csv_export_then_import_keeps_every_competency(app, lead):
    framework = transfer.import_framework(lead, demo_bytes(), "demo.json")
    item = framework.areas[0].competencies[0]
    item.description = "=not a formula, just text\n- and a bullet"
    services.publish(lead, framework)
    text = transfer.export_csv(framework)
    assert "\"'=not a formula" in text  # neutralised for spreadsheets
    copy = transfer.import_framework(lead, text.encode("utf-8"), "copy.csv", "CSV copy")
    original = transfer.framework_document(framework)
    copied = transfer.framework_document(copy)
    assert copied["areas"] == original["areas"]
    assert copy.areas[0].competencies[0].description.startswith("=not a formula")


def test_json_problems_are_all_listed_with_where_they_are(client, login, lead):
    document = json.loads(demo_bytes())
    document["areas"][0]["competencies"][1]["code"] = "VP1"
    document["areas"][1]["competencies"][0]["developer_signoffs_required"] = 0
    document["areas"][1]["competencies"][0]["peer_signoffs_required"] = 0
    document["areas"][2]["title"] = ""
    login(lead)
    response = upload(client, "/frameworks/import", json.dumps(document).encode(), "bad.json")
    page = response.get_data(as_text=True)
    assert "3 problems found" in page
    assert "Area 1, competency 2 (VP1): the code VP1 is used twice" in page
    assert "Area 2, competency 1 (ES1): A competency needs at least one sign-off" in page
    assert "Area 3: enter a title" in page
    assert db.session.scalar(select(func.count()).select_from(Framework)) == 0


CSV_HEADER = ",".join(transfer.CSV_HEADER)


@pytest.mark.parametrize("body, message", [
    ("Vision,,VP1,Plans,,,1,0\r\nVision,,VP1,Plans again,,,1,0\r\n",
     "Row 3 (VP1): the code VP1 is used twice"),
    ("Vision,,VP1,Plans,,,one,0\r\n", "Row 2 (VP1): Enter how many coach developer"),
    ("Vision,,VP1,=HYPERLINK(\"x\"),,,1,0\r\n", "Row 2: the title cell starts with “=”"),
    ("Vision,,VP1,Plans,,,1\r\n", "Row 2: expected 8 cells, found 7"),
    (",,VP1,Plans,,,1,0\r\n", "Row 2: the area is missing"),
])
def test_csv_problems_are_listed_by_row(app, lead, body, message):
    data = (CSV_HEADER + "\r\n" + body).encode()
    with pytest.raises(transfer.ImportProblems) as caught:
        transfer.import_framework(lead, data, "f.csv", "From CSV")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("data, filename, name, message", [
    (b"area,code\r\n", "f.csv", "X", "The first row must be the column headings"),
    (b"{not json", "f.json", "", "not valid JSON (line 1"),
    (b'{"format": "something else"}', "f.json", "", "not a framework export"),
    (b"anything", "f.xlsx", "", "Choose a .json or .csv file"),
    (b"area\r\n", "f.csv", "", "Enter a name for the framework"),
])
def test_unreadable_framework_files_are_refused(app, lead, data, filename, name, message):
    with pytest.raises(DomainError) as caught:
        transfer.import_framework(lead, data, filename, name)
    text = " ".join([caught.value.message, *getattr(caught.value, "problems", [])])
    assert message in text


def test_diff_page_shows_added_removed_and_changed_competencies(client, login, lead):
    old = make_framework("Coaching")
    new = services.new_version(lead, old)
    vp2 = competency(new, "VP2")
    vp2.title = "Plans training blocks that add up"
    vp2.peer_signoffs_required = 2
    services.delete_competency(lead, competency(new, "RP1"))
    services.save_competency(lead, new, None, services.CompetencyDetails(
        code="RP9", title="Learns with peers", area_id=new.areas[1].id))
    db.session.commit()
    login(lead)
    page = client.get(f"/frameworks/{new.id}/diff").get_data(as_text=True)
    assert "1 added, 1 removed, 1 changed, 1 unchanged" in page
    added = page[page.index('id="added"'):page.index('id="removed"')]
    removed = page[page.index('id="removed"'):page.index('id="changed"')]
    changed = page[page.index('id="changed"'):]
    assert "RP9" in added and "RP1" in removed
    assert "VP2 Plans training blocks that add up" in changed
    assert "Competency VP2" in changed and "Peer sign-offs" in changed
    same = client.get(f"/frameworks/{new.id}/diff?against={new.id}").get_data(as_text=True)
    assert "Choose another framework version" in same or "No differences" in same


def test_import_page_upload_keeps_problems_next_to_the_file_field(client, login, lead):
    login(lead)
    response = client.post("/frameworks/import", data={
        "file": (io.BytesIO(b"area\r\n"), "f.csv"), "name": ""},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and "a CSV file does not hold one" in page


def hostile_document(**overrides) -> bytes:
    document = json.loads(demo_bytes())
    document.update(overrides)
    return json.dumps(document).encode()


HUGE_VERSION = hostile_document(version=0).replace(b'"version": 0', b'"version": 1' + b"0" * 400)
DEEP_ARRAYS = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("data, message", [
    (DEEP_ARRAYS, "nested far too deeply"),
    (b'{"format": "advanced-coach-portfolio/framework", "version": ' + b"9" * 5000 + b"}",
     "a number that is far too long"),
    (b'{"format": "advanced-coach-portfolio/framework", "version": NaN}', "NaN or Infinity"),
    (HUGE_VERSION, "The version must be a whole number from 1 to 10,000"),
    (hostile_document(version=2**63), "The version must be a whole number"),
    (hostile_document(version=-1), "The version must be a whole number"),
    (hostile_document(version=2.5), "The version must be a whole number"),
], ids=["deep", "long_number", "nan", "huge_version", "version_2_63", "negative", "fraction"])
def test_hostile_json_is_a_problem_on_the_form_not_a_server_error(client, login, lead, data,
                                                                    message):
    login(lead)
    response = upload(client, "/frameworks/import", data, "framework.json")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(Framework)) == 0


def test_a_version_within_range_is_still_taken_from_the_file(app, lead):
    framework = transfer.import_framework(lead, hostile_document(version=7), "f.json")
    assert framework.version == 7
