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
BYLINE_MAX_CHARS = 300
ACTOR_KINDS = ("stakeholder", "state")


def creators(document: Document, mentioned: dict[int, set[EntityRef]]) -> list[EntityRef]:
    """Actors named in a byline ("Summary Report from Rapporteur ... (PICUM)", "Statement by ...").

    A byline is a short passage; when it names a person only, the organisation is looked for in the
    next two short passages ("Comments by Monami Maulik" / "International Coordinator, Global Coalition ...").
    """
    found: list[EntityRef] = []
    passages = document.passages
    for p in passages:
        if len(p.text) > BYLINE_MAX_CHARS or not (BYLINE.search(p.text) or _STATEMENT_TITLE.match(p.text)):
            continue
        actors = _actors(mentioned.get(p.index, set()))
        if not actors:
            for q in passages[p.index + 1:p.index + 3]:
                if len(q.text) <= BYLINE_MAX_CHARS:
                    actors = _actors(mentioned.get(q.index, set()))
                    if actors:
                        break
        found += [a for a in actors if a not in found]
    return found


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
