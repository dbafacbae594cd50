"""Per-document link summaries: the contract's links, counted once at build time.

Two entities are linked in a document when one passage, or two neighbouring passages, name them (gcm:mentions,
or gcm:about for objectives and concerns). Questions such as "which concerns are linked to Objective 13, in how
many passages, with an example" would otherwise walk every passage window of the corpus at query time, which
takes seconds at a thousand documents. So each document's graph also holds one gcm:Cooccurrence per ordered
pair of linked entities:

    id:link/<document>/<hash>  gcm:linkFrom A ; gcm:linkTo B ;
        gcm:passageCount n ;        # distinct passages naming B that are, or neighbour, a passage naming A
        gcm:windowCount w ;         # distinct passages or neighbouring pairs naming both (symmetric kinds only)
        gcm:examplePassage p ;      # one of the n: the first naming both, else the first
        gcm:exampleInNeighbour true .   # only when no passage names both

Each document also gets a summary of what it names (`summary_triples`): gcm:numberOfPassages,
gcm:numberOfConcerns, gcm:numberOfStates, gcm:numberOfStakeholders and gcm:coversObjective, so that listing a
thousand documents reads a few triples each instead of every mention.

Both are computed from the document's own triples (never the text), in the build's workers, and written in the
same transaction as the document, so they can never disagree with its passages. `link_triples` is the rule;
`materialise_links` adds them to a store built without them (a fixture, or an older store).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from gcmkg.ontology.namespace import GCM, ID_NS, RDF, XSD
from gcmkg.ontology.reference import Literal

_KINDS = {f"{ID_NS}{kind}/": kind for kind in ("objective", "concern", "state", "stakeholder")}
_ACTORS = ("state", "stakeholder")
_TYPE = RDF + "type"
# The ordered kinds of pairs the named queries ask about (a concern next to a concern is not one of them,
# and would be a third of all pairs). windowCount is kept for pairs of the same kind (co-occurrence networks).
LINKED_KINDS: frozenset[tuple[str, str]] = frozenset(
    [("objective", "concern"), ("concern", "objective"), ("objective", "objective"),
     *((actor, "objective") for actor in _ACTORS), *((actor, "concern") for actor in _ACTORS),
     *((a, b) for a in _ACTORS for b in _ACTORS)])
_SYMMETRIC = frozenset(k for k in LINKED_KINDS if k[0] == k[1] or (k[0] in _ACTORS and k[1] in _ACTORS))


@dataclass
class _Link:
    passages: set[int] = field(default_factory=set)
    windows: set[tuple[int, int]] = field(default_factory=set)
    example: tuple[int, int] = (2, 0)  # (in a neighbour?, passage index): the smallest wins


def _kind(iri: str) -> str | None:
    head = iri[:iri.find("/", len(ID_NS)) + 1]
    return _KINDS.get(head)


def link_triples(triples: list[tuple[str, str, object]], document_slug: str) -> list[tuple[str, str, object]]:
    """The gcm:Cooccurrence triples of one document, from its passages' gcm:index, gcm:mentions and gcm:about."""
    index: dict[str, int] = {}
    named: dict[str, set[str]] = defaultdict(set)
    passage_prefix, index_p, naming = f"{ID_NS}passage/", GCM.index, {GCM.mentions, GCM.about}
    for s, p, o in triples:
        if not s.startswith(passage_prefix):
            continue
        if p == index_p:
            index[s] = int(o)
        elif p in naming and isinstance(o, str) and _kind(o):
            named[s].add(o)
    entities = {index[s]: names for s, names in named.items() if s in index}
    iri_of = {i: s for s, i in index.items()}
    links: dict[tuple[str, str], _Link] = defaultdict(_Link)

    kind = {e: _kind(e) for names in entities.values() for e in names}

    def record(a: str, b: str, b_passage: int, neighbour: int, window: tuple[int, int]) -> None:
        if (kind[a], kind[b]) not in LINKED_KINDS:
            return
        link = links[(a, b)]
        link.passages.add(b_passage)
        link.windows.add(window)
        link.example = min(link.example, (neighbour, b_passage))

    for i, here in entities.items():
        for j in (i, i + 1):
            there = entities.get(j)
            if not there:
                continue
            for a in here:
                for b in there:
                    if a != b:
                        record(a, b, j, j - i, (i, j))
                        record(b, a, i, j - i, (i, j))
    out: list[tuple[str, str, object]] = []
    for (a, b), link in sorted(links.items()):
        node = f"{ID_NS}link/{document_slug}/{hashlib.sha1(f'{a} {b}'.encode()).hexdigest()[:12]}"
        out += [(node, GCM.linkFrom, a), (node, GCM.linkTo, b), (node, GCM.passageCount, len(link.passages)),
                (node, GCM.examplePassage, iri_of[link.example[1]])]
        if (kind[a], kind[b]) in _SYMMETRIC:
            out.append((node, GCM.windowCount, len(link.windows)))
        if link.example[0]:
            out.append((node, GCM.exampleInNeighbour, Literal("true", datatype=XSD + "boolean")))
    return out


def summary_triples(triples: list[tuple[str, str, object]]) -> list[tuple[str, str, object]]:
    """What a document names, counted: its passages, the distinct concerns, states and stakeholders its passages
    mention or are about, and each objective they mention or are about (gcm:coversObjective)."""
    document = next((s for s, p, o in triples if p == _TYPE and o == GCM.Document), None)
    if document is None:
        return []
    passages = {s for s, p, o in triples if p == _TYPE and o == GCM.Passage}
    naming = {GCM.mentions, GCM.about}
    named: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p in naming and s in passages and isinstance(o, str) and (kind := _kind(o)):
            named[kind].add(o)
    return [(document, GCM.numberOfPassages, len(passages)),
            (document, GCM.numberOfConcerns, len(named["concern"])),
            (document, GCM.numberOfStates, len(named["state"])),
            (document, GCM.numberOfStakeholders, len(named["stakeholder"])),
            *((document, GCM.coversObjective, o) for o in sorted(named["objective"]))]


def materialise_links(store: ox.Store) -> int:
    """Add (or redo) the link summaries of every document graph in `store`; returns how many were written."""
    from gcmkg.graph.rdf import term

    written = 0
    predicates = [ox.NamedNode(p) for p in (GCM.index, GCM.mentions, GCM.about, _TYPE)]
    derived = " ".join(f"<{p}>" for p in (GCM.numberOfPassages, GCM.numberOfConcerns, GCM.numberOfStates,
                                          GCM.numberOfStakeholders, GCM.coversObjective))
    for graph in [g for g in store.named_graphs() if g.value.startswith(ID_NS + "graph/document/")]:
        store.update(f"DELETE WHERE {{ GRAPH <{graph.value}> {{ ?l <{GCM.linkFrom}> ?a ; ?p ?o }} }} ; "
                     f"DELETE {{ GRAPH <{graph.value}> {{ ?d ?p ?o }} }} WHERE {{ GRAPH <{graph.value}> "
                     f"{{ ?d ?p ?o VALUES ?p {{ {derived} }} }} }}")
        triples = [(q.subject.value, q.predicate.value, int(q.object.value) if q.predicate.value == GCM.index
                    else q.object.value) for p in predicates for q in store.quads_for_pattern(None, p, None, graph)
                   if isinstance(q.subject, ox.NamedNode)]
        slug = graph.value.rsplit("/", 1)[1]
        new = link_triples(triples, slug) + summary_triples(triples)
        store.extend([ox.Quad(ox.NamedNode(s), ox.NamedNode(p), term(o), graph) for s, p, o in new])
        written += sum(1 for _, p, _ in new if p == GCM.linkFrom)
    return written


__all__ = ["LINKED_KINDS", "link_triples", "materialise_links", "summary_triples"]
