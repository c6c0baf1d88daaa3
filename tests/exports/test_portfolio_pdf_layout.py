"""The portfolio PDF as a reader sees it: pictures shown, headings kept with their text, no
page holding a line or two. Checked by reading the PDF back (pypdf), text line by line."""

import io
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader

from portfolio.extensions import db
from tests.exports.builders import make_file_evidence, seeded_cohort
from tests.factories import make_entry

FOOTER_TOP_PX = 1046  # A4 page, 20 mm bottom margin: the running footer sits below this
BODY_PX = 13.3  # 10 pt body text, in the CSS pixels WeasyPrint writes


def _picture(colour, size=(640, 400), fmt="PNG", mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt)
    return out.getvalue()


def _image_evidence(owner, name, colour, **options):
    return make_file_evidence(owner, name, _picture(colour, **options), media_type="image/png")


def _pdf(client, login, viewer, membership) -> PdfReader:
    login(viewer)
    response = client.get(f"/exports/candidates/{membership.id}/portfolio.pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.get_data()))


def _embedded_colours(reader: PdfReader) -> set[tuple]:
    colours = set()
    for page in reader.pages:
        for image in page.images:
            colours.add(image.image.convert("RGB").resize((1, 1)).getpixel((0, 0)))
    return colours


def _near(colour, target, slack=24) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, target, strict=True))


def test_pdf_embeds_a_preview_of_each_picture_the_reader_may_open(app, client, login):
    s = seeded_cohort()
    track = _image_evidence(s.author, "track.png", (200, 30, 30))
    diary = _image_evidence(s.author, "diary.png", (30, 30, 200))
    make_entry(s.author, cohort=s.cohort, privacy="developers", title="Lane drills",
               evidence=[track])
    make_entry(s.author, cohort=s.cohort, privacy="private", title="Diary", evidence=[diary])
    db.session.commit()
    colours = _embedded_colours(_pdf(client, login, s.lead, s.author_membership))
    assert any(_near(colour, (200, 30, 30)) for colour in colours), colours
    assert not any(_near(colour, (30, 30, 200)) for colour in colours), colours


def test_the_same_picture_is_embedded_once_however_often_it_is_shown(app, client, login):
    s = seeded_cohort()
    track = _image_evidence(s.author, "track.png", (200, 30, 30))
    make_entry(s.author, cohort=s.cohort, privacy="developers", title="Lane drills",
               evidence=[track])
    db.session.commit()
    reader = _pdf(client, login, s.lead, s.author_membership)
    objects = {image.indirect_reference.idnum for page in reader.pages for image in page.images}
    assert len(objects) == 1


def test_the_web_page_file_carries_the_picture_inside_it(app, client, login):
    s = seeded_cohort()
    track = _image_evidence(s.author, "track.png", (200, 30, 30))
    make_entry(s.author, cohort=s.cohort, privacy="developers", title="Lane drills",
               evidence=[track])
    db.session.commit()
    login(s.lead)
    html = client.get(f"/exports/candidates/{s.author_membership.id}/portfolio.html").get_data(
        as_text=True)
    assert '<img src="data:image/jpeg;base64,' in html
    assert 'alt="Picture: track.png"' in html


def test_a_huge_jpeg_is_previewed_from_a_reduced_decode(app, tmp_path):
    # 9 megapixels is over what a preview may decode; JPEG's reduced decode makes it 750 px.
    path = tmp_path / "big.jpg"
    path.write_bytes(_picture(180, size=(3000, 3000), fmt="JPEG", mode="L"))
    from portfolio.exports import previews

    data = previews.make_preview(path, "JPEG")
    assert data is not None
    with Image.open(io.BytesIO(data)) as preview:
        assert max(preview.size) <= 480


def test_a_picture_too_big_to_decode_cheaply_gets_no_preview(app, tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(_picture(180, size=(3000, 3000), mode="L"))
    from portfolio.exports import previews

    assert previews.make_preview(path, "PNG") is None


def test_a_damaged_picture_is_listed_without_a_preview(app, client, login):
    s = seeded_cohort()
    broken = make_file_evidence(s.author, "broken.png", b"\x89PNG\r\n\x1a\n broken",
                                media_type="image/png")
    make_entry(s.author, cohort=s.cohort, privacy="developers", title="Lane drills",
               evidence=[broken])
    db.session.commit()
    reader = _pdf(client, login, s.lead, s.author_membership)
    assert "broken.png" in "".join(page.extract_text() for page in reader.pages)
    assert not [image for page in reader.pages for image in page.images]


@dataclass
class Line:
    y: float
    text: str
    heading: bool


def _lines(page) -> list[Line]:
    """The page's text lines above the footer, top to bottom; a line is a heading when it is
    set larger than body text, or bold throughout at body size (h4)."""
    fragments: dict[float, list] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and tm[5] < FOOTER_TOP_PX:
            bold = "Bold" in str((font or {}).get("/BaseFont", ""))
            fragments.setdefault(round(tm[5], 1), []).append((text.strip(), size, bold))

    page.extract_text(visitor_text=visit)
    lines = []
    for y in sorted(fragments):
        parts = [part for part in fragments[y] if part[0] != "•"]
        heading = bool(parts) and (any(size > BODY_PX + 1 for _, size, _ in parts) or all(
            bold and abs(size - BODY_PX) < 0.2 for _, size, bold in parts))
        lines.append(Line(y, " ".join(text for text, _, _ in fragments[y]), heading))
    return lines


def _long_portfolio():
    """Entries of many lengths, so headings and entry ends fall all over the pages."""
    s = seeded_cohort()
    sentence = "Block starts felt quicker after the reaction games and the walk-back recovery. "
    for number, paragraphs in enumerate((1, 9, 3, 14, 2, 6, 11, 4, 17, 5)):
        text = "\n\n".join(sentence * (3 + (number + k) % 4) for k in range(paragraphs))
        make_entry(s.author, cohort=s.cohort, privacy="developers",
                   title=f"Session {number + 1} at the track", competencies=[s.vp1],
                   sections={"what": text, "so_what": sentence * 2, "now_what": sentence})
    db.session.commit()
    return s


def test_no_page_ends_with_a_heading_and_none_holds_only_a_line_or_two(app, client, login):
    s = _long_portfolio()
    reader = _pdf(client, login, s.lead, s.author_membership)
    pages = [_lines(page) for page in reader.pages]
    assert len(pages) > 6
    for number, lines in enumerate(pages[:-1], start=1):
        assert lines, f"page {number} is empty"
        assert not lines[-1].heading, f"page {number} ends with the heading {lines[-1].text!r}"
        assert len(lines) >= 5, f"page {number} holds only {[line.text for line in lines]}"
    headings = [line.text for lines in pages for line in lines if line.heading]
    assert "Competency map" in headings and "Session 10 at the track" in " ".join(headings)
