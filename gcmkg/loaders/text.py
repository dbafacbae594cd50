"""Plain text: blank lines, bullets, indentation and excerpt gaps give the blocks.

Text extracted from PDFs or web pages is often hard-wrapped and may embed HTML fragments
(`<p>...</p>`); wrapped lines are re-joined and fragments are read as HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from gcmkg.loaders.base import BlockLoader, decode_text, read_bytes
from gcmkg.loaders.segment import heading_form
from gcmkg.model import Block, BlockKind

GAP_BLANK_LINES = 3  # this many blank lines in a row mark an excerpt break

_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-•*‣▪◦·●○■□➢►–—](?=\s|[A-Z“\"'(])|\d{1,2}[.)](?=\s)|"
    r"\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)(?=\s)|(?:[a-z]|[ivx]{1,4})\)(?=\s))\s*(?P<text>\S.*)$"
)
_HTML_TAG = re.compile(r"</?(?:p|h[1-6]|li|div|br|ul|ol|table|tr|td)\b[^>]*>", re.IGNORECASE)


class TextLoader(BlockLoader):
    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".text")
    media_type: ClassVar[str] = "text/plain"

    def blocks(self, path: Path) -> tuple[list[Block], str]:
        return text_to_blocks(decode_text(path, read_bytes(path))), ""


def text_to_blocks(text: str) -> list[Block]:
    """Split plain text into paragraphs, list items and gaps."""
    from gcmkg.loaders.html import html_to_blocks

    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n\n\n").split("\n")
    blocks: list[Block] = []
    current: list[str] = []  # lines of the block being read
    current_kind = BlockKind.PARAGRAPH
    current_indent = 0
    current_marker = ""
    indents: list[int] = []  # indentation of open list levels
    blank_run = 0

    def flush() -> None:
        nonlocal current
        if current:
            level = 0
            if current_kind is BlockKind.ITEM:
                while indents and indents[-1] > current_indent:
                    indents.pop()
                if not indents or indents[-1] < current_indent:
                    indents.append(current_indent)
                level = len(indents) - 1
            blocks.append(Block(current_kind, " ".join(s.strip() for s in current), level, current_marker))
        current = []

    for raw in lines:
        if not raw.strip():
            blank_run += 1
            if current and blank_run == 1:
                flush()
            continue
        if blank_run >= GAP_BLANK_LINES and blocks:
            flush()
            blocks.append(Block(BlockKind.GAP, ""))
            indents.clear()
        had_blank = blank_run > 0
        blank_run = 0
        if _HTML_TAG.search(raw):
            flush()
            blocks.extend(html_to_blocks(raw))
            continue
        expanded = raw.expandtabs(4)
        bullet = _BULLET.match(expanded)
        if bullet and bullet.group("marker")[0].isdigit() and heading_form(expanded) == "numbered":
            bullet = None  # "1. Introduction": a numbered heading, not a list item
        if bullet:
            flush()
            current_kind = BlockKind.ITEM
            current_indent = len(bullet.group("indent"))
            current_marker = bullet.group("marker")
            current = [bullet.group("text")]
            continue
        line = expanded.strip()
        if current and not had_blank and _continues(current[-1], line):
            current.append(line)
            continue
        flush()
        current_kind, current_indent, current_marker = BlockKind.PARAGRAPH, 0, ""
        indents.clear()
        current = [line]
    flush()
    return blocks


def _continues(previous: str, line: str) -> bool:
    """Is `line` the wrapped rest of `previous`, or a new paragraph that follows without a blank line?"""
    if re.search(r"[:;]\s*$", previous) and line[:1].isupper():
        return False
    if line[:1].isupper() and heading_form(previous) in ("objective", "numbered"):
        return False  # "Objective 13 – ..." on its own line, the paragraph right below it
    if line[:1].islower() or line[:1] in ",;)":
        return True
    if re.search(r"[.!?][\"'”’)]*\s*$", previous):
        return False
    words = previous.split()
    titleish = len(words) <= 15 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
    return len(previous) >= 50 and not titleish
