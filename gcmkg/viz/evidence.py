"""What every view reads from the store: the entities documents name, and which passages name them.

Two entities are linked in a document when one passage, or two neighbouring passages, name them (kg-contract);
a *window* is such a passage or pair of neighbouring passages, and a link's weight counts its windows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import pyoxigraph as ox

from gcmkg.ontology.namespace import GCM_NS
from gcmkg.viz.sparql import select

KINDS = ("State", "Stakeholder", "Objective", "Concern", "GuidingPrinciple", "Compact")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,11}$")
LONG_LABEL = 28


@dataclass
class Entity:
    iri: str
    kind: str  # one of KINDS
    cls: str  # the gcm: class's local name, e.g. "UNEntity"
    name: str  # the full label
    label: str  # what a node shows: "Objective 13", an acronym for a long name
    number: int | None = None


@dataclass
class Link:
    windows: int = 0
    documents: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)  # concerns both raise (stakeholder network)


@dataclass
class Evidence:
    entities: dict[str, Entity]
    passages: dict[tuple[str, int], set[str]]  # (document, index) -> entities named there or stood under

    def mentions(self) -> tuple[Counter, dict[str, set[str]]]:
        """Passages and documents per entity."""
        count: Counter = Counter()
        docs: dict[str, set[str]] = defaultdict(set)
        for (doc, _), here in self.passages.items():
            for e in here:
                count[e] += 1
                docs[e].add(doc)
        return count, docs

    def links(self, kinds: tuple[set[str], set[str]] | None = None, must: set[str] = frozenset(),
              involving: set[str] | None = None) -> dict[tuple[str, str], Link]:
        """Windows per unordered pair (a < b). `kinds`: the two ends' kinds; `must`: entities every window names;
        `involving`: keep pairs with both ends in this set."""
        by_doc: dict[str, dict[int, set[str]]] = defaultdict(dict)
        for (doc, i), here in self.passages.items():
            by_doc[doc][i] = here
        links: dict[tuple[str, str], Link] = defaultdict(Link)
        for doc, index in by_doc.items():
            for i, here in index.items():
                following = index.get(i + 1)
                for there in (None, following) if following else (None,):
                    window = here | there if there else here
                    if must and not must <= window:
                        continue
                    pairs = combinations(sorted(here), 2) if there is None else (
                        tuple(sorted((a, b))) for a in here for b in there if a != b)
                    for a, b in set(pairs):
                        if self._wanted(a, b, kinds, involving):
                            link = links[(a, b)]
                            link.windows += 1
                            link.documents.add(doc)
        return dict(links)

    def _wanted(self, a: str, b: str, kinds: tuple[set[str], set[str]] | None, involving: set[str] | None) -> bool:
        ea, eb = self.entities.get(a), self.entities.get(b)
        if ea is None or eb is None:
            return False
        if involving is not None and not (a in involving and b in involving):
            return False
        if kinds is None:
            return True
        first, second = kinds
        return (ea.kind in first and eb.kind in second) or (eb.kind in first and ea.kind in second)


def read_evidence(store: ox.Store, document: str | None = None) -> Evidence:
    """Entities and passage mentions, optionally of one document (its dcterms:identifier)."""
    entities: dict[str, Entity] = {}
    for row in select(store, "entities"):
        kind = str(row["kind"]).removeprefix(GCM_NS)
        previous = entities.get(row["entity"])
        if previous is not None and KINDS.index(previous.kind) <= KINDS.index(kind):
            continue
        name = str(row["label"])
        entities[row["entity"]] = Entity(row["entity"], kind, str(row["class"]).removeprefix(GCM_NS), name,
                                         _short_label(kind, name, row["number"], row["altLabels"]), row["number"])
    passages: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in select(store, "windows", document=document):
        passages[(row["document"], int(row["index"]))].add(row["entity"])
    return Evidence(entities, dict(passages))


def _short_label(kind: str, name: str, number: object, alt_labels: object) -> str:
    """A node's label: "Objective 13", else the name, else for a long name its shortest acronym."""
    if kind == "Objective" and number is not None:
        return f"Objective {number}"
    if len(name) <= LONG_LABEL or kind == "Concern":  # concerns read better as words than as "UASC"
        return name if len(name) <= LONG_LABEL else name[: LONG_LABEL - 1].rstrip() + "…"
    acronyms = [a for a in str(alt_labels or "").split("|")
                if _ACRONYM.match(a) and sum(c.isupper() for c in a) >= 2]
    if acronyms:
        # The standard all-capitals acronym ("UNECE" rather than "ECE"), else a mixed one ("CoRMSA").
        return max(acronyms, key=lambda a: (a.replace("-", "").isupper(), len(a) <= 8, len(a), a))
    return name[: LONG_LABEL - 1].rstrip() + "…"
