"""Demo evidence: session diagrams drawn with Pillow, session plans as small PDFs, a link.

Everything goes through the evidence services (staging, type checks, re-encoding, thumbnails),
so the demo exercises the real upload path. Evidence is attached to the candidate's two most
recent saved entries, which then get a new saved version listing it. Idempotent: identical
files are recognised by their hash, attached evidence is not attached twice.
"""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..auth.models import User
from ..database import utcnow
from ..entries import services as entry_services
from ..entries.models import Entry, EntryStatus
from ..evidence import services
from ..evidence.models import Evidence
from ..evidence.permissions import can_upload_evidence
from ..extensions import db

# Per candidate: (diagram title, diagram drawer), (plan title, plan lines), optional link.
DEMO_EVIDENCE = {
    "coach1@example.org": {
        "diagram": ("Block start set-up, lane 4", "blocks"),
        "plan": ("Hurdle rhythm session plan", [
            "Hurdle rhythm session plan - U17 sprint hurdles group",
            "Warm-up: 15 min, A-skips, B-skips, lead-leg drills over mini hurdles",
            "Main set: 5 x 3 hurdles at reduced spacing (7.5 m), walk-back recovery",
            "Cue: 'fast trail leg, tall hips'. Film reps 2 and 5 from the side.",
            "Cool-down: 10 min easy jog, hip mobility",
        ]),
        "link": ("County championships 100 m hurdles final (unlisted video)",
                 "https://video.example.org/watch/county-100mh-final"),
    },
    "coach2@example.org": {
        "diagram": ("Long jump approach check marks", "approach"),
        "plan": ("Combined events training week", [
            "Combined events training week - heptathlon group, pre-season",
            "Mon: hurdles technique + shot put (standing throws)",
            "Tue: high jump approach curve, 6 full approaches",
            "Thu: long jump run-ups with check marks at 6 and 12 strides",
            "Sat: 200 m tempo 6 x 150 m, javelin cross-over drills",
        ]),
        "link": None,
    },
    "coach3@example.org": {
        "diagram": ("6 x 400 m session layout", "oval"),
        "plan": ("Winter endurance block plan", [
            "Winter endurance block - 800 m / 1500 m group, weeks 1-6",
            "Weekly: one threshold session, one rep session, one long run",
            "Rep session: 6 x 400 m at 1500 m pace, 90 s recovery",
            "Monitor: session RPE and sleep notes in the group log",
            "Review in week 6 with the coach developer",
        ]),
        "link": ("Club cross-country relay leg (unlisted video)",
                 "https://video.example.org/watch/xc-relay-leg-2"),
    },
}


def seed(users: dict[str, User]) -> bool:
    created = False
    for email, plan in DEMO_EVIDENCE.items():
        candidate = users.get(email)
        if candidate is None or not can_upload_evidence(candidate):
            continue
        items, new = _library(candidate, plan)
        created = _attach_to_recent_entries(candidate, items) or new or created
    db.session.flush()
    return created


def _library(candidate: User, plan: dict) -> tuple[list[Evidence], bool]:
    title, kind = plan["diagram"]
    outcomes = [
        services.upload_file(candidate, _file(f"{title}.png", diagram_png(kind, title)),
                             title=title),
        services.upload_file(candidate, _file(f"{plan['plan'][0]}.pdf",
                                              simple_pdf(plan["plan"][1])),
                             title=plan["plan"][0]),
    ]
    items = [outcome.evidence for outcome in outcomes]
    created = any(not outcome.reused for outcome in outcomes)
    if plan["link"]:
        link_title, url = plan["link"]
        link = db.session.scalar(select(Evidence).where(
            Evidence.owner_id == candidate.id, Evidence.kind == "link", Evidence.url == url))
        if link is None:
            link = services.add_link(candidate, title=link_title, url=url,
                                     description="Shared with my peer group for feedback on "
                                                 "race preparation.")
            created = True
        items.append(link)
    return items, created


def _attach_to_recent_entries(candidate: User, items: list[Evidence]) -> bool:
    entries = list(db.session.scalars(
        select(Entry).where(Entry.owner_id == candidate.id,
                            Entry.status == EntryStatus.PUBLISHED)
        .order_by(Entry.practice_date.desc(), Entry.id.desc()).limit(2)))
    changed = False
    for index, entry in enumerate(entries):
        chosen = items[index::2] if len(entries) > 1 else items
        if not any([services.attach(candidate, entry, item) for item in chosen]):
            continue
        latest = entry_services.latest_version(entry)
        saved_at = min(utcnow(), latest.created_at + timedelta(hours=3)) if latest else None
        entry_services.save_version(entry, candidate, "Evidence added", saved_at=saved_at)
        changed = True
    return changed


def _file(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


# --- generated files -------------------------------------------------------------------

TRACK_RED = (176, 64, 48)
LINE_WHITE = (250, 250, 250)
GRASS = (86, 140, 72)
CONE = (240, 140, 20)
INK = (20, 30, 40)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def diagram_png(kind: str, title: str) -> bytes:
    """A simple coaching diagram: lanes, cones and arrows, with a caption."""
    image = Image.new("RGB", (960, 600), GRASS)
    draw = ImageDraw.Draw(image)
    {"blocks": _draw_blocks, "approach": _draw_approach, "oval": _draw_oval}[kind](draw)
    draw.rectangle((0, 540, 960, 600), fill=(255, 255, 255))
    draw.text((20, 552), title, fill=INK, font=_font(28))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _draw_lanes(draw, top=60, bottom=500, lanes=6):
    draw.rectangle((0, top, 960, bottom), fill=TRACK_RED)
    height = (bottom - top) / lanes
    for lane in range(lanes + 1):
        y = top + lane * height
        draw.line((0, y, 960, y), fill=LINE_WHITE, width=3)
    return height


def _cone(draw, x, y, label=None):
    draw.polygon([(x, y - 16), (x - 12, y + 10), (x + 12, y + 10)], fill=CONE, outline=INK)
    if label:
        draw.text((x - 20, y + 14), label, fill=LINE_WHITE, font=_font(18))


def _arrow(draw, start, end):
    draw.line((*start, *end), fill=LINE_WHITE, width=5)
    x, y = end
    draw.polygon([(x, y), (x - 18, y - 10), (x - 18, y + 10)], fill=LINE_WHITE)


def _draw_blocks(draw):
    height = _draw_lanes(draw)
    lane_y = 60 + 3.5 * height
    draw.line((120, 60, 120, 500), fill=LINE_WHITE, width=6)  # start line
    draw.rectangle((80, lane_y - 14, 112, lane_y - 4), fill=(60, 60, 60))  # front block
    draw.rectangle((50, lane_y + 4, 82, lane_y + 14), fill=(60, 60, 60))  # rear block
    for distance, x in (("10 m", 380), ("20 m", 640), ("30 m", 900)):
        _cone(draw, x, lane_y, distance)
    _arrow(draw, (130, lane_y), (360, lane_y))


def _draw_approach(draw):
    draw.rectangle((0, 220, 960, 340), fill=TRACK_RED)
    draw.rectangle((800, 200, 960, 360), fill=(230, 210, 160))  # sand pit
    draw.rectangle((760, 226, 772, 334), fill=LINE_WHITE)  # take-off board
    for label, x in (("start", 80), ("6 strides", 340), ("12 strides", 600)):
        _cone(draw, x, 280, label)
    _arrow(draw, (100, 324), (740, 324))


def _draw_oval(draw):
    draw.rounded_rectangle((60, 60, 900, 500), radius=220, fill=TRACK_RED)
    draw.rounded_rectangle((140, 140, 820, 420), radius=140, fill=GRASS)
    draw.line((480, 60, 480, 140), fill=LINE_WHITE, width=6)  # start/finish
    _cone(draw, 480, 100, "start")
    _cone(draw, 860, 280, "200 m")
    draw.text((300, 250), "6 x 400 m, 90 s jog recovery", fill=LINE_WHITE, font=_font(26))


def simple_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF with the lines in Helvetica (built by hand, no dependencies)."""

    def escape(text: str) -> str:
        safe = text.encode("latin-1", "replace").decode("latin-1")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 16 Tf", "56 780 Td", f"({escape(lines[0])}) Tj", "/F1 11 Tf"]
    for line in lines[1:]:
        commands += ["0 -22 Td", f"({escape(line)}) Tj"]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()
