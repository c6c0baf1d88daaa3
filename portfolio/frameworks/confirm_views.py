"""Confirmation pages for framework steps that cannot be taken back: publishing a version,
retiring it, deleting a draft. Each says what will happen; its button posts to the step's
own route, so it works without JavaScript."""

from __future__ import annotations

from flask import abort, url_for

from ..access import role_required
from ..confirmation import Confirmation, confirmation_page
from ..database import get_or_404
from . import bp
from .models import Framework

MANAGE = "programme_lead"


def _consequences(framework: Framework, step: str) -> list[str]:
    label = framework.label
    if step == "publish":
        return [f"{label} can no longer be changed: not its areas, competencies or sign-off "
                "rules.",
                "New cohorts can choose it. To change it later, make a new version.",
                "This cannot be undone."]
    if step == "retire":
        return [f"Cohorts already using {label} keep it, with every sign-off against it.",
                "New cohorts can no longer choose it.",
                "This cannot be undone."]
    return [f"The draft {label} is deleted with all its areas and competencies.",
            "This cannot be undone."]


STEPS = {
    "publish": ("draft", "Publish {label}?", "Publish this version", False),
    "retire": ("published", "Retire {label}?", "Retire this version", True),
    "delete": ("draft", "Delete the draft {label}?", "Delete the draft", True),
}


@bp.route("/<int:framework_id>/<any(publish, retire, delete):step>")
@role_required(MANAGE)
def confirm_step(framework_id, step):
    framework = get_or_404(Framework, framework_id)
    status, title, button, warning = STEPS[step]
    if framework.status != status:
        abort(404)
    back = url_for("frameworks.detail", framework_id=framework.id)
    return confirmation_page(Confirmation(
        title=title.format(label=framework.label), consequences=_consequences(framework, step),
        action=url_for(f"frameworks.{step}", framework_id=framework.id), button=button,
        cancel_url=back, warning=warning))
