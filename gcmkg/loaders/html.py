"""HTML pages and fragments: <h1>-<h6> are headings, <li> items, <p>/<div>/<td> paragraphs.

Scripts, styles and navigation chrome are dropped; entities are decoded. Used for .html files and
for HTML fragments embedded in text files.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from gcmkg.loaders.base import BlockLoader, decode_text, read_bytes
from gcmkg.model import Block, BlockKind

_BLOCK_TAGS = {"p", "div", "td", "th", "blockquote", "section", "article", "dd", "dt", "caption", "pre"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "button", "select"}


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._buf: list[str] = []
        self._kind = BlockKind.PARAGRAPH
        self._level = 0
        self._list_depth = 0
        self._skip = 0
        self._in_title = False

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buf)).strip()
        if text:
            self.blocks.append(Block(self._kind, text, self._level))
        self._buf = []
        self._kind, self._level = BlockKind.PARAGRAPH, 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
            return
        if tag in ("ul", "ol"):
            self._flush()
            self._list_depth += 1
        elif tag == "li":
            self._flush()
            self._kind, self._level = BlockKind.ITEM, max(0, self._list_depth - 1)
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._kind, self._level = BlockKind.HEADING, int(tag[1])
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self._buf.append(" ")
        elif tag == "hr":
            self._flush()
            self.blocks.append(Block(BlockKind.GAP, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "title":
            self._in_title = False
            return
        if tag in ("ul", "ol"):
            self._flush()
            self._list_depth = max(0, self._list_depth - 1)
        elif tag == "li" or re.fullmatch(r"h[1-6]", tag) or tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_blocks(markup: str) -> list[Block]:
    """Blocks of an HTML document or fragment."""
    parser = _BlockParser()
    parser.feed(markup)
    parser.close()
    return parser.blocks


class HtmlLoader(BlockLoader):
    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")
    media_type: ClassVar[str] = "text/html"

    def blocks(self, path: Path) -> tuple[list[Block], str]:
        parser = _BlockParser()
        parser.feed(decode_text(path, read_bytes(path)))
        parser.close()
        return parser.blocks, re.sub(r"\s+", " ", parser.title).strip()
