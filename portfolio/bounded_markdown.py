"""Markdown to HTML in time that grows linearly with the text, whatever the text.

Python-Markdown stays; around it:

1. `markdown_scans` replaces the processors whose scans had no bound.
2. A "<" that no ">" follows before the next "<" can open nothing, so it is shown as text
   before Python's HTML parser (which reads from each one to the end) sees it; a piece keeps
   at most MAX_RAW_TAGS raw HTML tags, so the sanitiser's parser never meets deep nesting.
3. Block quotes and list markers nested more than MAX_NESTING deep on one line are shown as
   text (deeper nesting overflowed Python's stack).
4. A text longer than PIECE_CHARS is formatted in pieces, cut where Markdown starts a new
   paragraph anyway (after a blank line, before an unindented line of prose, outside fenced
   code), so the result is the same; a block with no such place is cut at a line end once it
   reaches MAX_PIECE_CHARS. Whatever Markdown does within a piece costs a bounded time, so
   the whole text costs time proportional to its length.
5. Once formatting has used its time budget, the rest of the text is shown as plain
   paragraphs; so is a piece that fails (a stack overflow).

`portfolio.text` passes its sanitiser as `finish`, applied to each formatted piece.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from bisect import bisect_right
from collections.abc import Callable

import markdown
from markdown.blockprocessors import ReferenceProcessor

from .markdown_scans import BoundedScans

EXTENSIONS = ["tables", "sane_lists", "fenced_code", "nl2br"]

MAX_NESTING = 8
MAX_RAW_TAGS = 256
PIECE_CHARS = 2_000
MAX_PIECE_CHARS = 4_000

# A noncharacter (never typed, never interchanged) standing in for a "<" that opens nothing.
LONE_OPENER = "\ufdd0"

_TAG_START = re.compile(r"<(?=/?[A-Za-z!?])")


# --- nesting and pieces -------------------------------------------------------------------

_CONTAINER = re.compile(r"[ ]{0,3}(?:(>)[ ]?|(?:([*+-])|\d+(\.))[ ]+)")
_DEEP_LINE = re.compile(
    r"^(?>[ ]{0,3}(?:>[ ]?|(?:[*+-]|\d+\.)[ ]+)){" + str(MAX_NESTING + 1) + "}", re.MULTILINE)
_FENCE_LINE = re.compile(r"^(?:`{3,}|~{3,})[^\n]*", re.MULTILINE)
_FENCE_OPEN = re.compile(
    r"(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(\"|').*?\2[ ]*)?)$")
# A blank line, then a line that starts a new top-level paragraph or heading whatever came
# before: not indented, not a list item, quote, fence, table row, HTML or reference.
_BOUNDARY = re.compile(r"\n[ \t]*\n(?=(?![*+-][ \t]|\d+\.[ \t])[^\s>`~|<\[=])")
_REFERENCE = ReferenceProcessor.RE


def _is_rule(line: str) -> bool:
    """A horizontal rule such as `- - - -`: nested-looking, but Markdown never nests it."""
    body = line.strip(" ")
    marks = body.replace(" ", "")
    return (len(line) - len(line.lstrip(" ")) <= 3 and len(marks) >= 3
            and marks[0] in "-*_" and marks == marks[0] * len(marks) and "   " not in body)


def cap_nesting(line: str) -> str:
    """Escape the container marker that would nest the line deeper than MAX_NESTING."""
    position = 0
    for _ in range(MAX_NESTING):
        marker = _CONTAINER.match(line, position)
        if marker is None:
            return line
        position = marker.end()
    marker = _CONTAINER.match(line, position)
    if marker is None or _is_rule(line):
        return line
    at = next(marker.start(group) for group in (1, 2, 3) if marker.start(group) != -1)
    return line[:at] + "\\" + line[at:]


class FencedBlocks:
    """The fenced code blocks of a text, found from the start as far as they are asked for.

    Paired as the fenced_code extension pairs them: an opening fence is a block only if a
    line holding exactly the same fence closes it later; otherwise it is text.
    """

    def __init__(self, source: str):
        self.source = source
        self.lines = _FENCE_LINE.finditer(source) if "```" in source or "~~~" in source else None
        self.blocks: list[tuple[int, int, str]] = []  # (opening line start, closing line end, fence)
        self.scanned = 0  # every block starting before this is in self.blocks
        self.closers: dict[str, tuple[int, int]] = {}  # fence -> (searched from, closer end or -1)

    def enclosing(self, position: int) -> tuple[int, int, str] | None:
        """The block whose body (after the opening line's start) holds `position`, if any."""
        self._scan_to(position)
        at = bisect_right(self.blocks, (position, float("inf"), "")) - 1
        if at >= 0 and self.blocks[at][0] < position <= self.blocks[at][1]:
            return self.blocks[at]
        return None

    def _scan_to(self, position: int) -> None:
        while self.lines is not None and self.scanned <= position:
            line = next(self.lines, None)
            if line is None:
                self.lines, self.scanned = None, len(self.source) + 1
                return
            if line.start() < self.scanned:
                continue  # inside a block found already
            opening = _FENCE_OPEN.match(line.group())
            end = self._closer_after(opening.group(1), line.end()) if opening else -1
            if end != -1:
                self.blocks.append((line.start(), end, opening.group(1)))
            self.scanned = max(end, line.end())

    def _closer_after(self, fence: str, position: int) -> int:
        searched_from, end = self.closers.get(fence, (len(self.source) + 1, -1))
        if searched_from <= position and (end == -1 or end > position):
            return end  # the first closer after an earlier opening is the first after this one
        end, found = -1, self.source.find("\n" + fence, position)
        while found != -1:
            line_end = self.source.find("\n", found + 1)
            line_end = len(self.source) if line_end == -1 else line_end
            if not self.source[found + 1 + len(fence):line_end].strip(" "):
                end = line_end
                break
            found = self.source.find("\n" + fence, line_end)
        self.closers[fence] = (position, end)
        return end


def cap_all_nesting(source: str) -> str:
    """Apply `cap_nesting` to every line outside fenced code that nests too deep."""
    deep = [match.start() for match in _DEEP_LINE.finditer(source)]
    if not deep:
        return source
    blocks = FencedBlocks(source)
    parts, done = [], 0
    for start in deep:
        if blocks.enclosing(start + 1) is not None:
            continue
        end = source.find("\n", start)
        end = len(source) if end == -1 else end
        parts += [source[done:start], cap_nesting(source[start:end])]
        done = end
    return "".join(parts) + source[done:]


def pieces(source: str):
    """Cut a long text into pieces Markdown formats the same apart, nesting capped; yield each
    with the position in `source` where the next one starts."""
    blocks = FencedBlocks(source)
    start, reopen = 0, ""
    while len(source) - start > PIECE_CHARS:
        cut = _paragraph_cut(source, start, blocks)
        if cut is None and len(source) - start <= MAX_PIECE_CHARS:
            break
        fence = ""
        if cut is None:
            cut = _forced_cut(source, start)
            block = blocks.enclosing(cut)
            fence = block[2] if block is not None and cut > source.find("\n", block[0]) else ""
        piece = reopen + source[start:cut]
        if fence:  # a fenced block longer than a piece: close it here, reopen it next
            piece += ("" if piece.endswith("\n") else "\n") + fence
        yield cap_all_nesting(piece), cut
        start, reopen = cut, (fence + "\n" if fence else "")
    yield cap_all_nesting(reopen + source[start:]), len(source)


def split_pieces(source: str) -> list[str]:
    return [piece for piece, _ in pieces(source)]


def _paragraph_cut(source: str, start: int, blocks: FencedBlocks) -> int | None:
    position = start + PIECE_CHARS
    while True:
        boundary = _BOUNDARY.search(source, position, start + MAX_PIECE_CHARS)
        if boundary is None:
            return None
        block = blocks.enclosing(boundary.end())
        if block is None:
            return boundary.end()
        position = block[1]


def _forced_cut(source: str, start: int) -> int:
    limit = start + MAX_PIECE_CHARS
    newline = source.rfind("\n", start + PIECE_CHARS, limit)
    if newline != -1:
        return newline + 1
    space = source.rfind(" ", start + PIECE_CHARS, limit)
    return space + 1 if space != -1 else limit


def plain_html(text: str) -> str:
    """Text as escaped paragraphs, with line breaks kept: the shape nothing can slow down."""
    paragraphs = re.split(r"\n[ \t]*\n", text.replace(LONE_OPENER, "<").strip("\n"))
    return "\n".join("<p>" + html.escape(paragraph.strip("\n"), quote=False)
                     .replace("\n", "<br>\n") + "</p>"
                     for paragraph in paragraphs if paragraph.strip())


# --- formatting within a time budget --------------------------------------------------

log = logging.getLogger(__name__)
_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(extensions=[*EXTENSIONS, BoundedScans()],
                                           output_format="html")
    return md


def _normalise(source: str) -> str:
    # What Python-Markdown's own first step does, done first so pieces are cut on real lines.
    source = source.replace("\x02", "").replace("\x03", "").replace(LONE_OPENER, "\ufffd")
    return disarm_lone_openers(
        source.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4))


def disarm_lone_openers(source: str) -> str:
    """Stand LONE_OPENER in for each "<" that no ">" follows before the next "<".

    Such a "<" can never open a tag, comment or autolink, so Markdown shows it as text anyway;
    but Python's HTML parser reads from each one to the end of the text ("<a" * 4000 took
    seconds). LONE_OPENER becomes "&lt;" again in the output.
    """
    if "<" not in source:
        return source
    parts = source.split("<")
    return parts[0] + "".join(("<" if ">" in part else LONE_OPENER) + part
                              for part in parts[1:])


def _references(source: str) -> dict[str, tuple[str, str | None]]:
    found = {}
    for match in _REFERENCE.finditer(source):
        found[match.group(1).strip().lower()] = (match.group(2).lstrip("<").rstrip(">"),
                                                 match.group(5) or match.group(6))
    return found


def format_markdown(source: str, budget: float | None = None,
                    finish: Callable[[str], str] | None = None,
                    shortfalls: list[str] | None = None) -> str:
    """Markdown to HTML, each formatted piece passed through `finish` (the sanitiser) alone.

    After `budget` seconds the remaining pieces are plain paragraphs of escaped text, which
    need no sanitising. Finishing piece by piece
    keeps what the sanitiser's HTML parser sees small too: it slows down with the depth of
    unclosed tags, which a piece's MAX_RAW_TAGS bound.
    `shortfalls`, if given, is told why any part was shown as plain text ("budget" or
    "error"), so a caller can decide not to keep that HTML.
    """
    source = _normalise(source)
    references = _references(source) if len(source) > PIECE_CHARS and "]:" in source else {}
    deadline = None if budget is None else time.perf_counter() + budget
    output, start = [], 0
    for piece, next_start in pieces(source):
        if deadline is not None and time.perf_counter() >= deadline:
            output.append(plain_html(source[start:]))  # escaped text: nothing to sanitise
            if shortfalls is not None:
                shortfalls.append("budget")
            break
        capped = cap_raw_tags(piece)
        html_piece = _format_piece(capped, references)
        if html_piece is None:
            html_piece = plain_html(capped)
            if shortfalls is not None:
                shortfalls.append("error")
        html_piece = html_piece.replace(LONE_OPENER, "&lt;")
        output.append(finish(html_piece) if finish else html_piece)
        start = next_start
    return "\n".join(part for part in output if part)


def cap_raw_tags(piece: str) -> str:
    """Show as text the raw HTML tags of a piece beyond its first MAX_RAW_TAGS."""
    if piece.count("<") <= MAX_RAW_TAGS:
        return piece
    seen = 0

    def keep_or_disarm(_match) -> str:
        nonlocal seen
        seen += 1
        return "<" if seen <= MAX_RAW_TAGS else LONE_OPENER

    return _TAG_START.sub(keep_or_disarm, piece)


def _format_piece(piece: str, references: dict) -> str | None:
    """The piece's HTML, or None if Markdown could not format it (logged; shown as text)."""
    md = _markdown()
    md.reset()
    md.references.update(references)
    try:
        return md.convert(piece)
    except Exception as error:  # noqa: BLE001  (a stack overflow on pathological nesting)
        _local.md = None  # a half-finished conversion may have left state behind
        log.warning("Markdown could not format a piece of %d characters (%s); shown as plain "
                    "text", len(piece), type(error).__name__)
        return None
