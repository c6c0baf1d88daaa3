"""Inline previews of a submitted version's evidence on the review page.

Images show as their re-encoded thumbnail through the evidence feature's own thumbnail route.
PDFs show in a frame from `reviews.evidence_preview`, the one response in the app that another
page of ours may frame: it carries its own CSP and X-Frame-Options, so every other page keeps
frame-ancestors 'none'. Everything else, and anyone without frames, gets a plain link.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ..evidence.models import Evidence

PDF = "application/pdf"
# Chromium's PDF viewer will not start in a sandboxed document, so unlike the evidence file
# routes this response is not sandboxed; it is a type-checked PDF, sent with nosniff, that
# only our own pages may frame and that may load nothing at all.
PDF_PREVIEW_CSP = "default-src 'none'; frame-ancestors 'self'"


@dataclass(frozen=True)
class EvidencePreview:
    evidence: Evidence
    detail_url: str
    image_url: str | None = None
    pdf_url: str | None = None
    download_url: str | None = None


def is_previewable_pdf(evidence: Evidence) -> bool:
    return evidence.is_file and evidence.media_type == PDF and evidence.deleted_at is None


def evidence_previews(request_id: int, evidence: list[Evidence]) -> list[EvidencePreview]:
    """How each evidence item of the submitted version shows on the review page."""
    return [_preview(request_id, item) for item in evidence]


def _preview(request_id: int, item: Evidence) -> EvidencePreview:
    detail = url_for("evidence.detail", evidence_id=item.id)
    if not item.is_file:
        return EvidencePreview(item, detail)
    download = url_for("evidence.download", evidence_id=item.id)
    if item.category == "image" and item.has_thumbnail:
        return EvidencePreview(item, detail, image_url=url_for(
            "evidence.thumbnail", evidence_id=item.id), download_url=download)
    if is_previewable_pdf(item):
        return EvidencePreview(item, detail, pdf_url=url_for(
            "reviews.evidence_preview", request_id=request_id, evidence_id=item.id),
            download_url=download)
    return EvidencePreview(item, detail, download_url=download)
