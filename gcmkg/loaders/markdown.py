"""Markdown (CommonMark and the common GitHub extensions), read with the standard library only.

'#' and setext headings are headings, '-'/'*'/'+'/'1.' lines are items nested by indentation, other
text is paragraphs (wrapped lines joined); thematic breaks and runs of blank lines are gaps. Inline
markup is reduced to its text: emphasis markers go, links keep their text, images and fenced code
blocks are dropped, inline code is kept. HTML blocks are read as HTML; table cells become paragraphs.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import ClassVar

from gcmkg.loaders.base import BlockLoader, decode_text, read_bytes
from gcmkg.loaders.html import html_to_blocks
from gcmkg.loaders.text import GAP_BLANK_LINES
from gcmkg.model import Block, BlockKind

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|(?P<num>\d{1,9})[.)])(?:[ \t]+(?P<text>.*)|[ \t]*$)")
_BLOCKQUOTE = re.compile(r"^(?: {0,3}> ?)+")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)([^\]]+)\]:\s*\S+.*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_HTML_BLOCK = re.compile(
    r"^ {0,3}(?:<!--|<\?|<!\[CDATA\[|</?(?:address|article|aside|blockquote|body|caption|center|dd|details|"
    r"dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|html|iframe|legend|li|main|"
    r"nav|ol|p|pre|script|section|style|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?=[\s/>]|$))",
    re.IGNORECASE,
)

# Inline markup.
_ESCAPABLE = r"""!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"""
_ESCAPE = re.compile(rf"\\([{_ESCAPABLE}])")
_PLACEHOLDER_BASE = 0xE000  # escaped characters live in the private use area until markup is gone
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_PARENS = r"\((?:[^()]|\([^()]*\))*\)"
_IMAGE = re.compile(rf"!\[[^\]]*\](?:{_PARENS}|\[[^\]]*\])")
_INLINE_LINK = re.compile(rf"\[([^\]]*)\]{_PARENS}")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[([^\]]*)\]")
_SHORTCUT_LINK = re.compile(r"\[([^\]^][^\]]*)\](?![(\[:])")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_EMPHASIS = [
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL),
    re.compile(r"(?<![\w\\])__(?=\S)(.+?)(?<=\S)__(?!\w)", re.DOTALL),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL),
    re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.DOTALL),
    re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)", re.DOTALL),
]


class MarkdownLoader(BlockLoader):
    name: ClassVar[str] = "markdown"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown")
    media_type: ClassVar[str] = "text/markdown"

    def blocks(self, path: Path) -> tuple[list[Block], str]:
        blocks = markdown_to_blocks(decode_text(path, read_bytes(path)))
        title = next((b.text for b in blocks if b.kind is BlockKind.HEADING and b.level == 1), "")
        return blocks, title


def markdown_to_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown document, inline markup reduced to plain text."""
    lines = _strip_front_matter(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    references = {m.group(1).strip().lower() for line in lines if (m := _LINK_DEFINITION.match(line))}
    reader = _Reader(references)
    reader.read(lines)
    return reader.blocks


def _strip_front_matter(lines: list[str]) -> list[str]:
    """Drop a YAML front-matter block ('---' ... '---' at the very top)."""
    if lines and lines[0].strip() == "---":
        for n, line in enumerate(lines[1:60], start=1):
            if line.strip() in ("---", "..."):
                if all(re.match(r"^\s*(?:[\w-]+\s*:|-\s|#|$)", x) for x in lines[1:n]):
                    return lines[n + 1:]
                break
    return lines


class _Reader:
    def __init__(self, references: set[str]) -> None:
        self.references = references
        self.blocks: list[Block] = []
        self.lines: list[str] = []  # raw lines of the open paragraph or item
        self.kind = BlockKind.PARAGRAPH
        self.level = 0
        self.marker = ""
        self.lists: list[tuple[int, int]] = []  # open list items: (marker indent, content column)
        self.blank_run = 0

    # -- block assembly ---------------------------------------------------------------------------------

    def flush(self) -> None:
        if self.lines:
            joined = " ".join(re.sub(r"(?<!\\)\\$", "", s.strip()) for s in self.lines)  # '\' = hard break
            text = inline_text(joined, self.references)
            if text:
                self.blocks.append(Block(self.kind, text, self.level, self.marker))
        self.lines = []
        self.kind, self.level, self.marker = BlockKind.PARAGRAPH, 0, ""

    def add(self, kind: BlockKind, text: str, level: int = 0, marker: str = "") -> None:
        self.flush()
        if kind is BlockKind.GAP:
            self.lists.clear()
            if self.blocks and self.blocks[-1].kind is not BlockKind.GAP:
                self.blocks.append(Block(BlockKind.GAP, ""))
            return
        text = inline_text(text, self.references)
        if text:
            self.blocks.append(Block(kind, text, level, marker))

    def extend_last_item(self, line: str) -> bool:
        """A paragraph indented under the last item (after a blank line) belongs to that item."""
        if not self.lists or not self.blocks or self.blocks[-1].kind is not BlockKind.ITEM:
            return False
        indent = len(line) - len(line.lstrip(" "))
        if indent < self.lists[-1][1]:
            return False
        last = self.blocks.pop()
        self.kind, self.level, self.marker = last.kind, last.level, last.marker
        self.lines = [last.text, line]
        return True

    # -- the line loop -------------------------------------------------------------------------------

    def read(self, lines: list[str]) -> None:
        i = 0
        while i < len(lines):
            raw = _BLOCKQUOTE.sub("", lines[i].expandtabs(4))
            i += 1
            if not raw.strip():
                self.blank_run += 1
                if self.blank_run == 1:
                    self.flush()
                continue
            had_blank, self.blank_run = self.blank_run, 0
            if had_blank >= GAP_BLANK_LINES:
                self.add(BlockKind.GAP, "")

            if fence := _FENCE.match(raw):  # fenced code: dropped up to the closing fence
                self.flush()
                mark = fence.group(1)
                closing = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}\s*$")
                while i < len(lines) and not closing.match(lines[i]):
                    i += 1
                i += 1
                continue
            if _HTML_BLOCK.match(raw):
                self.flush()
                chunk = [raw]
                end = "-->" if raw.lstrip().startswith("<!--") else None
                while i < len(lines) and (lines[i].strip() if end is None else end not in chunk[-1]):
                    chunk.append(lines[i])
                    i += 1
                self.blocks.extend(html_to_blocks("\n".join(chunk)))
                continue
            if _LINK_DEFINITION.match(raw) and not self.lines:
                continue
            if self.lines and self.kind is BlockKind.PARAGRAPH and (setext := _SETEXT.match(raw)):
                level = 1 if setext.group(1)[0] == "=" else 2
                self.kind, self.level = BlockKind.HEADING, level
                self.lines = [" ".join(s.strip() for s in self.lines)]
                self.flush()
                continue
            if _THEMATIC.match(raw):
                self.add(BlockKind.GAP, "")
                continue
            if atx := _ATX.match(raw):
                self.lists.clear()
                self.add(BlockKind.HEADING, atx.group(2) or "", len(atx.group(1)))
                continue
            if _TABLE_ROW.match(raw) or (_TABLE_RULE.match(raw) and "|" in raw):
                self.flush()
                self.lists.clear()
                if not _TABLE_RULE.match(raw):
                    for cell in re.split(r"(?<!\\)\|", raw.strip().strip("|")):
                        self.add(BlockKind.PARAGRAPH, cell)
                continue
            item = _ITEM.match(raw)
            if item and (not self.lines or self.kind is BlockKind.ITEM or item.group("num") in (None, "1")):
                self.start_item(item)
                continue
            if had_blank and self.extend_last_item(raw):
                continue
            if self.lines:  # a wrapped line, or a lazy continuation of an item
                self.lines.append(raw)
                continue
            if had_blank or not self.blocks or self.blocks[-1].kind is not BlockKind.ITEM:
                self.lists.clear()
            self.lines = [raw]
        self.flush()

    def start_item(self, item: re.Match[str]) -> None:
        self.flush()
        indent = len(item.group("indent"))
        text = item.group("text") or ""
        content = indent + len(item.group("marker")) + 1 + (len(text) - len(text.lstrip()) if text else 0)
        while self.lists and indent < self.lists[-1][1]:
            self.lists.pop()
        self.kind, self.level, self.marker = BlockKind.ITEM, len(self.lists), item.group("marker")
        self.lists.append((indent, content))
        self.lines = [text]


def inline_text(text: str, references: set[str] | frozenset[str] = frozenset()) -> str:
    """The plain text of a Markdown inline run: markup dropped, link texts and code spans kept."""
    text = _ESCAPE.sub(lambda m: chr(_PLACEHOLDER_BASE + ord(m.group(1))), text)
    parts = []
    last = 0
    for m in _CODE_SPAN.finditer(text):
        parts.append(_strip_markup(text[last:m.start()], references))
        parts.append(m.group(2).strip())
        last = m.end()
    parts.append(_strip_markup(text[last:], references))
    text = "".join(parts)
    text = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PLACEHOLDER_BASE), text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_markup(text: str, references: set[str]) -> str:
    text = _IMAGE.sub("", text)
    text = _FOOTNOTE_REF.sub("", text)
    for _ in range(3):  # links may nest emphasis and vice versa
        text = _INLINE_LINK.sub(r"\1", text)
        text = _REFERENCE_LINK.sub(r"\1", text)
    text = _SHORTCUT_LINK.sub(
        lambda m: m.group(1) if m.group(1).strip().lower() in references else m.group(), text
    )
    text = _AUTOLINK.sub(r"\1", text)
    text = _INLINE_TAG.sub("", text)
    for _ in range(2):
        for pattern in _EMPHASIS:
            text = pattern.sub(r"\1", text)
    return html.unescape(text)
