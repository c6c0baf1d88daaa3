"""Observation templates: drafting, publishing, new versions and the two shipped defaults.

Leads write a template's sections and criteria as plain lines (one form field, no JavaScript):

    ## Section title
    - Criterion text [VP1, TC2]

The codes in brackets map the criterion to competencies of the template's framework version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..access import is_manager
from ..database import utcnow
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..frameworks.models import Competency, Framework, FrameworkStatus
from .models import ObservationTemplate, TemplateStatus

MAX_NAME = 160
MAX_PROMPT = 600
MAX_SCALE_POINTS = 7
MAX_CRITERIA = 60
MAX_CRITERION = 300
CONFLICT = ("This template was changed somewhere else after you opened it, so your changes "
            "were not saved over it.")
_CODES = re.compile(r"\[([^\[\]]*)\]\s*$")


@dataclass
class TemplateDraft:
    name: str
    structure: str
    scale: str  # one label per line, lowest first
    description: str = ""
    strengths_prompt: str = ""
    next_steps_prompt: str = ""
    peers_may_record: bool = False


def _require_manager(actor) -> None:
    if not is_manager(actor):
        raise DomainError("Only a programme lead or admin can change observation templates.")


def parse_scale(text: str) -> list[str]:
    labels = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    if not 2 <= len(labels) <= MAX_SCALE_POINTS:
        raise DomainError(f"Give the rating scale 2 to {MAX_SCALE_POINTS} points, one a line.",
                          field="scale")
    if len(set(label.lower() for label in labels)) != len(labels):
        raise DomainError("Each point of the scale needs its own label.", field="scale")
    if any(len(label) > 60 for label in labels):
        raise DomainError("Keep each label of the scale to 60 characters.", field="scale")
    return labels


def parse_structure(text: str, framework_id: int) -> list[dict]:
    """The sections and criteria written as lines; codes are checked against the framework."""
    codes = dict(db.session.execute(select(Competency.code, Competency.id)
                                    .where(Competency.framework_id == framework_id)).all())
    sections: list[dict] = []
    count = 0
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            sections.append({"title": line.lstrip("#").strip()[:MAX_CRITERION], "criteria": []})
            continue
        if not sections:
            sections.append({"title": "Observation", "criteria": []})
        count += 1
        sections[-1]["criteria"].append(_criterion(line.lstrip("-*").strip(), codes, number,
                                                   f"c{count}"))
    if not count:
        raise DomainError("Add at least one criterion: a line starting with “-”.",
                          field="structure")
    if count > MAX_CRITERIA:
        raise DomainError(f"A template can have at most {MAX_CRITERIA} criteria.",
                          field="structure")
    if any(not section["criteria"] or not section["title"] for section in sections):
        raise DomainError("Every section needs a title and at least one criterion.",
                          field="structure")
    return sections


def _criterion(line: str, codes: dict[str, int], number: int, key: str) -> dict:
    ids: list[int] = []
    match = _CODES.search(line)
    if match:
        line = line[:match.start()].strip()
        for code in (part.strip() for part in match.group(1).split(",")):
            if code and code not in codes:
                raise DomainError(f"Line {number}: {code} is not a competency code of this "
                                  "framework version.", field="structure")
            if code and codes[code] not in ids:
                ids.append(codes[code])
    if not line or len(line) > MAX_CRITERION:
        raise DomainError(f"Line {number}: write the criterion in 1 to {MAX_CRITERION} "
                          "characters.", field="structure")
    return {"key": key, "text": line, "competency_ids": ids}


def structure_text(template: ObservationTemplate) -> str:
    """A template's sections and criteria as the lines a lead edits."""
    codes = dict(db.session.execute(select(Competency.id, Competency.code)
                                    .where(Competency.framework_id == template.framework_id)).all())
    lines = []
    for section in template.sections or []:
        lines.append(f"## {section['title']}")
        for criterion in section["criteria"]:
            mapped = ", ".join(codes[i] for i in criterion["competency_ids"] if i in codes)
            lines.append(f"- {criterion['text']}" + (f" [{mapped}]" if mapped else ""))
    return "\n".join(lines)


def _apply(template: ObservationTemplate, draft: TemplateDraft) -> None:
    name = " ".join((draft.name or "").split())
    if not name or len(name) > MAX_NAME:
        raise DomainError(f"Enter a name of up to {MAX_NAME} characters.", field="name")
    for field in ("strengths_prompt", "next_steps_prompt"):
        if len(getattr(draft, field) or "") > MAX_PROMPT:
            raise DomainError(f"Keep the prompt to {MAX_PROMPT} characters.", field=field)
    template.name = name
    template.scale = parse_scale(draft.scale)
    template.sections = parse_structure(draft.structure, template.framework_id)
    template.description = (draft.description or "").strip()
    template.strengths_prompt = (draft.strengths_prompt or "").strip()
    template.next_steps_prompt = (draft.next_steps_prompt or "").strip()
    template.peers_may_record = bool(draft.peers_may_record)


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(CONFLICT) from error
    except IntegrityError as error:
        raise DomainError("A template of that name and version exists for this framework "
                          "version already.", field="name") from error


def create_template(actor, framework: Framework, draft: TemplateDraft) -> ObservationTemplate:
    """Start a draft template for one framework version."""
    _require_manager(actor)
    if framework.status == FrameworkStatus.RETIRED:
        raise DomainError("Templates are written for a framework version still in use.",
                          field="framework")
    template = ObservationTemplate(framework_id=framework.id, version=1,
                                   status=TemplateStatus.DRAFT, created_by_id=actor.id)
    _apply(template, draft)
    template.version = _next_version(framework.id, template.name)
    db.session.add(template)
    _flush()
    return template


def _next_version(framework_id: int, name: str) -> int:
    latest = db.session.scalar(select(func.max(ObservationTemplate.version)).where(
        ObservationTemplate.framework_id == framework_id, ObservationTemplate.name == name))
    return (latest or 0) + 1


def _require_draft(template: ObservationTemplate) -> None:
    if not template.is_editable:
        raise ConflictError("This template is published, so it can no longer change. Start a "
                            "new version to change it.")


def update_template(actor, template: ObservationTemplate, draft: TemplateDraft,
                    expected_lock: int | None) -> ObservationTemplate:
    _require_manager(actor)
    _require_draft(template)
    if expected_lock is None or expected_lock != template.lock_version:
        raise ConflictError(CONFLICT)
    old_name = template.name
    _apply(template, draft)
    if template.name != old_name:
        template.version = _next_version(template.framework_id, template.name)
    _flush()
    return template


def publish_template(actor, template: ObservationTemplate) -> ObservationTemplate:
    _require_manager(actor)
    _require_draft(template)
    if template.framework.status != FrameworkStatus.PUBLISHED:
        raise DomainError("Publish the framework version first: records are made only on "
                          "templates of a published framework.")
    template.status = TemplateStatus.PUBLISHED
    template.published_at = utcnow()
    _flush()
    return template


def new_version(actor, template: ObservationTemplate) -> ObservationTemplate:
    """A draft copy of a published template with the next version number."""
    _require_manager(actor)
    if template.is_editable:
        raise DomainError("This template is still a draft: change it directly.")
    copy = ObservationTemplate(
        framework_id=template.framework_id, name=template.name,
        version=_next_version(template.framework_id, template.name),
        description=template.description, status=TemplateStatus.DRAFT,
        scale=list(template.scale), sections=[dict(section) for section in template.sections],
        strengths_prompt=template.strengths_prompt, next_steps_prompt=template.next_steps_prompt,
        peers_may_record=template.peers_may_record, based_on_id=template.id,
        created_by_id=actor.id)
    db.session.add(copy)
    _flush()
    return copy


# --- the shipped defaults ------------------------------------------------------------------

DEFAULT_SCALE = ["Not yet", "Developing", "Secure", "Strength"]

DEFAULT_TEMPLATES = (
    {
        "name": "Session observation",
        "description": "A coach developer watches a whole training session, from the plan "
                       "to the cool-down.",
        "peers_may_record": True,
        "strengths_prompt": "What did the coach do that helped the athletes learn? Give one or "
                            "two moments you saw.",
        "next_steps_prompt": "What one or two things should the coach work on next, and how "
                             "might they try them in the next block?",
        "structure": """## Planning and set-up
- The session has a clear purpose that fits the athletes' training block [VP1, VP2]
- The space, equipment and warm-up are safe and ready for the group [ES1]
## Conducting practice
- Practice is designed so it transfers to competition [TC2]
- Technical observations are accurate and lead to useful cues [TC1]
- Explanations and feedback are short, clear and checked for understanding [RC1]
- Every athlete is included, with tasks adapted where needed [EI2]
## Reading the session
- The coach notices how athletes respond and adapts the plan during the session [MD2, VP3]
- The climate encourages athletes to try, ask and take ownership [ES2]
## Reflection
- The coach reviews the session with the athletes and names what comes next [RP1]""",
    },
    {
        "name": "Competition-day observation",
        "description": "A coach developer follows the coach through a competition: the call "
                       "room, warm-up, the event and the debrief.",
        "peers_may_record": False,
        "strengths_prompt": "Where did the coach's preparation or calm make a difference to the "
                            "athletes on the day?",
        "next_steps_prompt": "What would help the coach and the athletes be better prepared for "
                             "the next competition?",
        "structure": """## Before the event
- Warm-up timing fits the schedule and the call-room times [VP2, MD2]
- The coach prepares athletes for conditions, officials and rules on the day [TC2]
## During the event
- Communication between rounds or attempts is brief, calm and useful [RC1, RC3]
- Decisions under pressure are sound and explained to the athlete [MD2]
- Athlete welfare is protected: kit, hydration, weather, emotions [ES1, MD1]
## After the event
- The debrief is balanced and led by the athlete's own view [RC3, RP1]
- Parents, carers and club staff are kept informed appropriately [RC2]
- The coach records what to change before the next competition [RP3]""",
    },
)


def _default_draft(spec: dict, codes: set[str]) -> TemplateDraft:
    """A default's lines, keeping only the codes this framework version has."""
    def keep_known(match):
        known = [code.strip() for code in match.group(1).split(",") if code.strip() in codes]
        return f" [{', '.join(known)}]" if known else ""

    lines = [_CODES.sub(keep_known, line) for line in spec["structure"].splitlines()]
    return TemplateDraft(name=spec["name"], structure="\n".join(lines),
                         scale="\n".join(DEFAULT_SCALE), description=spec["description"],
                         strengths_prompt=spec["strengths_prompt"],
                         next_steps_prompt=spec["next_steps_prompt"],
                         peers_may_record=spec["peers_may_record"])


def ensure_default_templates() -> None:
    """Publish the two default templates for each published framework version that has no
    template yet (idempotent, flush only)."""
    has_any = exists().where(ObservationTemplate.framework_id == Framework.id)
    frameworks = list(db.session.scalars(select(Framework).where(
        Framework.status == FrameworkStatus.PUBLISHED, ~has_any).order_by(Framework.id)))
    for framework in frameworks:
        codes = set(db.session.scalars(select(Competency.code)
                                       .where(Competency.framework_id == framework.id)))
        for spec in DEFAULT_TEMPLATES:
            template = ObservationTemplate(framework_id=framework.id, version=1,
                                           status=TemplateStatus.DRAFT)
            _apply(template, _default_draft(spec, codes))
            template.status = TemplateStatus.PUBLISHED
            template.published_at = utcnow()
            db.session.add(template)
    db.session.flush()
