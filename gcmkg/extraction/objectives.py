"""GCM objectives named by number ("Objective 13", "GCM objectives 8 and 11", "Objectives 6 (...); 7 (...)")
or by their official title or a close paraphrase of it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gcmkg.extraction.records import EntityRef
from gcmkg.extraction.text import content_stems, identity_cache, tokens
from gcmkg.ontology.reference import Objective

_NUMBER_LIST = (
    r"(?P<first>\d{1,2})(?![\d.,]\d)(?P<rest>(?:\s*\([^()]{0,120}\))?(?:\s*(?:,|;|and|&|or|to|through|-|–|—)\s*"
    r"(?:(?:GCM\s+)?(?:objectives?|obj\.?)\s*)?\d{1,2}(?![\d.,]\d)(?:\s*\([^()]{0,120}\))?)*)"
)
OBJECTIVE_REF = re.compile(
    r"\b(?P<prefix>(?:GCM|Global Compact|SDG|Goal|Sustainable Development)\s+)?"
    r"(?:objectives?|obj\.|objetivos?|objectifs?)\s*(?:no\.?\s*|number\s+|#\s*)?" + _NUMBER_LIST,
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,2}")
_RANGE = re.compile(r"(\d{1,2})\s*(?:to|through|-|–|—)\s*(?:objectives?\s*)?(\d{1,2})", re.IGNORECASE)
# Title words too common in migration texts to identify an objective on their own.
_GENERIC = frozenset(content_stems(
    "migration migrants migrant international ensure all provide promote strengthen enhance use work "
    "safe orderly regular facilitate cooperation countries only towards toward"
))
TITLE_MIN_SHARE = 0.7
TITLE_MIN_STEMS = 4
TITLE_WINDOW = 30


@dataclass(frozen=True)
class ObjectiveHit:
    start: int
    end: int
    number: int


def numbered_objectives(text: str) -> list[ObjectiveHit]:
    """Objectives named by number; SDG goals and targets are not objectives."""
    hits = []
    for m in OBJECTIVE_REF.finditer(text):
        prefix = (m.group("prefix") or "").strip().lower()
        if prefix in ("sdg", "goal", "sustainable development"):
            continue
        span = m.group("first") + (m.group("rest") or "")
        span_no_parens = re.sub(r"\([^()]*\)", " ", span)
        numbers = {int(n) for n in _NUMBER.findall(span_no_parens)}
        for a, b in _RANGE.findall(span_no_parens):
            if int(a) < int(b) <= 23:
                numbers.update(range(int(a), int(b) + 1))
        hits += [ObjectiveHit(m.start(), m.end(), n) for n in sorted(numbers) if 1 <= n <= 23]
    return hits


@identity_cache
def _title_stems(objectives: tuple[Objective, ...]) -> dict[int, frozenset[str]]:
    return {o.number: frozenset(s for s in content_stems(o.title) if s not in _GENERIC) for o in objectives}


@identity_cache
def _objectives_by_stem(objectives: tuple[Objective, ...]) -> dict[str, tuple[int, ...]]:
    """Title stem -> the objectives (with enough distinctive stems to be matched) whose title has it."""
    index: dict[str, list[int]] = {}
    for number, stems in _title_stems(objectives).items():
        if len(stems) >= TITLE_MIN_STEMS:
            for s in stems:
                index.setdefault(s, []).append(number)
    return {s: tuple(numbers) for s, numbers in index.items()}


def titled_objectives(text: str, objectives: tuple[Objective, ...]) -> list[ObjectiveHit]:
    """Objectives named by their title or a close paraphrase: most of the title's distinctive words, close together."""
    toks = tokens(text)
    if len(toks) < TITLE_MIN_STEMS:
        return []
    hits = []
    by_stem = _objectives_by_stem(objectives)
    positions_of: dict[int, list[int]] = {}
    for i, t in enumerate(toks):  # one pass over the tokens for all objectives
        for number in by_stem.get(t.stem, ()):
            positions_of.setdefault(number, []).append(i)
    for number, stems in _title_stems(objectives).items():
        if len(stems) < TITLE_MIN_STEMS or number not in positions_of:
            continue
        positions = positions_of[number]
        best = None
        for i, start in enumerate(positions):
            window = [p for p in positions[i:] if p - start <= TITLE_WINDOW]
            found = {toks[p].stem for p in window}
            if len(found) >= TITLE_MIN_STEMS and len(found) >= TITLE_MIN_SHARE * len(stems):
                best = (toks[start].start, toks[window[-1]].end)
                break
        if best:
            hits.append(ObjectiveHit(best[0], best[1], number))
    return hits


def objective_ref(number: int) -> EntityRef:
    return EntityRef("objective", str(number))
