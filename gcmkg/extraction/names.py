"""A gazetteer matcher: every name of every entity, found in one pass (Aho-Corasick), longest match first.

Acronyms match with their exact case ("IOM", "US"); names match whatever their case except that the
text must start them with a capital ("Portugal", "European Commission"), so "turkey" or "chad" in
running lower-case text are not states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from gcmkg.extraction.records import EntityRef
from gcmkg.extraction.text import is_word_boundary

EXACT = "exact"
CAPITALISED = "capitalised"
ANY_CASE = "any"


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    entity: EntityRef
    surface: str
    mode: str


def _fold(text: str) -> str:
    """Lower case with the same length, so offsets in the folded text are offsets in the original."""
    folded = text.lower().replace("’", "'")
    return folded if len(folded) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def is_acronym(name: str) -> bool:
    """IOM, UNHCR, U.S., CoRMSA, UNMigNetwork: several capitals and no spaces."""
    return " " not in name and sum(c.isupper() for c in name) >= 2


class NameMatcher:
    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._entries: dict[str, list[tuple[EntityRef, str, str]]] = {}
        self._built = False

    def add(self, name: str, entity: EntityRef, mode: str | None = None) -> None:
        name = re.sub(r"\s+", " ", name.strip())
        if len(name) < 2:
            return
        mode = mode or (EXACT if is_acronym(name) else CAPITALISED)
        key = _fold(name)
        self._entries.setdefault(key, [])
        if (entity, name, mode) not in self._entries[key]:
            self._entries[key].append((entity, name, mode))
        self._built = False

    def add_all(self, names: Iterable[str], entity: EntityRef) -> None:
        for n in names:
            self.add(n, entity)

    def _build(self) -> None:
        self._automaton = ahocorasick.Automaton()
        for key in self._entries:
            self._automaton.add_word(key, key)
        if self._entries:
            self._automaton.make_automaton()
        self._built = True

    def find(self, text: str) -> list[NameHit]:
        """Non-overlapping hits, the longest at each place, in text order."""
        if not self._built:
            self._build()
        if not self._entries:
            return []
        folded = _fold(text)
        candidates: list[NameHit] = []
        for end_index, key in self._automaton.iter(folded):
            start, end = end_index - len(key) + 1, end_index + 1
            if not is_word_boundary(text, start, end):
                continue
            surface = text[start:end]
            for entity, name, mode in self._entries[key]:
                if mode == EXACT and surface != name:
                    continue
                if mode == CAPITALISED and not surface[:1].isupper():
                    continue
                candidates.append(NameHit(start, end, entity, surface, mode))
                break
        hits: list[NameHit] = []
        for hit in sorted(candidates, key=lambda h: (-(h.end - h.start), h.start)):
            if all(hit.end <= h.start or hit.start >= h.end for h in hits):
                hits.append(hit)
        return sorted(hits, key=lambda h: h.start)
