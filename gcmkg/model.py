"""The document model every loader produces and every extractor reads.

Nothing here knows RDF. Loaders turn a file into `Block`s (what the format says about structure:
headings, paragraphs, list items, gaps); `gcmkg.loaders.segment` turns blocks into a `Document`
with nested `Section`s and `Passage`s whose offsets point into `Document.text`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"  # the format says this is a heading (HTML <h2>, Markdown '##', DOCX 'Heading 2')
    PARAGRAPH = "paragraph"  # running text; may still be a heading by its form ("Objective 13 - ...")
    ITEM = "item"  # a bullet or numbered list item
    GAP = "gap"  # an excerpt break (a run of blank lines, a page break): context stops here


@dataclass(frozen=True)
class Block:
    """A unit of text as the file's format delimits it, before heading detection and sentence splitting.

    `level` is the heading level (1 = top) for headings and the nesting depth (0 = top) for items;
    `marker` is the list marker or heading number as written ("-", "1.", "(a)", "II.").
    """

    kind: BlockKind
    text: str
    level: int = 0
    marker: str = ""


@dataclass(frozen=True)
class Section:
    """A heading and the span of text it governs; `parent` is the index of the enclosing section."""

    index: int
    heading: str
    level: int
    parent: int | None
    passage: int  # index of the passage that holds the heading text


@dataclass(frozen=True)
class Passage:
    """A sentence, a list item or a heading, in reading order.

    `start`/`end` are offsets into `Document.text`, so `document.text[p.start:p.end] == p.text`.
    `sections` lists the enclosing sections, outermost first (a list item with sub-items is a section
    for them too). `paragraph` groups the sentences of one paragraph or item; `after_gap` marks the
    first passage after an excerpt break.
    """

    index: int
    text: str
    start: int
    end: int
    kind: str  # "heading" | "sentence" | "item"
    sections: tuple[int, ...] = ()
    paragraph: int = 0
    first_in_paragraph: bool = True
    after_gap: bool = False


@dataclass
class Document:
    """A loaded document: its text, title, sections and passages, and where it came from."""

    identifier: str  # the source file's name: the stable key of the document
    title: str
    text: str
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    media_type: str = "text/plain"
    source: str = ""  # the path it was read from

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def section_chain(self, passage: Passage) -> list[Section]:
        return [self.sections[i] for i in passage.sections]
