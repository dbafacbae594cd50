"""Who wrote a document (bylines) and who said a quote (attributions in the neighbouring paragraph)."""

from __future__ import annotations

import re

from gcmkg.extraction.records import EntityRef
from gcmkg.model import Document

BYLINE = re.compile(
    r"\b(?:(?:summary )?report(?:ed)? (?:from|by)|prepared by|submitted by|written by|authored by|"
    r"published by|compiled by|(?:joint )?statement (?:by|of|from)|comments by|remarks by|"
    r"contribution (?:by|of|from)|submission (?:by|of|from)|on behalf of)\b",
    re.IGNORECASE,
)
_STATEMENT_TITLE = re.compile(r"^(?:[A-Z][\w&-]*\s+){1,6}(?:Statement|Reflections|Submission|Position Paper)\b|"
                              r"^Statement:\s", re.IGNORECASE)
SPEECH = re.compile(r"\b(?:explains|explained|says|said|notes|noted|stated|states|adds|added|argues|argued|"
                    r"warns|warned|according to|emphasi[sz]es|emphasi[sz]ed|stresses|stressed|underlines)\b")
BYLINE_MAX_CHARS = 200


SIGNATORIES = re.compile(r"^\s*(?:list of\s+)?(?:signatories|signatory organi[sz]ations|signed by|endorsed by|"
                         r"endorsing organi[sz]ations|co-?signatories|submitted by|authors?)\b", re.IGNORECASE)
IMPRINT_PASSAGES = 6  # an imprint line ("ORG (ACR), City, June 2022") sits right under the title
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# what may follow the organisation on an imprint line: ", Brussels, June 2022", ", 12 April 2017", " – May 2021"
_IMPRINT_REST = re.compile(rf"^\s*[,–—-]\s*(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,2}}\s*,\s*)?"
                           rf"(?:\d{{1,2}}\s+)?(?:{_MONTH}\s+)?(?:\d{{1,2}},?\s+)?\d{{4}}\.?\s*$")
BYLINE_LEAD = 20  # a byline's trigger comes first: "Prepared by ...", "Summary Report from Rapporteur ..."


def creators(document: Document, mentioned: dict[int, set[EntityRef]],
             spans: dict[int, list[tuple[int, int, EntityRef]]] | None = None) -> list[EntityRef]:
    """Actors named in a byline ("Summary Report from Rapporteur ... (PICUM)", "Statement by ..."), in an imprint
    line under the title ("International Trade Union Confederation (ITUC), Brussels, June 2022"), or in a list of
    signatories.

    A byline is a short passage; when it names a person only, the organisation is looked for in the
    next two short passages ("Comments by Monami Maulik" / "International Coordinator, Global Coalition ...").
    """
    found: list[EntityRef] = []
    passages = document.passages
    for p in passages[:IMPRINT_PASSAGES]:
        for start, end, entity in (spans or {}).get(p.index, []):
            if entity.kind == "stakeholder" and start == 0 and len(p.text) <= 160 \
                    and _IMPRINT_REST.match(re.sub(r"^\s*\([A-Z][\w&-]+\)", "", p.text[end:])):
                found.append(entity)
    for p in passages:  # "Signatories:" then one organisation a line
        if len(p.text) <= 80 and SIGNATORIES.match(p.text.strip("*_ ")):
            for q in passages[p.index + 1:]:
                names = {e for e in mentioned.get(q.index, set()) if e.kind == "stakeholder"}
                if len(q.text) > 200 or not names:  # one-line names may read as headings: they still count
                    break
                found += sorted(names)
    for p in passages:
        byline = BYLINE.search(p.text)
        if len(p.text) > BYLINE_MAX_CHARS or not ((byline and byline.start() <= BYLINE_LEAD)
                                                   or _STATEMENT_TITLE.match(p.text)):
            continue
        actors = _actors(mentioned.get(p.index, set()))
        if not actors:
            for q in passages[p.index + 1:p.index + 3]:
                if len(q.text) <= BYLINE_MAX_CHARS:
                    actors = _actors(mentioned.get(q.index, set()))
                    if actors:
                        break
        found += actors
    return list(dict.fromkeys(found))


def _actors(entities: set[EntityRef]) -> list[EntityRef]:
    stakeholders = sorted(e for e in entities if e.kind == "stakeholder")
    return stakeholders or sorted(e for e in entities if e.kind == "state")


def attributions(document: Document, mentioned: dict[int, set[EntityRef]]) -> list[tuple[EntityRef, list[int], int]]:
    """(speaker, passages of the quote, attribution passage): "QUOTE" / "explains X of ORG." and the reverse."""
    out = []
    by_paragraph: dict[int, list[int]] = {}
    for p in document.passages:
        by_paragraph.setdefault(p.paragraph, []).append(p.index)
    for p in document.passages:
        text = p.text.strip()
        speakers = [e for e in mentioned.get(p.index, set()) if e.kind == "stakeholder"]
        if not speakers or not SPEECH.search(text):
            continue
        if re.match(r"^[a-z]", text) and SPEECH.match(text):  # "explains Michele LeVoy of PICUM."
            quote = by_paragraph.get(p.paragraph - 1, [])
        elif re.search(r"(?:explains|says|said|stated|notes|adds|argues)[,:]?\s*$", text):  # "... explains,"
            quote = by_paragraph.get(p.paragraph + 1, [])
        else:
            continue
        out += [(s, quote, p.index) for s in speakers if quote]
    return out
