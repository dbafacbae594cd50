"""Word documents (.docx): heading styles are headings, list paragraphs items, table cells paragraphs.

The body is read in document order, so tables sit where they are in the text. Before python-docx
opens the file, the zip is checked against decompression bombs (Python's zipfile never inflates a
member past the size the archive declares, so checking the declared sizes is enough).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from gcmkg.errors import LoaderError
from gcmkg.loaders.base import BlockLoader, read_bytes
from gcmkg.model import Block, BlockKind

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # compression ratio above which a large member is a bomb ...
RATIO_CHECK_BYTES = 10 * 1024 * 1024  # ... when it expands to more than this
_MB = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


class DocxLoader(BlockLoader):
    name: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)
    media_type: ClassVar[str] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def blocks(self, path: Path) -> tuple[list[Block], str]:
        data = read_bytes(path)
        check_zip(path, data)
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
            blocks = list(_body_blocks(document))
            title = " ".join((document.core_properties.title or "").split())
        except LoaderError:
            raise
        except Exception as exc:  # python-docx and lxml raise many kinds (KeyError, XMLSyntaxError, ...)
            message = " ".join(str(exc).split())[:200]
            raise LoaderError(path, f"corrupt or not a DOCX file ({type(exc).__name__}: {message})") from None
        return blocks, title


def check_zip(path: Path, data: bytes) -> None:
    """Refuse a file that is not a zip holding word/document.xml, or that would expand too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        reason = " ".join(str(exc).split()) or "not a zip"
        raise LoaderError(path, f"corrupt or not a DOCX file ({reason})") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        biggest = max(members, key=lambda m: m.file_size)
        raise LoaderError(path, f"refused: {biggest.filename} expands to {biggest.file_size // _MB} MB "
                                f"(the whole file to {total // _MB} MB; "
                                f"the limit is {MAX_UNCOMPRESSED_BYTES // _MB} MB)")
    for m in members:
        if m.file_size > RATIO_CHECK_BYTES and m.file_size > MAX_RATIO * max(1, m.compress_size):
            raise LoaderError(path, f"refused: {m.filename} expands to {m.file_size // _MB} MB from "
                                    f"{m.compress_size // 1024} KB (compression ratio over {MAX_RATIO}:1)")
    if "word/document.xml" not in {m.filename for m in members}:
        raise LoaderError(path, "corrupt or not a DOCX file (no word/document.xml in the zip)")


def _body_blocks(document) -> Iterator[Block]:
    from docx.text.paragraph import Paragraph

    def walk(container, parent, in_table: bool) -> Iterator[Block]:
        for child in container.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                block = _paragraph_block(Paragraph(child, parent), in_table)
                if block:
                    yield block
            elif tag == f"{_W}tbl":
                for row in child.iterchildren(f"{_W}tr"):
                    for cell in row.iterchildren(f"{_W}tc"):
                        merge = cell.find(f"{_W}tcPr/{_W}vMerge")
                        if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                            continue  # the lower part of a vertically merged cell: its text is above
                        yield from walk(cell, parent, True)
            elif tag in (f"{_W}sdt", f"{_W}customXml"):  # content controls wrap ordinary content
                content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
                if content is not None:
                    yield from walk(content, parent, in_table)

    yield from walk(document.element.body, document._body, False)


def _paragraph_block(paragraph, in_table: bool) -> Block | None:
    text = paragraph.text.replace("\t", " ").strip()
    if not text:
        return None
    if in_table:
        return Block(BlockKind.PARAGRAPH, text)
    style = _style_name(paragraph)
    if style.lower() == "title":
        return Block(BlockKind.HEADING, text, 1)
    if m := _HEADING_STYLE.match(style):
        return Block(BlockKind.HEADING, text, max(1, int(m.group(1))))
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None and (level := _int(outline.get(f"{_W}val"))) is not None and level < 9:
        return Block(BlockKind.HEADING, text, level + 1)
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is not None or "list" in style.lower():
        level = 0
        ilvl = num_pr.find(f"{_W}ilvl") if num_pr is not None else None
        if ilvl is not None:
            level = _int(ilvl.get(f"{_W}val")) or 0
        elif m := re.search(r"\s(\d)$", style):  # "List Bullet 2" is the second level
            level = int(m.group(1)) - 1
        return Block(BlockKind.ITEM, text, max(0, level), "-" if "bullet" in style.lower() else "")
    return Block(BlockKind.PARAGRAPH, text)


def _style_name(paragraph) -> str:
    try:
        style = paragraph.style
        return (style.name or "") if style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
