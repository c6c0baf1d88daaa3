"""Tools for the route fuzzer: hostile values, a request that notes what a view reads, and a
database snapshot that each route starts from.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

from hypothesis import strategies as st
from sqlalchemy import text
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

from portfolio.extensions import db

MB = 1024 * 1024
OMIT, DEFAULT = "<omit>", "<default>"

# Values that broke, or could break, a parse: ints past every column width, digits int()
# refuses ("²"), floats, dates out of range, NUL, direction overrides, very long and oversized.
# The first values go into every field of every route for the role the route is for.
SWEEP = [str(10**20), "abc", "\u00b2", str(2**63), "-1", "1.5", "7\x00"]
EDGE_VALUES = SWEEP + [
    "", " ", "0", "-1", "1", "01", "+1", "1_000", str(2**31 - 1), str(2**31), str(2**63),
    str(10**20), "-" + str(10**20), "9" * 5000, "1e309", "-0", "1.5", "NaN", "inf", "0x10",
    "²", "①", "١٢٣", "１２", "\x00", "7\x00", "%00", "abc", "true", "null", "[]", "{}",
    "2026-02-30", "0000-01-01", "9999-12-31", "10000-01-01", "-1-01-01", "a@b", "@",
    "<script>alert(1)</script>", "'; DROP TABLE users;--", "../../etc/passwd", "//evil.test",
    "javascript:alert(1)", "\u202eexe.txt", "\U0001f3c3" * 50, "\r\n\t", "x" * 100_000,
]
OVERSIZED = "x" * (4 * MB + 10)  # over MAX_FORM_MEMORY_SIZE

hostile_scalars = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(repr),
    st.text(max_size=40),
    st.just(OVERSIZED),
)
hostile_values = st.one_of(hostile_scalars.map(lambda value: [value]),
                           st.lists(hostile_scalars, min_size=2, max_size=3))


def _nested_json() -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def _huge_version_json() -> bytes:
    return ('{"format": "advanced-coach-portfolio/framework", "name": "F", "version": '
            + "9" * 401 + ', "areas": []}').encode()


def _framework_json(**overrides) -> bytes:
    document = {"format": "advanced-coach-portfolio/framework", "name": "Fuzzed", "areas": [{
        "title": "A", "competencies": [{"code": "A1", "title": "T",
                                        "developer_signoffs_required": 1,
                                        "peer_signoffs_required": 0}]}]}
    document.update(overrides)
    return json.dumps(document).encode()


FILE_PAYLOADS = [
    (b"", "empty.txt"),
    (_nested_json(), "deep.json"),
    (_huge_version_json(), "version.json"),
    (_framework_json(version=2**63), "big.json"),
    (_framework_json(version=1e308), "float.json"),
    (b'{"format": "advanced-coach-portfolio/framework", "version": NaN}', "nan.json"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png"),
    (b"%PDF-1.4\n%%EOF", "../../etc/passwd"),
    (b"email,name,role\n" + b"a@b.test,=cmd,candidate\n" * 3, "people.csv"),
    (b"\xff\xfe\x00b\x00a\x00d", "\u202eexe.csv"),
    (b"x" * 100_000, "x" * 300 + ".txt"),
]
hostile_files = st.sampled_from(range(len(FILE_PAYLOADS)))


def field_values(names, file_names):
    """One request's fields: one hostile value in every field, or each field kept, left out
    or given its own hostile values."""
    names, file_names = sorted(names), sorted(file_names)
    uniform = st.tuples(hostile_values, hostile_files).map(
        lambda pair: {**{name: pair[0] for name in names},
                      **{name: pair[1] for name in file_names}})
    mixed = st.fixed_dictionaries({
        **{name: st.one_of(st.just(DEFAULT), hostile_values, st.just(OMIT)) for name in names},
        **{name: st.one_of(st.just(DEFAULT), hostile_files, st.just(OMIT))
           for name in file_names}})
    return st.one_of(mixed, uniform)


def sweeps(query_names, form_names, file_names, buttons) -> list[tuple[dict, dict]]:
    """Explicit (query, form) examples: each SWEEP value in every field at once, then the
    first SWEEP value in one field at a time with the others as the page would send them,
    once for each submit button (what a form refuses as a whole can hide what one field does
    on its own, and "Save" can take another path than "Save draft")."""
    def everywhere(names, index, files=()):
        return {**{name: [SWEEP[index]] for name in names},
                **{name: index % len(FILE_PAYLOADS) for name in files}}

    def only(names, chosen, pressed=None, files=()):
        fields = {name: [SWEEP[0]] if name == chosen else DEFAULT for name in names}
        return {**fields, **(pressed or {}), **{name: DEFAULT for name in files}}

    examples = [(everywhere(query_names, index), everywhere(form_names, index, file_names))
                for index in range(len(SWEEP))]
    examples += [(only(query_names, name), only(form_names, None, files=file_names))
                 for name in sorted(query_names)]
    presses = [{}] + [{name: [value]} for name, values in sorted(buttons.items())
                      for value in values[1:]]
    for pressed in presses:
        examples += [(only(query_names, None), only(form_names, name, pressed, file_names))
                     for name in sorted(form_names) if name not in pressed]
    return examples


def build_fields(choice: dict, defaults: dict) -> list[tuple]:
    """(name, value) pairs for the test client; files become fresh (stream, filename) pairs."""
    pairs = []
    for name, picked in choice.items():
        if picked == OMIT:
            continue
        if picked == DEFAULT:
            pairs += [(name, value) for value in defaults.get(name, [])]
        elif isinstance(picked, int):
            content, filename = FILE_PAYLOADS[picked]
            pairs.append((name, (io.BytesIO(content), filename)))
        else:
            pairs += [(name, value) for value in picked]
    return pairs


# --- noting the parameters a view reads --------------------------------------------------------

READ: dict[str, set[str]] = {"args": set(), "form": set()}


def _noting(kind: str):
    class Noting(ImmutableMultiDict):
        def __getitem__(self, key):
            READ[kind].add(key)
            return super().__getitem__(key)

        def getlist(self, key, type=None):  # noqa: A002 - werkzeug's signature
            READ[kind].add(key)
            return super().getlist(key, type)

        def __contains__(self, key):
            READ[kind].add(key)
            return super().__contains__(key)

    return Noting


NotingArgs, NotingForm = _noting("args"), _noting("form")


def noting_request_class(base):
    """The app's request class, noting every query parameter and form field a view asks for."""

    class NotingRequest(base):
        @cached_property
        def args(self):
            return NotingArgs(super().args)

        def _load_form_data(self):
            super()._load_form_data()
            self.__dict__["form"] = NotingForm(self.__dict__["form"])

    return NotingRequest


SOURCE_READS = re.compile(
    r"request\.(args|form)(?:\.get(?:list)?\(\s*|\[\s*)[\"']([\w\-]+)[\"']")


def names_in_source(source: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"args": set(), "form": set()}
    for kind, name in SOURCE_READS.findall(source):
        found[kind].add(name)
    return found


# --- a snapshot of the seeded world -----------------------------------------------------------

class Snapshot:
    """The database and upload folder as seeded, put back before each route's fuzzing."""

    def __init__(self, app, folder: Path):
        self.app, self.folder = app, folder
        self.uploads = Path(app.config["UPLOAD_FOLDER"])
        db.session.remove()
        self.sqlite_path = self._sqlite_path()
        if self.sqlite_path:
            db.engine.dispose()
            self._copy_sqlite(self.sqlite_path, folder / "snapshot.sqlite")
        else:
            with db.engine.connect() as connection:
                self.rows = {table.name: [dict(row._mapping) for row in connection.execute(
                    table.select().order_by(*table.primary_key.columns))]
                    for table in db.metadata.sorted_tables}
        if self.uploads.exists():
            shutil.copytree(self.uploads, folder / "uploads")

    def _sqlite_path(self) -> Path | None:
        url = db.engine.url
        return Path(url.database) if url.get_backend_name() == "sqlite" else None

    @staticmethod
    def _copy_sqlite(source: Path, target: Path) -> None:
        with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
            origin.backup(copy)
        origin.close()
        copy.close()

    def restore(self) -> None:
        db.session.remove()
        if self.sqlite_path:
            db.engine.dispose()
            self._copy_sqlite(self.folder / "snapshot.sqlite", self.sqlite_path)
        else:
            self._restore_rows()
        shutil.rmtree(self.uploads, ignore_errors=True)
        if (self.folder / "uploads").exists():
            shutil.copytree(self.folder / "uploads", self.uploads)

    def _restore_rows(self) -> None:
        tables = db.metadata.sorted_tables
        with db.engine.begin() as connection:
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            for table in tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
            for table in tables:
                serial = [column for column in table.primary_key.columns
                          if column.autoincrement in (True, "auto")
                          and column.type.python_type is int]
                for column in serial[:1]:
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', "
                        f"'{column.name}'), COALESCE(MAX(\"{column.name}\"), 0) + 1, false) "
                        f'FROM "{table.name}"'))
