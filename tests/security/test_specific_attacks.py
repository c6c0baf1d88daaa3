"""Targeted attacks: tampered ids, a forged Host header, hostile archives, formula injection."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import current_app
from openpyxl import load_workbook
from sqlalchemy import func, select

from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.mail.services import deliver_due
from tests.factories import (
    add_member,
    make_entry,
    make_framework,
    make_scenario,
    make_user,
    sign_in,
)
from tests.security.corpus import FORMULA_PAYLOADS, FORMULA_STARTS
from tests.test_authorization_matrix import (
    MODULES,
    ROUTES,
    add_cross_cohort_actors,
    add_stale_sign_ins,
)

TAMPERED = ["-1", "0", str(2**31), str(2**63), str(10**30), "abc", "1e3", "1%3BDROP"]
NUMBER = re.compile(r"(?<=/)\d+(?=/|$|\.|\?)")


@pytest.fixture
def world(app):
    """The authorization matrix's world: every role, including other cohorts' people."""
    world = make_scenario()
    add_stale_sign_ins(world)
    add_cross_cohort_actors(world)
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    db.session.commit()
    return world


def test_every_id_in_every_route_refuses_tampered_values_without_a_server_error(app, world):
    checked = 0
    for route in ROUTES:
        url = route.url(world)
        for match in NUMBER.finditer(url.split("?")[0]):
            for value in TAMPERED:
                tampered = url[:match.start()] + value + url[match.end():]
                for role in ("admin", "author"):
                    client = sign_in(app.test_client(), getattr(world, role))
                    data = route.data(world) if route.data else None
                    response = client.open(tampered, method=route.method, data=data)
                    # A denied role may get what the row declares (401: the API reads no cookie).
                    refused = (400, 404, 405) if role in route.allowed \
                        else (400, 403, 404, 405, route.denied_status)
                    assert response.status_code in refused, (
                        f"{route.method} {tampered} as {role}: {response.status_code}")
                    checked += 1
    assert checked > 500, "fewer id-bearing routes than expected: is the URL pattern right?"


MAILING_ACTIONS = [
    ("anonymous", "/account/forgot-password", lambda w: {"email": w.author.email}),
    ("admin", "/admin/users/invite", lambda w: {"email": "host.test.one@example.test",
                                                "display_name": "Host Test"}),
    ("admin", lambda w: f"/admin/users/{w.invited.id}/resend-invitation", lambda w: {}),
    ("lead", lambda w: f"/programme/cohorts/{w.cohort.id}/invite",
     lambda w: {"email": "host.test.two@example.test", "name": "Host Two",
                "role": "candidate"}),
]


def _sign_in_at(client, user, host):
    """Sign in with the session cookie set for `host`, the only site the client sends it to."""
    with client.session_transaction(headers={"Host": host}) as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8443", "portfolio.test.evil.example"])
def test_mailed_links_use_the_configured_base_url_whatever_the_host_header(app, world, host):
    world.invited = make_user(name="Ivy Invited", password=False)
    db.session.commit()
    for role, url, data in MAILING_ACTIONS:
        client = app.test_client()
        if role != "anonymous":
            _sign_in_at(client, getattr(world, role), host)
        path = url(world) if callable(url) else url
        before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        response = client.post(path, data=data(world), headers={"Host": host})
        assert response.status_code < 400, f"{path}: {response.status_code}"
        assert "/account/login" not in (response.location or ""), path
        db.session.rollback()
        deliver_due()  # the worker mails what the request queued (reset links are made there)
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)
                                      .offset(before)).all()
        assert messages, f"{path}: no mail queued"
        for message in messages:
            assert "evil.example" not in message.body_text + message.subject, path
            links = re.findall(r"https?://[^\s/]+", message.body_text)
            assert links and set(links) == {"http://portfolio.test"}, (path, links)


# --- archives where archives are read: ZIP-based evidence uploads ---------------------------


def _office_zip(extra: dict[str, bytes], *, deflate=True) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    # 300 MB of zeros in one member compresses to about 300 KB.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return out.getvalue()


def _nested_bomb() -> bytes:
    inner = _zip_bomb()
    return _office_zip({"word/embeddings/inner.zip": inner * 1})


HOSTILE_ARCHIVES = {
    "zip_slip.docx": lambda: _office_zip({"../../../../tmp/portfolio-zip-slip.txt": b"owned",
                                          "/etc/portfolio-zip-slip": b"owned",
                                          "..\\..\\portfolio-zip-slip.txt": b"owned"}),
    "zip_bomb.docx": _zip_bomb,
    "nested_bomb.docx": _nested_bomb,
    "many_parts.docx": lambda: _office_zip({f"word/p{i}.xml": b"" for i in range(70_000)},
                                           deflate=False),
    "macro.docx": lambda: _office_zip({"word/vbaProject.bin": b"Attribute VB_Name"}),
    "truncated.docx": lambda: _office_zip({})[:-30],
    "odt_slip.odt": lambda: _odt_slip(),
}


def _odt_slip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("../../portfolio-zip-slip.txt", "owned")
    return out.getvalue()


def _everything_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")} if folder.exists() else set()


@pytest.mark.parametrize("name", list(HOSTILE_ARCHIVES))
def test_hostile_archives_are_refused_or_stored_unopened(app, world, name, tmp_path):
    payload = HOSTILE_ARCHIVES[name]()
    instance = Path(current_app.config["INSTANCE_PATH"])
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    before_files = _everything_under(tmp_path)
    before_rows = db.session.scalar(select(func.count()).select_from(Evidence))
    db.session.rollback()
    client = sign_in(app.test_client(), world.author)
    response = client.post("/evidence/upload", data={
        "file": (io.BytesIO(payload), name), "title": "Archive", "description": ""},
        content_type="multipart/form-data")
    assert response.status_code < 500
    db.session.rollback()
    after_rows = db.session.scalar(select(func.count()).select_from(Evidence))
    created = _everything_under(tmp_path) - before_files
    # Nothing is ever extracted: no file appears outside the uploads folder, and nothing named
    # after an archive member appears anywhere.
    assert not any("zip-slip" in path.name for path in created), created
    assert not Path("/tmp/portfolio-zip-slip.txt").exists()
    outside = {p for p in created if uploads not in p.parents and p.parent != instance
               and not p.name.endswith(("-journal", "-wal", "-shm"))}
    assert not outside - {uploads}, outside
    if after_rows == before_rows:  # refused: no file left behind either
        assert response.status_code in (200, 400, 413, 422)
        assert not [p for p in created if p.is_file() and uploads in p.parents], created
        assert name not in ("zip_slip.docx",) or b"owned" not in response.data
    else:  # accepted as an ordinary document: stored once, byte for byte, never unpacked
        stored = [p for p in created if p.is_file() and uploads in p.parents]
        assert len(stored) == 1 and stored[0].read_bytes() == payload


# --- CSV/formula injection in every export ----------------------------------------------------


def _cells_from_csv(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _cells_from_xlsx(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if isinstance(cell.value, str)]


def _assert_no_formula(cells, where):
    cells = list(cells)
    assert cells, f"{where}: empty export"
    live = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not live, f"{where}: formula-looking cells {live[:5]}"


def test_every_export_neutralises_formula_payloads(app, world):
    from portfolio.audit.services import record
    from portfolio.frameworks.models import Competency

    payloads = iter(FORMULA_PAYLOADS * 3)
    for _ in range(3):
        user = make_user(name=next(payloads), email=None)
        add_member(world.cohort, user, developer=world.developer)
        make_entry(user, cohort=world.cohort, title=next(payloads))
        record("user.deactivated", actor=world.admin, target=user, note=next(payloads))
    world.author.display_name = '=HYPERLINK("http://evil.test","Aisha")'
    framework = make_framework("=1+1 framework")
    for item in db.session.scalars(select(Competency).where(
            Competency.framework_id.in_([framework.id, world.framework.id]))):
        item.title = "@SUM(1+1)"
        item.description = "=cmd|' /C calc'!A0"
    db.session.commit()
    client = sign_in(app.test_client(), world.lead)
    cohort = f"/exports/cohorts/{world.cohort.id}"
    checks = {
        f"{cohort}/progress.csv": _cells_from_csv,
        f"{cohort}/progress.xlsx": _cells_from_xlsx,
        f"/reviews/cohorts/{world.cohort.id}/audit.csv": _cells_from_csv,
        f"/frameworks/{framework.id}/export.csv": _cells_from_csv,
        f"/frameworks/{world.framework.id}/export.csv": _cells_from_csv,
        "/programme/import-template.csv": _cells_from_csv,
    }
    for url, cells in checks.items():
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_formula(cells(response.data), url)


def test_member_import_shows_formula_values_inertly_and_stores_them_neutralised(app, world):
    client = sign_in(app.test_client(), world.lead)
    rows = ("email,name,role\n"
            "formula.one@example.test,\"=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",candidate\n"
            "formula.two@example.test,@SUM(A1),candidate\n")
    response = client.post(f"/programme/cohorts/{world.cohort.id}/import",
                           data={"file": (io.BytesIO(rows.encode()), "people.csv")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302, 400)
    assert response.status_code == 302, "the import was not staged"
    preview = client.get(response.location)
    assert preview.status_code == 200
    assert "<a href=\"http://evil.test" not in preview.get_data(as_text=True)
    from portfolio.programmes.models import CohortMembership

    members = db.session.scalar(select(func.count()).select_from(CohortMembership))
    db.session.rollback()
    confirmed = client.post(response.location.split("?")[0] + "/confirm")
    assert confirmed.status_code == 302
    db.session.rollback()
    if confirmed.location.endswith(response.location):  # refused: nobody half-imported
        assert db.session.scalar(select(func.count()).select_from(CohortMembership)) == members
        return
    cells = _cells_from_csv(client.get(
        f"/exports/cohorts/{world.cohort.id}/progress.csv?status=all").data)
    assert any("HYPERLINK" in cell for cell in cells), "imported people missing from export"
    _assert_no_formula(cells, "progress.csv after a member import")
