"""Import and export frameworks as JSON (complete) and CSV (one row per competency).

An import always creates a draft, so nothing reaches a cohort before a lead publishes it.
Every problem in a file is listed (by row for CSV, by area and competency for JSON).
"""

from __future__ import annotations

import json

from ..audit.services import record
from ..errors import DomainError
from ..extensions import db
from ..programmes.csvtools import (
    csv_rows,
    decode_csv_bytes,
    looks_like_formula,
    normalise_header,
    unneutralise_cell,
    write_csv,
)
from ..wording import plural
from .models import Competency, CompetencyArea, Framework, FrameworkStatus
from .services import CompetencyDetails, clean_name, competency_problems, latest_version

FORMAT = "advanced-coach-portfolio/framework"
FORMAT_VERSION = 1
MAX_BYTES = 1024 * 1024
MAX_VERSION = 10_000  # a framework revised every week for two centuries
CSV_HEADER = ["area", "area description", "code", "title", "description",
              "evidence guidance", "coach developer sign-offs", "peer sign-offs"]
TEXT_LIMITS = {"description": 20_000, "evidence_guidance": 20_000}


class ImportProblems(DomainError):
    """A file that cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: list[str]):
        super().__init__(f"The file was not imported: {plural(len(problems), 'problem')} found.",
                         field="file")
        self.problems = problems


# --- export -----------------------------------------------------------------------------------

def framework_document(framework: Framework) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": framework.name,
        "version": framework.version,
        "description": framework.description or "",
        "areas": [{
            "title": area.title,
            "description": area.description or "",
            "competencies": [{
                "code": item.code,
                "title": item.title,
                "description": item.description or "",
                "evidence_guidance": item.evidence_guidance or "",
                "developer_signoffs_required": item.developer_signoffs_required,
                "peer_signoffs_required": item.peer_signoffs_required,
            } for item in area.competencies],
        } for area in framework.areas],
    }


def export_json(framework: Framework) -> str:
    return json.dumps(framework_document(framework), indent=2, ensure_ascii=False) + "\n"


def export_csv(framework: Framework) -> str:
    rows = [CSV_HEADER]
    for area in framework.areas:
        for item in area.competencies:
            rows.append([area.title, area.description, item.code, item.title, item.description,
                         item.evidence_guidance, item.developer_signoffs_required,
                         item.peer_signoffs_required])
    return write_csv(rows)


def export_filename(framework: Framework, extension: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in framework.name.lower()).strip("-")
    return f"{'-'.join(filter(None, slug.split('-')))}-v{framework.version}.{extension}"


# --- import -----------------------------------------------------------------------------------

def import_framework(actor, data: bytes, filename: str, name: str = "") -> Framework:
    """Create a draft from an uploaded JSON or CSV file; raises ImportProblems listing all."""
    if len(data) > MAX_BYTES:
        raise DomainError(f"The file is larger than {MAX_BYTES // 1024:,} KB.", field="file")
    lowered = (filename or "").lower()
    if lowered.endswith(".json") or data.lstrip()[:1] == b"{":
        document = _load_json(data)
        if name.strip():
            document["name"] = name
    elif lowered.endswith(".csv") or lowered.endswith(".txt"):
        if not name.strip():
            raise DomainError("Enter a name for the framework: a CSV file does not hold one.",
                              field="name")
        document = csv_document(data, name)
    else:
        raise DomainError("Choose a .json or .csv file.", field="file")
    framework = build_from_document(actor, document)
    record("framework.imported", actor=actor, target=framework, name=framework.name,
           version=framework.version, file=filename or "")
    return framework


def _load_json(data: bytes) -> dict:
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise DomainError("The JSON file is not UTF-8 text.", field="file") from None
    except json.JSONDecodeError as error:
        raise DomainError(f"The file is not valid JSON (line {error.lineno}, column "
                          f"{error.colno}: {error.msg}).", field="file") from None
    except RecursionError:
        raise DomainError("The file is not a framework export: its lists and objects are "
                          "nested far too deeply.", field="file") from None
    except ValueError:  # a number of thousands of digits, NaN or Infinity
        raise DomainError("The file is not a framework export: it holds a number that is far "
                          "too long, or NaN or Infinity.", field="file") from None
    if not isinstance(document, dict):
        raise ImportProblems(["The file must hold one framework object."])
    if document.get("format") != FORMAT:
        raise ImportProblems([f"The file is not a framework export (its “format” must be "
                              f"“{FORMAT}”)."])
    return document


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def csv_document(data: bytes, name: str) -> dict:
    """Read a one-row-per-competency CSV into the same document shape as a JSON export."""
    rows = [row for row in csv_rows(decode_csv_bytes(data)) if any(c.strip() for c in row)]
    if not rows:
        raise DomainError("The file is empty.", field="file")
    header = [normalise_header(cell).lstrip("\ufeff") for cell in rows[0]]
    if header != CSV_HEADER:
        raise DomainError("The first row must be the column headings: "
                          + ", ".join(CSV_HEADER) + ".", field="file")
    problems, areas = [], {}
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(CSV_HEADER):
            problems.append(f"Row {line}: expected {len(CSV_HEADER)} cells, found {len(cells)}.")
            continue
        formulas = [(CSV_HEADER[i], cell[0]) for i, cell in enumerate(cells)
                    if looks_like_formula(cell)]
        if formulas:
            column, start = formulas[0]
            problems.append(f"Row {line}: the {column} cell starts with “{start}”, which a "
                            "spreadsheet would run as a formula. Remove it.")
            continue
        cells = [unneutralise_cell(cell) for cell in cells]
        area_title, area_description = " ".join(cells[0].split()), cells[1]
        if not area_title:
            problems.append(f"Row {line}: the area is missing.")
            continue
        area = areas.setdefault(area_title, {"title": area_title, "description": area_description,
                                             "competencies": [], "_line": line})
        if area_description and area["description"] and area_description != area["description"]:
            problems.append(f"Row {line}: the area description differs from row "
                            f"{area['_line']} for the same area.")
        area["description"] = area["description"] or area_description
        area["competencies"].append({
            "code": cells[2], "title": cells[3], "description": cells[4],
            "evidence_guidance": cells[5], "developer_signoffs_required": _number(cells[6]),
            "peer_signoffs_required": _number(cells[7]), "_label": f"Row {line}",
        })
    if problems:
        raise ImportProblems(problems)
    return {"format": FORMAT, "name": name, "description": "",
            "areas": [{k: v for k, v in area.items() if k != "_line"} for area in areas.values()]}


def _number(cell: str):
    cell = cell.strip()
    return int(cell) if cell.isdigit() else cell


def document_problems(document: dict) -> list[str]:
    """Every problem in a framework document, each saying where it is."""
    problems = []
    try:
        clean_name(document.get("name") if isinstance(document.get("name"), str) else "")
    except DomainError as error:
        problems.append(error.message)
    if not isinstance(document.get("description", ""), str):
        problems.append("The framework description must be text.")
    version = document.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)
                                or not 1 <= version <= MAX_VERSION):
        problems.append(f"The version must be a whole number from 1 to {MAX_VERSION:,}.")
    areas = document.get("areas")
    if not isinstance(areas, list) or not areas:
        return [*problems, "The framework needs at least one area."]
    seen: dict[str, str] = {}
    for number, area in enumerate(areas, start=1):
        if not isinstance(area, dict):
            problems.append(f"Area {number}: must be an object.")
            continue
        where = f"Area {number}"
        title = area.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > 160:
            problems.append(f"{where}: enter a title of up to 160 characters.")
        if not isinstance(area.get("description", ""), str):
            problems.append(f"{where}: the description must be text.")
        items = area.get("competencies")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: needs at least one competency.")
            continue
        for index, item in enumerate(items, start=1):
            label = item.get("_label") if isinstance(item, dict) else None
            problems += _competency_entry_problems(item, label or f"{where}, competency {index}",
                                                   seen)
    return problems


def _competency_entry_problems(item, where: str, seen: dict[str, str]) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: must be an object."]
    texts = {key: item.get(key, "") for key in ("code", "title", "description",
                                                "evidence_guidance")}
    if any(not isinstance(value, str) for value in texts.values()):
        return [f"{where}: code, title, description and evidence guidance must be text."]
    details = CompetencyDetails(**texts,
                                developer_signoffs_required=item.get(
                                    "developer_signoffs_required"),
                                peer_signoffs_required=item.get("peer_signoffs_required"))
    code = details.code.strip().upper()
    label = f"{where} ({code})" if code else where
    problems = [f"{label}: {message}" for _field, message in competency_problems(details)]
    for key, limit in TEXT_LIMITS.items():
        if len(texts[key]) > limit:
            problems.append(f"{label}: the {key.replace('_', ' ')} is over {limit:,} characters.")
    if code and code in seen:
        problems.append(f"{label}: the code {code} is used twice (also {seen[code]}).")
    elif code:
        seen[code] = where
    return problems


def build_from_document(actor, document: dict) -> Framework:
    problems = document_problems(document)
    if problems:
        raise ImportProblems(problems)
    name = clean_name(document["name"])
    requested = document.get("version")
    version = latest_version(name) + 1
    if isinstance(requested, int) and not isinstance(requested, bool) and requested > version:
        version = requested
    framework = Framework(name=name, version=version, status=FrameworkStatus.DRAFT,
                          description=document.get("description") or "")
    db.session.add(framework)
    db.session.flush()
    for position, area in enumerate(document["areas"]):
        row = CompetencyArea(framework_id=framework.id, position=position,
                             title=" ".join(area["title"].split()),
                             description=area.get("description") or "")
        db.session.add(row)
        db.session.flush()
        for index, item in enumerate(area["competencies"]):
            db.session.add(Competency(
                framework_id=framework.id, area_id=row.id, position=index,
                code=item["code"].strip().upper(), title=" ".join(item["title"].split()),
                description=item.get("description") or "",
                evidence_guidance=item.get("evidence_guidance") or "",
                developer_signoffs_required=item["developer_signoffs_required"],
                peer_signoffs_required=item["peer_signoffs_required"]))
    db.session.flush()
    db.session.expire(framework)
    return framework
