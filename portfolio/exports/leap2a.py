"""A candidate's portfolio as a Leap2A package: the interchange format Mahara imports.

The package is a ZIP with `leap2a.xml` (an Atom feed in the Leap2A 2010-07 vocabulary) at its
root and every evidence file under `files/`. What goes in, and as which Leap2A item:

  the candidate            leap2:person (name, email as persondata)
  each entry               leap2:selection ("Grouping") whose parts are its versions, in order
  each saved version       leap2:entry (rendered text as HTML, is_part_of its entry,
                           is_evidence_of each competency it claims, supported_by its evidence)
  an unsaved working copy  leap2:entry, part of its entry, marked as the working copy
  each competency          leap2:ability ("TC3 Plan and review sessions")
  each evidence item       leap2:resource; a file by an `enclosure` link into files/, a web
                           link by a `related` link
  each goal                leap2:plan (target date, status, notes)
  the coaching philosophy  leap2:selection of leap2:entry versions, like an entry
  each sign-off            leap2:entry authored by the reviewer, `supports` the competency and
                           `relation` to the version it was made on

Leap2A has no term for an attestation, for a version's content hash, or for the Markdown the
candidate typed, so those travel in this product's own namespace (`acp:`), which Leap2A allows
and importers ignore. `read_package` reads a package back into the same plain structure that
`portability.personal_data` gives, so a test can prove nothing is silently dropped.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET  # noqa: S405  # nosec B405  (writing only; reading uses defusedxml)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from sqlalchemy import select

from ..auth.models import User
from ..entries.models import Entry, EntryVersion
from ..extensions import db
from ..frameworks.models import Competency
from .archive import NameRegistry, StreamingZip, is_compressed
from .document import PortfolioDocument
from .portability import personal_data
from .sources import evidence_file

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
ACP = "urn:advanced-coach-portfolio:leap2a"
LEAP2A_VERSION = "http://www.leapspecs.org/2010-07/2A/"
FEED_NAME = "leap2a.xml"
FILES = "files"

NAMESPACES = {"": ATOM, "rdf": RDF, "leap2": LEAP2, "categories": CATEGORIES, "acp": ACP}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _iso(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _stamp(value) -> str:
    """An Atom date-time (RFC 3339); plain dates become midnight UTC."""
    text = _iso(value)
    if len(text) == 10:
        return f"{text}T00:00:00Z"
    return text or "1970-01-01T00:00:00Z"


class _Feed:
    def __init__(self, title: str, author: str, updated: datetime, feed_id: str):
        self.root = ET.Element(_q(ATOM, "feed"))
        ET.SubElement(self.root, _q(LEAP2, "version")).text = LEAP2A_VERSION
        ET.SubElement(self.root, _q(ATOM, "id")).text = feed_id
        ET.SubElement(self.root, _q(ATOM, "title")).text = title
        person = ET.SubElement(self.root, _q(ATOM, "author"))
        ET.SubElement(person, _q(ATOM, "name")).text = author
        ET.SubElement(person, _q(ATOM, "uri")).text = "portfolio:person"
        ET.SubElement(self.root, _q(ATOM, "updated")).text = _stamp(updated)

    def item(self, item_id: str, leap_type: str, title: str, updated, *, published=None,
             content: str = "", content_type: str = "text", author: str | None = None
             ) -> ET.Element:
        entry = ET.SubElement(self.root, _q(ATOM, "entry"))
        ET.SubElement(entry, _q(ATOM, "title")).text = title or "Untitled"
        ET.SubElement(entry, _q(ATOM, "id")).text = item_id
        ET.SubElement(entry, _q(ATOM, "updated")).text = _stamp(updated)
        if published is not None:
            ET.SubElement(entry, _q(ATOM, "published")).text = _stamp(published)
        if author is not None:
            person = ET.SubElement(entry, _q(ATOM, "author"))
            ET.SubElement(person, _q(ATOM, "name")).text = author
        body = ET.SubElement(entry, _q(ATOM, "content"), {"type": content_type})
        body.text = content
        ET.SubElement(entry, _q(RDF, "type"), {_q(RDF, "resource"): f"leap2:{leap_type}"})
        return entry

    def to_bytes(self) -> bytes:
        ET.indent(self.root)
        text = ET.tostring(self.root, encoding="unicode", xml_declaration=True)
        # XML 1.0 cannot hold most control characters, even escaped; ElementTree writes them
        # as they are. They carry nothing a reader sees, so they are left out.
        return _NOT_XML.sub("", text).encode("utf-8")


def _link(entry: ET.Element, rel: str, href: str, **attributes) -> None:
    values = {"rel": rel, "href": href}
    for name, value in attributes.items():
        if value is not None:
            key = _q(LEAP2, "display_order") if name == "display_order" else name
            values[key] = str(value)
    ET.SubElement(entry, _q(ATOM, "link"), values)


def _category(entry: ET.Element, scheme: str, term: str) -> None:
    ET.SubElement(entry, _q(ATOM, "category"), {"term": term, "scheme": f"categories:{scheme}#"})


def _extension(entry: ET.Element, name: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(entry, _q(ACP, name), {k: str(v) for k, v in attributes.items()
                                                    if v is not None})
    if text is not None:
        element.text = text
    return element


def _sections(entry: ET.Element, sections: dict | None) -> None:
    """The Markdown the candidate typed, section by section (the HTML content is for reading)."""
    for key, text in (sections or {}).items():
        _extension(entry, "section", text or "", key=key)


def _html(rendered: dict | None, sections: dict | None) -> str:
    parts = []
    for key, text in (sections or {}).items():
        if not text:
            continue
        html = (rendered or {}).get(key)
        parts.append(f"<h3>{_escape(key.replace('_', ' ').capitalize())}</h3>"
                     + (html if html is not None else f"<pre>{_escape(text)}</pre>"))
    return "\n".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Package:
    feed: bytes
    files: list[tuple[str, object, bool | None]] = field(default_factory=list)  # name, path, stored
    missing: list[dict] = field(default_factory=list)


def build_package(user: User, doc: PortfolioDocument) -> Package:
    """The feed and the files to put beside it, for the candidate's own complete copy."""
    if not doc.is_owner_copy or doc.candidate.id != user.id:
        raise PermissionError("a Leap2A package is only made of one's own complete portfolio")
    data = personal_data(user, doc)
    feed = _Feed(f"{user.display_name}: Advanced Coach portfolio", user.display_name,
                 doc.generated_at, f"portfolio:export/{user.id}/{doc.generated_at:%Y%m%dT%H%M%S}")
    person = feed.item("portfolio:person", "person", user.display_name, doc.generated_at)
    ET.SubElement(person, _q(LEAP2, "persondata"), {_q(LEAP2, "field"): "email"}).text = user.email

    rendered = _rendered_versions(user.id)
    competencies, by_id = _competencies(data, doc)
    for code, title in sorted(competencies.items()):
        feed.item(f"portfolio:competency/{code}", "ability", f"{code} {title}".strip(),
                  doc.generated_at, content=title)

    package = Package(b"")
    names = NameRegistry()
    evidence_ids = set()
    for item in data["evidence"]:
        evidence_ids.add(item["id"])
        _evidence(feed, item, doc, names, package)
    for entry in data["entries"]:
        _entry(feed, entry, rendered, by_id, evidence_ids)
    if data["philosophy"]:
        _philosophy(feed, data["philosophy"], doc.generated_at)
    for position, goal in enumerate(data["goals"], start=1):
        _goal(feed, goal, position, doc.generated_at)
    for record in doc.signoffs:
        _signoff(feed, record, competencies)
    package.feed = feed.to_bytes()
    return package


def _rendered_versions(owner_id: int) -> dict[tuple[int, int], dict]:
    rows = db.session.execute(
        select(EntryVersion.entry_id, EntryVersion.number, EntryVersion.rendered)
        .join(Entry, Entry.id == EntryVersion.entry_id).where(Entry.owner_id == owner_id))
    return {(entry_id, number): html for entry_id, number, html in rows}


def _competencies(data: dict, doc: PortfolioDocument) -> tuple[dict[str, str], dict[int, str]]:
    """(code -> title, id -> code) for every competency a version claims or a sign-off names."""
    ids = {int(i) for entry in data["entries"] for version in entry["versions"]
           for i in version["content"].get("competency_ids", [])}
    titles: dict[str, str] = {}
    code_of: dict[int, str] = {}
    if ids:
        for competency in db.session.scalars(select(Competency).where(Competency.id.in_(ids))):
            titles[competency.code] = competency.title
            code_of[competency.id] = competency.code
    for record in doc.signoffs:
        titles.setdefault(record.competency_code, record.competency_title or "")
    return titles, code_of


def _evidence(feed: _Feed, item: dict, doc: PortfolioDocument, names: NameRegistry,
              package: Package) -> None:
    entry = feed.item(f"portfolio:evidence/{item['id']}", "resource", item["title"],
                      item["added_at"], published=item["added_at"],
                      content=item["description"] or "")
    _extension(entry, "evidence", kind=item["kind"], sha256=item["sha256"],
               original_filename=item["original_filename"])
    if item["url"]:
        _category(entry, "resource_type", "Web")
        _link(entry, "related", item["url"])
        return
    _category(entry, "resource_type", "Offline")
    evidence = next((e for e in doc.evidence if e.id == item["id"]), None)
    path = evidence_file(evidence) if evidence is not None else None
    name = names.claim(FILES, item["original_filename"] or item["title"], "evidence")
    if path is None:
        package.missing.append({"path": name, "evidence_id": item["id"], "sha256": item["sha256"]})
        _extension(entry, "missing-file", name)
        return
    _link(entry, "enclosure", name, type=item["media_type"] or "application/octet-stream",
          length=item["size"])
    package.files.append((name, path, is_compressed(item["media_type"])))


def _entry(feed: _Feed, entry: dict, rendered: dict, code_of: dict[int, str],
           evidence_ids: set[int]) -> None:
    base = f"portfolio:entry/{entry['id']}"
    versions = entry["versions"]
    saved = versions[-1]["content"].get("sections") if versions else None
    has_draft = (entry["working_copy"] or {}) != (saved or {}) and any(
        (entry["working_copy"] or {}).values())
    group = feed.item(base, "selection", entry["title"], entry["updated_at"],
                      published=entry["created_at"],
                      content=f"{len(versions)} saved version(s) of this reflective entry.")
    _category(group, "selection_type", "Grouping")
    _extension(group, "entry", privacy=entry["privacy"], status=entry["status"],
               practice_date=entry["practice_date"], session_type=entry["session_type"],
               event_group=entry["event_group"], athletes=entry["athletes"],
               reflection_model=entry["reflection_model"])
    if entry["practice_date"]:
        ET.SubElement(group, _q(LEAP2, "date"), {_q(LEAP2, "point"): "start"}).text = \
            entry["practice_date"]
    for order, version in enumerate(versions, start=1):
        _link(group, "leap2:has_part", f"{base}/version/{version['number']}", display_order=order)
    if has_draft:
        _link(group, "leap2:has_part", f"{base}/working-copy", display_order=len(versions) + 1)

    for version in versions:
        content = version["content"]
        item = feed.item(f"{base}/version/{version['number']}", "entry", version["title"],
                         version["saved_at"], published=version["saved_at"],
                         content=_html(rendered.get((entry["id"], version["number"])),
                                       content.get("sections")), content_type="html")
        _link(item, "leap2:is_part_of", base)
        for competency_id in content.get("competency_ids", []):
            code = code_of.get(int(competency_id))
            if code:
                _link(item, "leap2:is_evidence_of", f"portfolio:competency/{code}")
        for evidence_id in content.get("evidence_ids", []):
            if int(evidence_id) in evidence_ids:
                _link(item, "leap2:supported_by", f"portfolio:evidence/{int(evidence_id)}")
        _extension(item, "version", number=version["number"],
                   content_hash=version["content_hash"], note=version["note"] or None,
                   privacy=content.get("privacy"))
        for tag in content.get("tags", []) or []:
            ET.SubElement(item, _q(ATOM, "category"), {"term": str(tag), "label": str(tag)})
        _sections(item, content.get("sections"))
    if has_draft:
        draft = feed.item(f"{base}/working-copy", "entry", f"{entry['title']} (working copy)",
                          entry["updated_at"],
                          content=_html(None, entry["working_copy"]), content_type="html")
        _link(draft, "leap2:is_part_of", base)
        _extension(draft, "working-copy")
        _sections(draft, entry["working_copy"])


def _philosophy(feed: _Feed, philosophy: dict, updated) -> None:
    base = "portfolio:philosophy"
    group = feed.item(base, "selection", "My coaching philosophy", updated,
                      content=f"{len(philosophy['versions'])} saved version(s).")
    _category(group, "selection_type", "Grouping")
    _extension(group, "philosophy", privacy=philosophy["privacy"])
    for version in philosophy["versions"]:
        _link(group, "leap2:has_part", f"{base}/version/{version['number']}",
              display_order=version["number"])
        item = feed.item(f"{base}/version/{version['number']}", "entry",
                         f"My coaching philosophy (version {version['number']})",
                         version["saved_at"], published=version["saved_at"],
                         content=version["body"])
        _link(item, "leap2:is_part_of", base)
        _extension(item, "version", number=version["number"],
                   content_hash=version["content_hash"])
    if philosophy["working_copy"] and (not philosophy["versions"] or
                                       philosophy["working_copy"] !=
                                       philosophy["versions"][-1]["body"]):
        _link(group, "leap2:has_part", f"{base}/working-copy")
        draft = feed.item(f"{base}/working-copy", "entry", "My coaching philosophy (working copy)",
                          updated, content=philosophy["working_copy"])
        _link(draft, "leap2:is_part_of", base)
        _extension(draft, "working-copy")


def _goal(feed: _Feed, goal: dict, position: int, updated) -> None:
    notes = "\n\n".join(f"{note['written_at']}: {note['body']}" for note in goal["notes"])
    item = feed.item(f"portfolio:goal/{position}", "plan", goal["title"], updated,
                     content="\n\n".join(part for part in (goal["description"], notes) if part))
    if goal["target_date"]:
        ET.SubElement(item, _q(LEAP2, "date"), {_q(LEAP2, "point"): "target"}).text = \
            goal["target_date"]
    _extension(item, "goal", status=goal["status"], privacy=goal["privacy"],
               description=goal["description"] or None)
    for code in goal["competencies"]:
        _link(item, "leap2:relation", f"portfolio:competency/{code}")
    for note in goal["notes"]:
        _extension(item, "note", note["body"], written_at=note["written_at"])


def _signoff(feed: _Feed, record, competencies: dict[str, str]) -> None:
    title = f"Sign-off: {record.competency_code} {record.decision_label.lower()}"
    lines = [f"{record.role_label} {record.reviewer_name} recorded \"{record.decision_label}\" "
             f"for {record.competency_code} {competencies.get(record.competency_code, '')}"
             .rstrip() + f" on version {record.version_number} of \"{record.entry_label}\".",
             f"Content hash of that version: {record.content_hash}."]
    if record.revoked_at:
        lines.append(f"Revoked on {record.revoked_at:%d %B %Y}.")
    item = feed.item(f"portfolio:signoff/{record.id}", "entry", title, record.created_at,
                     published=record.created_at, content="\n".join(lines),
                     author=record.reviewer_name)
    _link(item, "leap2:supports", f"portfolio:competency/{record.competency_code}")
    _link(item, "leap2:relation",
          f"portfolio:entry/{record.entry_id}/version/{record.version_number}")
    _extension(item, "attestation", competency=record.competency_code, role=record.role,
               decision=record.decision, reviewer=record.reviewer_name,
               version=record.version_number, content_hash=record.content_hash,
               revoked_at=_iso(record.revoked_at) or None)


def write_package(package: Package, archive: StreamingZip) -> None:
    archive.add_bytes(FEED_NAME, package.feed)
    for name, path, stored in package.files:
        archive.add_file(name, path, stored=stored)


# --- Reading a package back -------------------------------------------------------------------

class InvalidPackage(ValueError):
    """The package breaks Atom or Leap2A rules, or refers to something it does not hold."""


def read_package(source) -> dict:
    """A Leap2A ZIP read back into the shape of `portability.personal_data`'s content.

    Checks as it reads: the feed is Atom with the Leap2A version, every item has an id, a
    title and an updated time, ids are unique, every `portfolio:` link points at an item in
    the feed, and every enclosure names a file in the ZIP whose length and SHA-256 match.
    """
    with zipfile.ZipFile(source if not isinstance(source, bytes) else io.BytesIO(source)) as zf:
        names = set(zf.namelist())
        if FEED_NAME not in names:
            raise InvalidPackage("no leap2a.xml at the top of the package")
        root = _parse(zf.read(FEED_NAME))
        if root.tag != _q(ATOM, "feed"):
            raise InvalidPackage("leap2a.xml is not an Atom feed")
        if root.findtext(_q(LEAP2, "version")) != LEAP2A_VERSION:
            raise InvalidPackage("the feed does not declare Leap2A 2010-07")
        for required in ("id", "title", "updated"):
            if not root.findtext(_q(ATOM, required)):
                raise InvalidPackage(f"the feed has no {required}")
        items: dict[str, ET.Element] = {}
        for element in root.findall(_q(ATOM, "entry")):
            item_id = element.findtext(_q(ATOM, "id"))
            for required in ("id", "title", "updated"):
                if not element.findtext(_q(ATOM, required)):
                    raise InvalidPackage(f"an item has no {required}: {item_id}")
            if element.find(_q(RDF, "type")) is None:
                raise InvalidPackage(f"item {item_id} has no Leap2A type")
            if item_id in items:
                raise InvalidPackage(f"item id used twice: {item_id}")
            items[item_id] = element
        files = {}
        for item_id, element in items.items():
            for link in element.findall(_q(ATOM, "link")):
                href, rel = link.get("href", ""), link.get("rel", "")
                if rel == "enclosure":
                    if href not in names:
                        raise InvalidPackage(f"{item_id} encloses a missing file: {href}")
                    data = zf.read(href)
                    if link.get("length") and int(link.get("length")) != len(data):
                        raise InvalidPackage(f"{href} does not have the length its link says")
                    files[item_id] = {"path": href, "size": len(data),
                                      "sha256": hashlib.sha256(data).hexdigest(),
                                      "media_type": link.get("type")}
                elif href.startswith("portfolio:") and href not in items:
                    raise InvalidPackage(f"{item_id} links to {href}, which is not in the feed")
    return _portfolio(items, files)


def _parse(data: bytes) -> ET.Element:
    """Parse the feed, refusing document types, entity declarations and external references."""
    try:
        return safe_fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise InvalidPackage("leap2a.xml may not declare a document type or entities") from error
    except ET.ParseError as error:
        raise InvalidPackage(f"leap2a.xml is not well-formed XML: {error}") from error


def _type(element: ET.Element) -> str:
    return element.find(_q(RDF, "type")).get(_q(RDF, "resource"), "").removeprefix("leap2:")


def _ext(element: ET.Element, name: str) -> ET.Element | None:
    return element.find(_q(ACP, name))


def _links(element: ET.Element, rel: str) -> list[ET.Element]:
    return [link for link in element.findall(_q(ATOM, "link")) if link.get("rel") == rel]


def _sections_of(element: ET.Element) -> dict:
    return {section.get("key"): section.text or "" for section in element.findall(_q(ACP, "section"))}


def _portfolio(items: dict[str, ET.Element], files: dict[str, dict]) -> dict:
    result: dict = {"person": None, "entries": [], "evidence": [], "goals": [],
                    "philosophy": None, "signoffs": [], "competencies": {}}
    for item_id, element in items.items():
        kind, title = _type(element), element.findtext(_q(ATOM, "title"))
        if kind == "person":
            email = element.find(_q(LEAP2, "persondata"))
            result["person"] = {"name": title, "email": email.text if email is not None else None}
        elif kind == "ability":
            code = item_id.removeprefix("portfolio:competency/")
            result["competencies"][code] = element.findtext(_q(ATOM, "content")) or ""
        elif kind == "resource":
            facts = _ext(element, "evidence")
            related = _links(element, "related")
            result["evidence"].append({
                "id": int(item_id.rsplit("/", 1)[1]), "title": title,
                "kind": facts.get("kind"), "description": element.findtext(_q(ATOM, "content")),
                "url": related[0].get("href") if related else None,
                "sha256": facts.get("sha256"), "original_filename": facts.get("original_filename"),
                "file": files.get(item_id)})
        elif kind == "plan":
            facts = _ext(element, "goal")
            result["goals"].append({
                "title": title, "description": facts.get("description", ""),
                "target_date": element.findtext(_q(LEAP2, "date")),
                "status": facts.get("status"), "privacy": facts.get("privacy"),
                "competencies": [link.get("href").removeprefix("portfolio:competency/")
                                 for link in _links(element, "leap2:relation")],
                "notes": [{"written_at": note.get("written_at"), "body": note.text or ""}
                          for note in element.findall(_q(ACP, "note"))]})
        elif kind == "selection" and _ext(element, "entry") is not None:
            result["entries"].append(_read_entry(item_id, element, items))
        elif kind == "selection" and _ext(element, "philosophy") is not None:
            result["philosophy"] = _read_philosophy(element, items)
        elif kind == "entry" and _ext(element, "attestation") is not None:
            facts = _ext(element, "attestation")
            result["signoffs"].append({
                "id": int(item_id.rsplit("/", 1)[1]), "competency": facts.get("competency"),
                "role": facts.get("role"), "decision": facts.get("decision"),
                "reviewer": facts.get("reviewer"), "version_number": int(facts.get("version")),
                "content_hash": facts.get("content_hash"),
                "revoked_at": facts.get("revoked_at"),
                "entry_id": int(_links(element, "leap2:relation")[0].get("href").split("/")[1])})
    return result


def _parts(group: ET.Element, items: dict[str, ET.Element]) -> list[ET.Element]:
    links = sorted(_links(group, "leap2:has_part"),
                   key=lambda link: int(link.get(_q(LEAP2, "display_order")) or 10**9))
    return [items[link.get("href")] for link in links]


def _read_entry(item_id: str, group: ET.Element, items: dict[str, ET.Element]) -> dict:
    facts = _ext(group, "entry")
    versions, working_copy = [], None
    for part in _parts(group, items):
        if _ext(part, "working-copy") is not None:
            working_copy = _sections_of(part)
            continue
        version = _ext(part, "version")
        content = {"sections": _sections_of(part),
                   "competency_codes": [link.get("href").removeprefix("portfolio:competency/")
                                        for link in _links(part, "leap2:is_evidence_of")],
                   "evidence_ids": [int(link.get("href").rsplit("/", 1)[1])
                                    for link in _links(part, "leap2:supported_by")],
                   "tags": [category.get("term") for category in part.findall(_q(ATOM, "category"))
                            if category.get("scheme") is None]}
        if version.get("privacy") is not None:
            content["privacy"] = version.get("privacy")
        versions.append({"number": int(version.get("number")),
                         "title": part.findtext(_q(ATOM, "title")),
                         "saved_at": part.findtext(_q(ATOM, "published")),
                         "content_hash": version.get("content_hash"),
                         "note": version.get("note", ""), "content": content})
    return {"id": int(item_id.rsplit("/", 1)[1]), "title": group.findtext(_q(ATOM, "title")),
            "privacy": facts.get("privacy"), "status": facts.get("status"),
            "practice_date": facts.get("practice_date"),
            "session_type": facts.get("session_type"), "event_group": facts.get("event_group"),
            "athletes": facts.get("athletes"), "reflection_model": facts.get("reflection_model"),
            "working_copy": working_copy, "versions": versions}


def _read_philosophy(group: ET.Element, items: dict[str, ET.Element]) -> dict:
    versions, working_copy = [], None
    for part in _parts(group, items):
        if _ext(part, "working-copy") is not None:
            working_copy = part.findtext(_q(ATOM, "content")) or ""
            continue
        version = _ext(part, "version")
        versions.append({"number": int(version.get("number")),
                         "saved_at": part.findtext(_q(ATOM, "published")),
                         "body": part.findtext(_q(ATOM, "content")) or "",
                         "content_hash": version.get("content_hash")})
    return {"privacy": _ext(group, "philosophy").get("privacy"), "working_copy": working_copy,
            "versions": versions}
