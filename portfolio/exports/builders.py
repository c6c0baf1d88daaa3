"""The long exports a worker runs: a cohort's full archive and a candidate's own archive.

Each runner writes a ZIP to `ctx.part` with flat memory, reports progress as it goes, checks
the requester's rights again when it runs (they may have changed since it was queued), and
returns the download name and media type.
"""

from __future__ import annotations

from collections.abc import Callable

from ..database import utcnow
from ..extensions import db
from ..programmes.access import current_memberships
from ..programmes.models import Cohort
from . import sources
from .archive import NameRegistry, StreamingZip, safe_name
from .document import PortfolioDocument, build_document
from .downloads import cohort_words
from .jobs import JobContext, JobFailed
from .pacing import late_window_weeks
from .permissions import can_report_on_cohort
from .portability import personal_data
from .queries import Filters, candidate_memberships, cohort_report
from .render import render_html, render_pdf
from .signoffs import signoff_log
from .tables import progress_xlsx

ZIP_MEDIA_TYPE = "application/zip"


def _add_portfolio(archive: StreamingZip, names: NameRegistry, folder: str,
                   doc: PortfolioDocument, missing: list[dict]) -> None:
    """The portfolio PDF and HTML, then each evidence file the document lists."""
    archive.add_bytes(names.claim(folder, "portfolio.pdf"), render_pdf(doc))
    archive.add_bytes(names.claim(folder, "portfolio.html"), render_html(doc).encode("utf-8"))
    for item in doc.evidence:
        if not item.is_file:
            continue
        path = sources.evidence_file(item)
        name = names.claim(f"{folder}/evidence", item.original_filename or item.title, "evidence")
        if path is None:
            missing.append({"path": name, "evidence_id": item.id, "sha256": item.sha256})
            continue
        archive.add_file(name, path)


def cohort_archive(ctx: JobContext) -> tuple[str, str]:
    cohort = db.session.get(Cohort, ctx.params.get("cohort_id"))
    if cohort is None:
        raise JobFailed("This cohort no longer exists, so there is nothing to archive.")
    if not can_report_on_cohort(ctx.requester, cohort):
        raise JobFailed("You no longer have access to this cohort's reports, so the archive "
                        "was not made.")
    members = sorted((m for m in candidate_memberships(cohort.id) if m.status != "withdrawn"),
                     key=lambda m: (m.user.display_name.casefold(), m.id))
    total = len(members)
    archive, names, missing = StreamingZip(ctx.part, on_chunk=ctx.beat), NameRegistry(), []
    top = names.claim("", cohort_words(cohort), "cohort")
    try:
        report = cohort_report(cohort, ctx.requester, Filters(), late_window_weeks())
        titles = {competency.code: competency.title for competency in report.competencies}
        log = signoff_log([m.user_id for m in members], ctx.requester, titles, cohort=cohort)
        archive.add_bytes(names.claim(top, "progress.xlsx"), progress_xlsx(report, log))
        for index, membership in enumerate(members):
            ctx.progress(index, total, f"{index} of {total} candidates")
            folder = names.claim(top, membership.user.display_name, "candidate")
            doc = build_document(membership.user, membership, ctx.requester)
            _add_portfolio(archive, names, folder, doc, missing)
        ctx.progress(total, total, f"{total} of {total} candidates")
        archive.add_manifest(names.claim(top, "manifest.json"), _manifest(
            ctx, archive, missing, log, {"cohort": cohort.label, "candidates": total}))
    except BaseException:
        archive.abort()
        raise
    archive.close()
    return f"{safe_name(cohort_words(cohort))} archive.zip", ZIP_MEDIA_TYPE


def personal_archive(ctx: JobContext) -> tuple[str, str]:
    user = ctx.requester
    if ctx.params.get("user_id") != user.id:
        raise JobFailed("A personal archive can only be made for your own portfolio.")
    memberships = current_memberships(user.id, "candidate")
    membership = memberships[0] if memberships else None
    archive, names, missing = StreamingZip(ctx.part, on_chunk=ctx.beat), NameRegistry(), []
    top = names.claim("", f"{user.display_name} portfolio", "portfolio")
    try:
        ctx.progress(0, 3, "Gathering your entries")
        doc = build_document(user, membership, user, audience="owner")
        ctx.progress(1, 3, "Writing your portfolio")
        data = personal_data(user, doc)
        archive.add_bytes(names.claim(top, "portfolio.json"),
                          _json_bytes(data))
        ctx.progress(2, 3, "Adding your evidence files")
        _add_portfolio(archive, names, top, doc, missing)
        ctx.progress(3, 3, "Finishing")
        archive.add_manifest(names.claim(top, "manifest.json"), _manifest(
            ctx, archive, missing, doc.signoffs, {"person": user.display_name}))
    except BaseException:
        archive.abort()
        raise
    archive.close()
    return f"{safe_name(user.display_name)} portfolio.zip", ZIP_MEDIA_TYPE


def _json_bytes(data: dict) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _manifest(ctx: JobContext, archive: StreamingZip, missing: list[dict], log, about: dict
              ) -> dict:
    return {
        "format": "advanced-coach-portfolio/archive-manifest",
        "version": 1,
        "generated_at": utcnow().isoformat(),
        "requested_by": ctx.requester.display_name,
        **about,
        "files": [record.as_manifest() for record in archive.files],
        "missing_files": missing,
        "signoffs": [record.as_manifest() for record in log],
    }


RUNNERS: dict[str, Callable[[JobContext], tuple[str, str]]] = {
    "cohort_archive": cohort_archive,
    "personal_archive": personal_archive,
}
