"""The long exports a worker runs: a cohort's full archive, a candidate's own archive, and
their Leap2A package.

Each runner writes a ZIP to `ctx.part` with flat memory, reports progress as it goes, checks
the requester's rights again when it runs (they may have changed since it was queued), and
returns the download name and media type. PDFs are drawn in child processes (pdf_processes),
never in the worker, and reused while their content is unchanged (pdf_cache).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from flask import current_app

from ..database import utcnow
from ..extensions import db
from ..programmes.access import current_memberships
from ..programmes.models import Cohort, MemberRole, MembershipStatus
from . import leap2a, pdf_cache, sources
from .archive import NameRegistry, StreamingZip, is_compressed, safe_name
from .document import PortfolioDocument, build_document
from .downloads import cohort_words
from .jobs import JobContext, JobFailed
from .pacing import late_window_weeks
from .pdf_processes import PdfProcesses
from .permissions import can_report_on_cohort
from .portability import personal_data
from .queries import Filters, candidate_memberships, cohort_report
from .render import portfolio_source
from .signoffs import signoff_log
from .tables import progress_xlsx

ZIP_MEDIA_TYPE = "application/zip"


class PortfolioWriter:
    """Adds portfolios to an archive in the order given, each PDF drawn ahead in a child process.

    Gathering a candidate's portfolio (database reads, one template render) happens here while
    the PDF processes draw the ones before it; at most AHEAD portfolios wait to be written, so
    memory stays that of a few documents whatever the cohort's size. A PDF whose content key is
    already kept (pdf_cache) is not drawn again.
    """

    AHEAD = 4

    def __init__(self, archive: StreamingZip, names: NameRegistry, missing: list[dict],
                 processes: PdfProcesses):
        self.archive, self.names, self.missing = archive, names, missing
        self.processes = processes
        self.pending: deque[_Pending] = deque()

    def add(self, folder: str, doc: PortfolioDocument) -> None:
        source = portfolio_source(doc)
        kept = pdf_cache.cached(source.key)
        if kept is None:
            drawn = self.processes.render(source.html, source.allowed,
                                          pdf_cache.path_for(source.key))
        else:
            drawn = Future()
            drawn.set_result(kept)
        files = [(item, sources.evidence_file(item)) for item in doc.evidence if item.is_file]
        self.pending.append(_Pending(folder, source.html, drawn, files))
        while len(self.pending) > self.AHEAD:
            self._write(self.pending.popleft())

    def finish(self) -> None:
        while self.pending:
            self._write(self.pending.popleft())

    def _write(self, item: _Pending) -> None:
        """The portfolio PDF and HTML, then each evidence file the document lists."""
        pdf = item.pdf.result()
        self.archive.add_file(self.names.claim(item.folder, "portfolio.pdf"), pdf, stored=True)
        self.archive.add_bytes(self.names.claim(item.folder, "portfolio.html"),
                               item.html.encode("utf-8"))
        for evidence, path in item.files:
            name = self.names.claim(f"{item.folder}/evidence",
                                    evidence.original_filename or evidence.title, "evidence")
            if path is None:
                self.missing.append({"path": name, "evidence_id": evidence.id,
                                     "sha256": evidence.sha256})
                continue
            self.archive.add_file(name, path, stored=is_compressed(evidence.media_type))


@dataclass
class _Pending:
    folder: str
    html: str
    pdf: Future
    files: list[tuple]


def _processes() -> PdfProcesses:
    return PdfProcesses(int(current_app.config.get("EXPORT_PDF_PROCESSES") or 0) or None)


def cohort_archive(ctx: JobContext) -> tuple[str, str]:
    cohort = db.session.get(Cohort, ctx.params.get("cohort_id"))
    if cohort is None:
        raise JobFailed("This cohort no longer exists, so there is nothing to archive.")
    if not can_report_on_cohort(ctx.requester, cohort):
        raise JobFailed("You no longer have access to this cohort's reports, so the archive "
                        "was not made.")
    members = sorted((m for m in candidate_memberships(cohort.id)
                      if m.status != MembershipStatus.WITHDRAWN),
                     key=lambda m: (m.user.display_name.casefold(), m.id))
    total = len(members)
    archive, names, missing = StreamingZip(ctx.part, on_chunk=ctx.beat), NameRegistry(), []
    top = names.claim("", cohort_words(cohort), "cohort")
    try:
        report = cohort_report(cohort, ctx.requester, Filters(), late_window_weeks())
        titles = {competency.code: competency.title for competency in report.competencies}
        log = signoff_log([m.user_id for m in members], ctx.requester, titles, cohort=cohort)
        archive.add_bytes(names.claim(top, "progress.xlsx"), progress_xlsx(report, log),
                          stored=True)
        with _processes() as processes:
            writer = PortfolioWriter(archive, names, missing, processes)
            for index, membership in enumerate(members):
                ctx.progress(index, total, f"{index} of {total} candidates")
                folder = names.claim(top, membership.user.display_name, "candidate")
                writer.add(folder, build_document(membership.user, membership, ctx.requester))
            writer.finish()
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
    memberships = current_memberships(user.id, MemberRole.CANDIDATE)
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
        with _processes() as processes:
            writer = PortfolioWriter(archive, names, missing, processes)
            writer.add(top, doc)
            writer.finish()
        ctx.progress(3, 3, "Finishing")
        archive.add_manifest(names.claim(top, "manifest.json"), _manifest(
            ctx, archive, missing, doc.signoffs, {"person": user.display_name}))
    except BaseException:
        archive.abort()
        raise
    archive.close()
    return f"{safe_name(user.display_name)} portfolio.zip", ZIP_MEDIA_TYPE


def leap2a_package(ctx: JobContext) -> tuple[str, str]:
    """The candidate's own complete portfolio as a Leap2A package (leap2a.xml and files/)."""
    user = ctx.requester
    if ctx.params.get("user_id") != user.id:
        raise JobFailed("A Leap2A package can only be made of your own portfolio.")
    memberships = current_memberships(user.id, MemberRole.CANDIDATE)
    membership = memberships[0] if memberships else None
    archive = StreamingZip(ctx.part, on_chunk=ctx.beat)
    try:
        ctx.progress(0, 2, "Gathering your entries")
        package = leap2a.build_package(user, build_document(user, membership, user,
                                                            audience="owner"))
        ctx.progress(1, 2, "Adding your evidence files")
        leap2a.write_package(package, archive)
        ctx.progress(2, 2, "Finishing")
    except BaseException:
        archive.abort()
        raise
    archive.close()
    return f"{safe_name(user.display_name)} Leap2A.zip", ZIP_MEDIA_TYPE


def _json_bytes(data: dict) -> bytes:
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
    "leap2a_package": leap2a_package,
}
