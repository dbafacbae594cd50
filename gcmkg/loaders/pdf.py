"""PDF files with a text layer: page text via pypdf, running headers/footers and page numbers dropped.

pypdf gives lines but no blank lines between paragraphs, so a heading line would be re-joined with the
paragraph below it. Where pypdf reports positions, a paragraph break (a blank line) is put back where
the vertical gap between two lines is clearly wider than the page's line spacing or the font size
changes (a heading); the text then goes through `text_to_blocks` like any plain text.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from gcmkg.errors import LoaderError
from gcmkg.loaders.base import BlockLoader, read_bytes
from gcmkg.loaders.text import text_to_blocks
from gcmkg.model import Block

# pypdf logs recoverable damage ("EOF marker not found") as warnings; without this, Python prints them
# bare on stderr between gcmkg's one-line errors. Applications that configure logging still see them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

MAX_PAGES = 2000
EDGE_LINES = 3  # running headers/footers are looked for among the first and last lines of a page
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivx]{1,5})\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE
)
_NOT_A_TITLE = re.compile(
    r"^(?:microsoft\s+(?:word|powerpoint|excel)\b|untitled|document\d*$|slide\s*\d|title$|"
    r"powerpoint presentation$|presentation\d*$|doc\d*$|\W*$)|"
    r"\.(?:docx?|pdf|pptx?|xlsx?|rtf|odt|txt|indd|tmp|qxd|html?)$",
    re.IGNORECASE,
)


@dataclass
class _Line:
    text: str
    y: float | None = None  # baseline height on the page (PDF units, up is larger)
    size: float = 0.0  # dominant font size
    blank_before: bool = False


class PdfLoader(BlockLoader):
    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)
    media_type: ClassVar[str] = "application/pdf"

    def blocks(self, path: Path) -> tuple[list[Block], str]:
        from pypdf import PdfReader

        data = read_bytes(path)
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise LoaderError(path, "corrupt or unreadable PDF (encrypted; it needs a password)")
            n_pages = len(reader.pages)
        except LoaderError:
            raise
        except Exception as exc:  # pypdf raises PdfReadError, PdfStreamError, ValueError, KeyError, ...
            raise LoaderError(path, f"corrupt or unreadable PDF ({_one_line(exc)})") from None
        if n_pages > MAX_PAGES:
            raise LoaderError(path, f"too many pages ({n_pages}; the limit is {MAX_PAGES})")
        if n_pages == 0:
            raise LoaderError(path, "corrupt or unreadable PDF (it has no pages)")

        pages: list[list[_Line]] = []
        failures: list[str] = []
        for page in reader.pages:
            try:
                pages.append(_page_lines(page))
            except Exception as exc:  # one broken page does not lose the rest of the document
                failures.append(_one_line(exc))
                pages.append([])
        if failures and len(failures) == n_pages:
            raise LoaderError(path, f"corrupt or unreadable PDF ({failures[0]})")
        if not any(line.text.strip() for lines in pages for line in lines):
            raise LoaderError(path, "no text layer (scanned images?); run OCR first")
        text = "\n".join(_page_text(lines) for lines in _drop_running_lines(pages))
        return text_to_blocks(text), _title(reader)


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _page_lines(page) -> list[_Line]:
    """The page's lines with their positions; plain `extract_text()` lines when positions do not fit."""
    chunks: list[tuple[str, float | None, float]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        try:
            a, b, c, d, e, f = (float(v) for v in tm)
            ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
            y = e * cb + f * cd + cf
            scale = abs(c * cb + d * cd) or 1.0
            chunks.append((text, y, float(font_size or 0) * scale))
        except (TypeError, ValueError):
            chunks.append((text, None, 0.0))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(t for t, _, _ in chunks) != text:
        return [_Line(s) for s in text.split("\n")]
    lines: list[_Line] = []
    current: list[tuple[str, float | None, float]] = []
    for chunk in chunks:
        pieces = chunk[0].split("\n")
        for n, piece in enumerate(pieces):
            if n:
                lines.append(_make_line(current))
                current = []
            if piece:
                current.append((piece, chunk[1], chunk[2]))
    lines.append(_make_line(current))
    _mark_paragraph_breaks(lines)
    return lines


def _make_line(chunks: list[tuple[str, float | None, float]]) -> _Line:
    text = "".join(t for t, _, _ in chunks)
    positioned = [(t, y, s) for t, y, s in chunks if t.strip() and y is not None]
    if not positioned:
        return _Line(text)
    sizes: Counter[float] = Counter()
    for t, _, s in positioned:
        sizes[round(s, 1)] += len(t.strip())
    return _Line(text, positioned[0][1], sizes.most_common(1)[0][0])


def _mark_paragraph_breaks(lines: list[_Line]) -> None:
    """A blank line before a line that sits clearly lower than line spacing explains, or changes size."""
    steps = []
    prev = None
    for line in lines:
        if line.text.strip() and line.y is not None:
            if prev is not None and prev.y - line.y > 0:
                steps.append(prev.y - line.y)
            prev = line
    usual = statistics.median(steps) if steps else 0.0
    prev = None
    for line in lines:
        if not line.text.strip() or line.y is None:
            continue
        if prev is not None:
            step = prev.y - line.y
            size = max(prev.size, line.size)
            resized = prev.size and line.size and abs(prev.size - line.size) >= 1.0
            if step > 0 and (resized or step > max(1.6 * size, 1.3 * usual)):
                line.blank_before = True
        prev = line


def _normalised(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and the lines that repeat at the top or bottom of most pages."""
    def edges(lines: list[_Line]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line.text.strip()]
        return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_normalised(lines[i].text) for i in edges(lines)})
    with_text = sum(1 for lines in pages if any(line.text.strip() for line in lines))
    needed = max(2, -(-with_text * 3 // 5))  # repeats on at least 60% of the pages with text
    running = {key for key, n in counts.items() if n >= needed and key.strip("#").strip()}
    out = []
    for lines in pages:
        drop = {i for i in edges(lines)
                if _normalised(lines[i].text) in running or _PAGE_NUMBER.match(lines[i].text.strip())}
        drop |= {i for i, line in enumerate(lines) if line.text.strip().isdigit()}
        kept = []
        for i, line in enumerate(lines):
            if i in drop:
                if line.blank_before and i + 1 < len(lines):
                    lines[i + 1].blank_before = True
                continue
            kept.append(line)
        out.append(kept)
    return out


def _page_text(lines: list[_Line]) -> str:
    parts = []
    for line in lines:
        if line.blank_before and parts:
            parts.append("")
        parts.append(line.text)
    return "\n".join(parts)


def _title(reader) -> str:
    """The /Title metadata when it reads as a title, not a file name or an authoring tool's default."""
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:
        return ""
    title = " ".join(str(title or "").split())
    if not 4 <= len(title) <= 300 or _NOT_A_TITLE.search(title) or not re.search(r"[^\W\d_]{2}", title):
        return ""
    return title
