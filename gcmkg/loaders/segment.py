"""Blocks -> a Document: heading detection by form, nesting, hard-wrap repair and sentence splitting.

Every loader shares this step, so a heading written as "Objective 13 - ..." is found the same way
in a text file, a PDF or a DOCX paragraph. Headings the format marks (HTML <h2>, Markdown '##')
keep their level; headings found by their form get a level below the numbered ones in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gcmkg.model import Block, BlockKind, Document, Passage, Section

MAX_PASSAGE_CHARS = 1000
TITLE_BLOCKS = 3  # the first blocks of a document hold its title and subtitle

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBERED_HEADING = re.compile(
    rf"^(?P<num>(?:{_ROMAN}|{_ROMAN.lower()})\.|\d{{1,2}}(?:\.\d{{1,2}})*\.?|[A-H]\.)\s+(?P<title>\S.*)$"
)
_OBJECTIVE_HEADING = re.compile(
    r"^(?:\**)?(?:(?:GCM|Global Compact)\s+)?(?:objectives?|roundtable|round table|thematic session|"
    r"panel|session|cluster|pillar)\s+\d{1,2}\b",
    re.IGNORECASE,
)
_OBJECTIVE_REF = re.compile(r"\bobjectives?\s+\d{1,2}\b", re.IGNORECASE)
# Colon labels that divide a topic rather than start one: they nest under the heading in force.
_SUBDIVIDING_LABELS = re.compile(
    r"^(?:key |main |our |specific |concrete |policy )?(?:recommendations?|conclusions?|challenges?|"
    r"(?:good|promising|best) practices?|practices?|examples?|key messages?|messages?|discussions?|"
    r"summary|way forward|next steps?|questions?|guiding questions?|gaps?|lessons learn[te]d|"
    r"achievements?|progress|commitments?|pledges?|actions?|proposals?|observations?|findings?)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?;,]['\"”’)\]]*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "ms", "mr", "mrs", "dr", "prof", "no", "nos", "para", "paras", "art", "arts",
    "vol", "p", "pp", "fig", "al", "vs", "cf", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "govt", "dept", "approx", "ca",
    "rev", "res", "op", "cit", "ibid", "ed", "eds", "h.e", "u.s", "u.k", "u.n", "a.m", "p.m",
}
_SENTENCE_END = re.compile(r"[.!?]+['\"”’)\]]*(?=\s+['\"“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`; abbreviations, initials and decimal numbers do not end a sentence."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        before = text[start:m.start() + 1]
        word = re.search(r"([\w.]+)\.$", before.rstrip("!?"))
        if word and m.group().startswith("."):
            token = word.group(1).lower().rstrip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        if len(text[start:end].strip()) < 3:
            continue
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]


def heading_form(text: str) -> str | None:
    """'numbered' / 'objective' / 'label' when a paragraph reads as a heading by its form, else None."""
    stripped = text.strip().strip("*_").strip()
    if not stripped or len(stripped) > 200 or "\n" in stripped:
        return None
    words = _WORD.findall(stripped)
    m = _NUMBERED_HEADING.match(stripped)
    if m and len(words) <= 16 and not _TERMINAL.search(m.group("title")) and m.group("title")[:1].isupper():
        return "numbered"  # "II. Detention as a last resort (Objective 13)": its number sets its level
    if ((_OBJECTIVE_HEADING.match(stripped) or _OBJECTIVE_REF.search(stripped)) and len(words) <= 30
            and not re.search(r"[.!?]$", stripped)):
        return "objective"
    if len(words) <= 8 and stripped.endswith(":") and stripped[:1].isupper():
        return "subdivision" if _SUBDIVIDING_LABELS.match(stripped) else "label"
    if re.search(r"\b(?:1[89]|20)\d\d\b|\d{1,2}[:.]\d\d\b", stripped):
        return None  # a date or time line ("Monday, 9 November 2020, 10:00"), not a heading
    if (len(words) <= 10 and stripped[:1].isupper() and not _TERMINAL.search(stripped)
            and not stripped.endswith("?") and _title_like(words)):
        return "label"
    return None


def _title_like(words: list[str]) -> bool:
    """Most content words capitalised, or a short phrase: 'Background note', 'Guiding questions'."""
    if not words:
        return False
    small = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
    content = [w for w in words if w.lower() not in small]
    caps = sum(1 for w in content if w[:1].isupper())
    return len(words) <= 4 or caps >= 0.6 * max(1, len(content))


def heading_level(form: str, text: str) -> int:
    """Numbered headings nest by their numbering; other forms sit below the numbered ones."""
    m = _NUMBERED_HEADING.match(text.strip().strip("*_").strip())
    if form == "numbered" and m:
        num = m.group("num")
        if re.fullmatch(r"[IVX]+\.|[A-H]\.", num):
            return 1
        if re.fullmatch(r"[ivx]+\.", num):
            return 2
        return 1 + num.rstrip(".").count(".")
    return 0  # relative: placed under the numbered heading in force


@dataclass
class _Open:
    section: int
    level: float
    form: str = ""


def build_document(identifier: str, blocks: list[Block], *, title: str = "", media_type: str = "text/plain",
                   source: str = "") -> Document:
    """Assemble the Document: text from the blocks, sections from headings and parent items, passages."""
    doc = Document(identifier=identifier, title=title, text="", media_type=media_type, source=source)
    parts: list[str] = []
    offset = 0
    stack: list[_Open] = []  # open sections, outermost first
    numbered_level = 0.0  # level of the innermost numbered (or format-marked) heading in force
    paragraph = -1
    after_gap = False
    blocks = [b for b in blocks if b.kind is BlockKind.GAP or b.text.strip()]
    for i, block in enumerate(blocks):
        if block.kind is BlockKind.GAP:
            stack.clear()
            numbered_level = 0.0
            after_gap = bool(parts)
            continue
        text = _clean(block.text)
        if not text:
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
        block_start = offset
        parts.append(text)
        offset += len(text)
        paragraph += 1

        form = None
        if block.kind is BlockKind.HEADING:
            form = "marked"
        elif block.kind is BlockKind.PARAGRAPH:
            form = heading_form(text)
            if form in ("label", "subdivision") and paragraph < TITLE_BLOCKS and not doc.sections:
                form = None  # a title or subtitle line at the top, not a section of its own
        if form:
            if form == "marked":
                level = float(max(1, block.level))
                numbered_level = level
            elif form == "numbered":
                level = float(heading_level(form, text))
                numbered_level = level
            elif form == "subdivision" and any(o.level < 100 and o.form != "subdivision" for o in stack):
                topic = next(o for o in reversed(stack) if o.level < 100 and o.form != "subdivision")
                level = topic.level + 0.25
            else:
                level = numbered_level + 0.5
            while stack and stack[-1].level >= level:
                stack.pop()
            sec_index = len(doc.sections)
            p_index = len(doc.passages)
            doc.sections.append(Section(index=sec_index, heading=text, level=int(level * 2),
                                        parent=stack[-1].section if stack else None, passage=p_index))
            doc.passages.append(Passage(index=p_index, text=text, start=block_start, end=block_start + len(text),
                                        kind="heading", sections=tuple(o.section for o in stack),
                                        paragraph=paragraph, first_in_paragraph=True, after_gap=after_gap))
            stack.append(_Open(sec_index, level, form))
            after_gap = False
            continue

        if block.kind is BlockKind.ITEM:
            item_level = 100.0 + block.level
            while stack and stack[-1].level >= item_level:
                stack.pop()
            enclosing = tuple(o.section for o in stack)
            spans = [(0, len(text))] if len(text) <= MAX_PASSAGE_CHARS else split_sentences(text)
            first_passage = len(doc.passages)
            _add_passages(doc, text, block_start, spans, "item", enclosing, paragraph, after_gap)
            after_gap = False
            # An item is a section for the items nested below it.
            if i + 1 < len(blocks) and blocks[i + 1].kind is BlockKind.ITEM and blocks[i + 1].level > block.level:
                sec_index = len(doc.sections)
                doc.sections.append(Section(index=sec_index, heading=text, level=int(item_level * 2),
                                            parent=enclosing[-1] if enclosing else None, passage=first_passage))
                stack.append(_Open(sec_index, item_level))
            continue

        # A paragraph: leave any open list items, keep the headings.
        while stack and stack[-1].level >= 100:
            stack.pop()
        enclosing = tuple(o.section for o in stack)
        _add_passages(doc, text, block_start, split_sentences(text), "sentence", enclosing, paragraph, after_gap)
        after_gap = False

    doc.text = "".join(parts)
    if not doc.title:
        doc.title = _guess_title(doc)
    return doc


def _add_passages(doc: Document, text: str, base: int, spans: list[tuple[int, int]], kind: str,
                  sections: tuple[int, ...], paragraph: int, after_gap: bool) -> None:
    for n, (s, e) in enumerate(_cap_length(text, spans)):
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if not piece:
            continue
        idx = len(doc.passages)
        doc.passages.append(Passage(index=idx, text=piece, start=base + s + lead, end=base + s + lead + len(piece),
                                    kind=kind, sections=sections, paragraph=paragraph,
                                    first_in_paragraph=n == 0, after_gap=after_gap and n == 0))


def _cap_length(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split any span still over the passage limit at clause boundaries, then at spaces."""
    out = []
    for s, e in spans:
        while e - s > MAX_PASSAGE_CHARS:
            window = text[s:s + MAX_PASSAGE_CHARS]
            cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
            cut = cut + 1 if cut > MAX_PASSAGE_CHARS // 3 else MAX_PASSAGE_CHARS
            out.append((s, s + cut))
            s += cut
        out.append((s, e))
    return out


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def _clean(text: str) -> str:
    """Collapse runs of spaces and join wrapped lines; the passage text is the document's, spaces folded."""
    text = text.replace("\r", "")
    text = re.sub(r"\s*\n\s*", " ", text)
    return _SPACES.sub(" ", text).strip()


def _guess_title(doc: Document) -> str:
    for p in doc.passages[:5]:
        if len(p.text) >= 15:
            return p.text[:300]
    return doc.identifier
