"""Python-Markdown's processors whose scans had no bound, replaced by ones that stop.

Upstream scans forward from every candidate link bracket, link destination and code span to
the end of the text when nothing closes it, and re-reads the whole block each time a block
processor takes a line or two off it: `"[" * 8000` took 20 seconds, `"=\n" * 4000` seconds.
These replacements give the same results within their bounds (link text nested up to
MAX_BRACKET_DEPTH brackets, destinations with up to MAX_LINK_MARKS parentheses and quotes,
code spans closing within MAX_CODE_RUNS runs of backticks); beyond them the characters show
as typed. They jump from one significant character to the next, so plain words cost nothing.
`BoundedScans` registers them in place of upstream's (load it after `tables`).
"""

from __future__ import annotations

import re

# Only builds elements (as Python-Markdown does); nothing here parses XML.
import xml.etree.ElementTree as etree  # nosec B405

from markdown import inlinepatterns
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions import Extension
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor

MAX_BRACKET_DEPTH = 8
MAX_LINK_MARKS = 32
MAX_CODE_RUNS = 256

_LINK_MARK = re.compile(r"[()'\"]")
_TICKS = re.compile(r"`+")


class _BoundedLinkScans:
    """getText and getLink of Python-Markdown's LinkInlineProcessor, with a bounded reach.

    Same results as upstream for link text nested up to MAX_BRACKET_DEPTH brackets and
    destinations with up to MAX_LINK_MARKS parentheses and quotes; beyond that, no link.
    """

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802
        depth, position = 1, index
        close = data.find("]", position)
        while close != -1:  # without a "]" ahead the brackets can never balance
            opening = data.find("[", position, close)
            if opening != -1:
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    break
                position = opening + 1
                continue
            depth -= 1
            if depth == 0:
                return data[index:close], close + 1, True
            position = close + 1
            close = data.find("]", position)
        return "", len(data), False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        match = self.RE_LINK.match(data, pos=index)
        if match and match.group(1):  # [text](<link> "title")
            title = match.group(2)[1:-1] if match.group(2) else None
            return self._finish(match.group(1)[1:-1].strip(), title, match.end(0), True)
        if not match:
            return "", None, index, False
        return self._scan_destination(data, match.end())

    def _scan_destination(self, data: str, start: int) -> tuple[str, str | None, int, bool]:
        # Upstream walks every character; only ( ) ' " change its state, and `last` (the
        # previous character that is not a space) matters only when one of them arrives.
        brackets, backtrack, last_bracket = 1, 1, -1
        quote = alt_quote = None
        start_quote = exit_quote = start_alt_quote = exit_alt_quote = -1
        ignore_matches = False
        href, title, last, previous = "", None, "", start
        for count, mark in enumerate(_LINK_MARK.finditer(data, start)):
            if count == MAX_LINK_MARKS or brackets > MAX_BRACKET_DEPTH:
                return "", None, start, False
            position, char = mark.start(), mark.group()
            between = data[previous:position].rstrip(" ")
            if between:
                last = between[-1]
            if char == "(":
                if not ignore_matches:
                    brackets += 1
                elif backtrack > 0:
                    backtrack -= 1
            elif char == ")":
                if ((exit_quote != -1 and quote == last)
                        or (exit_alt_quote != -1 and alt_quote == last)):
                    brackets = 0
                elif not ignore_matches:
                    brackets -= 1
                elif backtrack > 0:
                    backtrack -= 1
                    if backtrack == 0:
                        last_bracket = position + 1
            elif not quote:
                ignore_matches, backtrack, brackets = True, brackets, 1
                start_quote, quote = position + 1, char
            elif char != quote and not alt_quote:
                start_alt_quote, alt_quote = position + 1, char
            elif char == quote:
                exit_quote = position + 1
            elif alt_quote and char == alt_quote:
                exit_alt_quote = position + 1
            index = position + 1
            if brackets == 0:
                if exit_quote >= 0 and quote == last:
                    href, title = data[start:start_quote - 1], data[start_quote:exit_quote - 1]
                elif exit_alt_quote >= 0 and alt_quote == last:
                    href = data[start:start_alt_quote - 1]
                    title = data[start_alt_quote:exit_alt_quote - 1]
                else:
                    href = data[start:index - 1]
                return self._finish(href, title, index, True)
            last, previous = char, index
        if backtrack == 0:
            return self._finish(data[start:last_bracket - 1], None, last_bracket, True)
        return "", None, len(data), False

    def _finish(self, href: str, title: str | None, index: int,
                handled: bool) -> tuple[str, str | None, int, bool]:
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(
                " ", inlinepatterns.dequote(self.unescape(title.strip())))
        return self.unescape(href).strip(), title, index, handled


class BoundedLink(_BoundedLinkScans, inlinepatterns.LinkInlineProcessor):
    pass


class BoundedImage(_BoundedLinkScans, inlinepatterns.ImageInlineProcessor):
    pass


class BoundedReference(_BoundedLinkScans, inlinepatterns.ReferenceInlineProcessor):
    pass


class BoundedShortReference(_BoundedLinkScans, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class BoundedImageReference(_BoundedLinkScans, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class BoundedShortImageReference(_BoundedLinkScans,
                                 inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


class BoundedBacktick(inlinepatterns.BacktickInlineProcessor):
    """Code spans as upstream, looking at most MAX_CODE_RUNS runs of backticks ahead."""

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        opening = _TICKS.match(text, start)
        max_ticks = len(opening.group()) if opening else 0
        start += max_ticks
        longest, end = 0, 0
        for count, run in enumerate(_TICKS.finditer(text, start)):
            if count == MAX_CODE_RUNS:
                return start + max_ticks, None
            length = run.end() - run.start()
            if length == max_ticks:
                return start, run.start()
            if length > longest:
                longest, end = length, run.end()
        if 0 < longest < max_ticks:
            return start - (max_ticks - longest), end - longest
        return start + max_ticks, None


class BoundedTable(TableProcessor):
    """The tables extension's test without splitting the whole block on every call."""

    def test(self, parent, block: str) -> bool:
        first, newline, rest = block.partition("\n")
        if not newline:
            return False
        header = first.strip(" ")
        self.border = PIPE_NONE
        if header.startswith("|"):
            self.border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header) is not None:
            self.border |= PIPE_RIGHT
        columns = len(self._split_row(header))
        is_table = columns > 1
        if not is_table and columns == 1 and self.border:
            for line in _lines(rest):
                line = line.strip(" ")
                is_table = line.startswith("|") or self.RE_END_BORDER.search(line) is not None
                if not is_table:
                    break
        if is_table:
            row = self._split_row(rest.partition("\n")[0].strip(" "))
            is_table = len(row) == columns and set("".join(row)) <= set("|:- ")
            if is_table:
                self.separator = row
        return is_table


class _SuffixSearch:
    """A compiled pattern whose `search` remembers the first match in the last block searched.

    Block processors peel a block a line or two at a time and test the rest again; upstream
    searches every rest from its start, which is quadratic in the number of lines. When the
    block is the tail of the block searched before (cut at a line end), the first match is
    known already. The patterns it wraps have no look-behind, so a tail matches exactly where
    the whole did.
    """

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.text: str | None = None
        self.first: int | None = None

    def search(self, block: str, pos: int = 0):
        text = self.text
        if pos == 0 and text is not None and len(block) <= len(text):
            offset = len(text) - len(block)
            if (offset == 0 or text[offset - 1] == "\n") and text.endswith(block):
                if self.first is None:
                    return None
                if self.first >= offset:
                    return self.pattern.search(block, self.first - offset)
        match = self.pattern.search(block, pos)
        if pos == 0:
            self.text, self.first = block, (match.start() if match else None)
        return match

    def __getattr__(self, name):
        return getattr(self.pattern, name)


class BoundedHashHeader(HashHeaderProcessor):
    def __init__(self, parser):
        super().__init__(parser)
        self.RE = _SuffixSearch(HashHeaderProcessor.RE)


class BoundedRule(HRProcessor):
    def __init__(self, parser):
        super().__init__(parser)
        self.SEARCH_RE = _SuffixSearch(HRProcessor.SEARCH_RE)


class BoundedQuote(BlockQuoteProcessor):
    def __init__(self, parser):
        super().__init__(parser)
        self.RE = _SuffixSearch(BlockQuoteProcessor.RE)


class BoundedSetextHeader(SetextHeaderProcessor):
    """Upstream splits the whole block into lines to take the first two off."""

    def run(self, parent, blocks: list[str]) -> None:
        title, _, rest = blocks.pop(0).partition("\n")
        underline, newline, rest = rest.partition("\n")
        heading = etree.SubElement(parent, "h1" if underline.startswith("=") else "h2")
        heading.text = title.strip()
        if newline:
            blocks.insert(0, rest)


def _lines(text: str):
    start = 0
    while True:
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


class BoundedScans(Extension):
    """Replace the upstream processors whose scans have no bound (load after `tables`)."""

    def extendMarkdown(self, md) -> None:  # noqa: N802
        inline = md.inlinePatterns
        inline.register(BoundedBacktick(inlinepatterns.BACKTICK_RE), "backtick", 190)
        inline.register(BoundedReference(inlinepatterns.REFERENCE_RE, md), "reference", 170)
        inline.register(BoundedLink(inlinepatterns.LINK_RE, md), "link", 160)
        inline.register(BoundedImage(inlinepatterns.IMAGE_LINK_RE, md), "image_link", 150)
        inline.register(BoundedImageReference(inlinepatterns.IMAGE_REFERENCE_RE, md),
                        "image_reference", 140)
        inline.register(BoundedShortReference(inlinepatterns.REFERENCE_RE, md),
                        "short_reference", 130)
        inline.register(BoundedShortImageReference(inlinepatterns.IMAGE_REFERENCE_RE, md),
                        "short_image_ref", 125)
        blocks = md.parser.blockprocessors
        blocks.register(BoundedTable(md.parser, blocks["table"].config), "table", 75)
        blocks.register(BoundedHashHeader(md.parser), "hashheader", 70)
        blocks.register(BoundedSetextHeader(md.parser), "setextheader", 60)
        blocks.register(BoundedRule(md.parser), "hr", 50)
        blocks.register(BoundedQuote(md.parser), "quote", 20)
