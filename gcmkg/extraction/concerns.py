"""Concerns signalled by any of their wordings, matched on stems within a short window in any order,
so "children continue to be detained" signals child detention and "detention, particularly of
children" does too."""

from __future__ import annotations

from dataclasses import dataclass

from gcmkg.extraction.records import EntityRef
from gcmkg.extraction.text import Token, content_stems, identity_cache
from gcmkg.ontology.reference import Concern

WINDOW = 8  # tokens between the first and the last word of a two-word wording
WINDOW_PER_EXTRA_WORD = 3  # longer wordings may spread further


@dataclass(frozen=True)
class ConcernHit:
    start: int
    end: int
    entity: EntityRef
    wording: str


@dataclass(frozen=True)
class _Wording:
    concern: str
    text: str
    stems: tuple[str, ...]


@identity_cache
def _index(concerns: tuple[Concern, ...]) -> dict[str, list[_Wording]]:
    """Wordings by their rarest-looking stem (the longest), so each passage checks only candidates."""
    index: dict[str, list[_Wording]] = {}
    for c in concerns:
        for label in (c.label, *c.alt_labels):
            stems = tuple(dict.fromkeys(content_stems(label)))
            if not stems:
                continue
            anchor = max(stems, key=len)
            index.setdefault(anchor, []).append(_Wording(c.slug, label, stems))
    return index


def find_concerns(toks: list[Token], concerns: tuple[Concern, ...]) -> list[ConcernHit]:
    index = _index(concerns)
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        positions.setdefault(t.stem, []).append(i)
    best: dict[str, ConcernHit] = {}
    for anchor in sorted(positions.keys() & index.keys()):  # sorted: the same spans in every process
        for wording in index[anchor]:
            span = _window_match(wording.stems, positions)
            if span is None:
                continue
            hit = ConcernHit(toks[span[0]].start, toks[span[1]].end, EntityRef("concern", wording.concern),
                             wording.text)
            if wording.concern not in best or hit.start < best[wording.concern].start:
                best[wording.concern] = hit
    return sorted(best.values(), key=lambda h: h.start)


def _window_match(stems: tuple[str, ...], positions: dict[str, list[int]]) -> tuple[int, int] | None:
    """The first span of at most WINDOW tokens holding every stem, or None."""
    if any(s not in positions for s in stems):
        return None
    if len(stems) == 1:
        p = positions[stems[0]][0]
        return p, p
    window = WINDOW + WINDOW_PER_EXTRA_WORD * max(0, len(stems) - 2)
    first, rest = stems[0], stems[1:]
    for p in positions[first]:
        chosen = [p]
        for s in rest:
            near = [q for q in positions[s] if abs(q - p) <= window]
            if not near:
                break
            chosen.append(min(near, key=lambda q: abs(q - p)))
        else:
            if max(chosen) - min(chosen) <= window:
                return min(chosen), max(chosen)
    return None
