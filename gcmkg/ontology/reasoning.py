"""Reasoning over the graph: OWL 2 RL property rules (compiled, checked against owlrl) and HermiT (owlready2).

`materialise(store)` derives what the ontology's axioms say (inverse properties, the property chains
*reportsPractice o addressesObjective -> engagesObjective*, sub-properties of gcm:actsOn) and writes the
new triples into their own named graph, id:graph/inferred, so asserted and inferred triples can be
queried apart. It reasons over the T-box and only the A-box triples whose property takes part in an
axiom, with the property rules compiled into lookup tables (`PropertyRules`): about 3 ms per document.

`check_consistency()` loads gcm.ttl in owlready2 and runs HermiT (Java). Without Java it raises
ReasonerUnavailable with a message saying what to install, never a Java stack trace.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import OntologyInconsistent, OptionalDependencyMissing, ReasonerUnavailable
from gcmkg.ontology.namespace import GCM_NS, ID_NS, INFERRED_GRAPH, ONTOLOGY_GRAPH, OWL, RDF, RDFS

# Axioms whose properties pull A-box triples into the reasoning.
_AXIOM_PROPERTIES = f"""
SELECT DISTINCT ?p WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    {{ ?p <{OWL}inverseOf> ?q }} UNION {{ ?q <{OWL}inverseOf> ?p }}
    UNION {{ ?p <{RDFS}subPropertyOf> ?q }} UNION {{ ?q <{RDFS}subPropertyOf> ?p }}
    UNION {{ ?q <{OWL}propertyChainAxiom>/<{RDF}rest>*/<{RDF}first> ?p }}
    UNION {{ ?p <{OWL}propertyChainAxiom> ?list }}
  }}
  FILTER (isIRI(?p) && STRSTARTS(STR(?p), "{GCM_NS}"))
}}"""


@dataclass(frozen=True)
class MaterialiseReport:
    asserted: int  # A-box triples reasoned over
    inferred: int  # new triples written to the inferred graph
    seconds: float


_TBOX_PREDICATES = (OWL + "inverseOf", RDFS + "subPropertyOf", OWL + "propertyChainAxiom", RDF + "first",
                    RDF + "rest", OWL + "equivalentProperty", RDF + "type")


def _tbox(store: ox.Store) -> list[ox.Triple]:
    """The property axioms of the ontology: only they can derive gcm: triples between resources."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return [ox.Triple(q.subject, q.predicate, q.object) for p in _TBOX_PREDICATES
            for q in store.quads_for_pattern(None, ox.NamedNode(p), None, graph)
            if p != RDF + "type" or q.object.value in (OWL + "ObjectProperty", OWL + "TransitiveProperty",
                                                         OWL + "SymmetricProperty")]


def _abox(store: ox.Store, properties: list[ox.NamedNode], graph: str) -> set[ox.Triple]:
    """Triples of the axioms' properties in one named graph."""
    name = ox.NamedNode(graph)
    return {ox.Triple(q.subject, q.predicate, q.object)
            for p in properties for q in store.quads_for_pattern(None, p, None, name)}


@cache
def ontology_axioms() -> tuple[tuple[ox.Triple, ...], frozenset[ox.NamedNode]]:
    """The ontology's property axioms and the properties they involve, read from gcm.ttl (no store needed),
    once per process: what build workers use to reason about the document they just extracted."""
    from gcmkg.ontology.reference import ONTOLOGY_FILE

    memory = ox.Store()
    with open(ONTOLOGY_FILE, "rb") as fh:
        memory.load(fh, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    properties = frozenset(row["p"] for row in memory.query(_AXIOM_PROPERTIES))
    return tuple(_tbox(memory)), properties


def infer_document(triples: list[tuple[str, str, object]]) -> list[tuple[str, str, str]]:
    """One document's inferences (what `materialise` writes to its inferred graph), from the document's
    triples as the build's workers hold them: IRIs as strings."""
    rules, names = _ontology_rules()
    abox = {(s, p, o) for s, p, o in triples if p in names and isinstance(o, str)}
    return sorted(_new_triples(rules, abox)) if abox else []


@cache
def _ontology_rules() -> tuple[PropertyRules, frozenset[str]]:
    """gcm.ttl's compiled rules and the IRIs of the properties they involve, once per process."""
    tbox, properties = ontology_axioms()
    return _compiled_rules(tbox), frozenset(p.value for p in properties)


def inferred_graph_iri(document_graph: str) -> str:
    """Where one document's inferences live: id:graph/inferred/document/<file name>."""
    return INFERRED_GRAPH + "/document/" + document_graph.rsplit("/", 1)[1]


def infer(tbox: list[ox.Triple], abox: set[ox.Triple]) -> set[ox.Triple]:
    """The OWL 2 RL property closure of T-box plus A-box; returns the new A-box triples between gcm resources.

    The T-box is compiled once into lookup tables (`PropertyRules`) and the A-box closed by a fixed point over
    them: the same triples as owlrl's full OWL 2 RL closure (`infer_owlrl`, which the tests compare it with on
    real documents), about a hundred times faster, because only the property rules can yield gcm: triples.
    """
    resources = {(t.subject.value, t.predicate.value, t.object.value) for t in abox
                 if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)}
    return {ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))
            for s, p, o in _new_triples(_compiled_rules(tuple(tbox)), resources)}


def _new_triples(rules: PropertyRules, abox: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """What the closure adds to `abox`, kept to gcm: properties between gcm resources."""
    return {(s, p, o) for s, p, o in rules.close(abox) - abox
            if p.startswith(GCM_NS) and s.startswith(ID_NS) and o.startswith(ID_NS)}


@dataclass(frozen=True)
class PropertyRules:
    """The OWL 2 RL rules over properties (prp-spo1, prp-spo2, prp-eqp, prp-inv, prp-symp, prp-trp), compiled
    from the T-box into tables so a closure is a few dictionary lookups per triple."""

    supers: dict[str, frozenset[str]]  # p -> every q with p subPropertyOf* q (equivalence both ways), minus p
    inverses: dict[str, frozenset[str]]
    symmetric: frozenset[str]
    transitive: frozenset[str]
    chains: tuple[tuple[tuple[str, ...], str], ...]  # ((p1, ..., pn), p)

    def close(self, triples: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        closed: set[tuple[str, str, str]] = set()
        objects: dict[str, dict[str, set[str]]] = {}  # predicate -> subject -> objects, kept as triples arrive
        todo = set(triples)
        while todo:
            closed |= todo
            for s, p, o in todo:
                objects.setdefault(p, {}).setdefault(s, set()).add(o)
            new: set[tuple[str, str, str]] = set()
            for s, p, o in todo:
                new.update((s, q, o) for q in self.supers.get(p, ()))
                new.update((o, q, s) for q in self.inverses.get(p, ()))
                if p in self.symmetric:
                    new.add((o, p, s))
            for p in self.transitive:
                pairs = objects.get(p, {})
                new.update((s, p, o2) for s, os in pairs.items() for o in os for o2 in pairs.get(o, ()))
            for steps, result in self.chains:
                for s, frontier in objects.get(steps[0], {}).items():
                    for step in steps[1:]:
                        frontier = {o2 for o in frontier for o2 in objects.get(step, {}).get(o, ())}
                    new.update((s, result, o) for o in frontier)
            todo = new - closed
        return closed


@cache
def _compiled_rules(tbox: tuple[ox.Triple, ...]) -> PropertyRules:
    edges: dict[str, set[str]] = {}
    inverses: dict[str, set[str]] = {}
    symmetric, transitive, chains = set(), set(), []
    first = {t.subject: t.object for t in tbox if t.predicate.value == RDF + "first"}
    rest = {t.subject: t.object for t in tbox if t.predicate.value == RDF + "rest"}

    def members(node: object) -> tuple[str, ...]:
        out = []
        while node in first:
            out.append(first[node].value)
            node = rest.get(node)
        return tuple(out)

    for t in tbox:
        p, s, o = t.predicate.value, t.subject.value, t.object.value
        if p == RDFS + "subPropertyOf":
            edges.setdefault(s, set()).add(o)
        elif p == OWL + "equivalentProperty":
            edges.setdefault(s, set()).add(o)
            edges.setdefault(o, set()).add(s)
        elif p == OWL + "inverseOf":
            inverses.setdefault(s, set()).add(o)
            inverses.setdefault(o, set()).add(s)
        elif p == OWL + "propertyChainAxiom":
            chain = members(t.object)
            if chain:
                chains.append((chain, s))
        elif p == RDF + "type" and o == OWL + "SymmetricProperty":
            symmetric.add(s)
        elif p == RDF + "type" and o == OWL + "TransitiveProperty":
            transitive.add(s)

    def above(p: str) -> frozenset[str]:
        seen, stack = set(), [p]
        while stack:
            for q in edges.get(stack.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    stack.append(q)
        return frozenset(seen - {p})

    return PropertyRules({p: above(p) for p in edges}, {p: frozenset(q) for p, q in inverses.items()},
                         frozenset(symmetric), frozenset(transitive), tuple(chains))


def infer_owlrl(tbox: list[ox.Triple], abox: set[ox.Triple]) -> set[ox.Triple]:
    """`infer` by owlrl's full OWL 2 RL closure: the reference the compiled rules are tested against."""
    try:
        import owlrl
        from rdflib import Graph, URIRef
    except ImportError:
        raise OptionalDependencyMissing("owlrl", "reason") from None

    graph = Graph()
    data = ox.serialize([*tbox, *abox], format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=data.decode("utf-8"), format="nt")
    before = len(graph)
    closure = owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False)
    closure.expand(graph)
    new: set[ox.Triple] = set()
    if len(graph) == before:
        return new
    for s, p, o in graph:
        if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
            continue
        if str(p).startswith(GCM_NS) and str(s).startswith(ID_NS) and str(o).startswith(ID_NS):
            triple = ox.Triple(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.NamedNode(str(o)))
            if triple not in abox:
                new.add(triple)
    return new


def materialise(store: ox.Store, documents: list[str] | None = None) -> MaterialiseReport:
    """Derive what the ontology's axioms say, document by document.

    The axioms (inverses, sub-properties, two-step chains) only combine triples of one document, so each
    document's inferences are computed from its own graph alone and written to its own graph
    (`inferred_graph_iri`), exactly as the build's workers do with `infer_document`; what the reference data
    imply (the recorded vote) goes to id:graph/inferred. `documents` lists the document graphs to redo
    (None: all). Queries see every graph whose IRI starts with id:graph/inferred as inferred.
    """
    from gcmkg.graph.store import remove_graph, replace_graph
    from gcmkg.ontology.namespace import REFERENCE_GRAPH

    started = time.perf_counter()
    tbox, properties = ontology_axioms()
    reference = _abox(store, properties, REFERENCE_GRAPH)
    from_reference = infer(list(tbox), reference) if reference else set()
    _write(store, replace_graph, INFERRED_GRAPH, from_reference)
    all_documents = {g.value for g in store.named_graphs() if g.value.startswith(ID_NS + "graph/document/")}
    todo = sorted(all_documents) if documents is None else [g for g in documents if g in all_documents]
    asserted, inferred = len(reference), len(from_reference)
    for graph in todo:
        abox = _abox(store, properties, graph)
        new = infer(list(tbox), abox) if abox else set()
        asserted, inferred = asserted + len(abox), inferred + len(new)
        if new:
            _write(store, replace_graph, inferred_graph_iri(graph), new)
        else:
            remove_graph(store, inferred_graph_iri(graph))
    for stale in (g.value for g in store.named_graphs() if g.value.startswith(INFERRED_GRAPH + "/document/")):
        if ID_NS + "graph/document/" + stale.rsplit("/", 1)[1] not in all_documents:
            remove_graph(store, stale)  # the document is gone
    return MaterialiseReport(asserted, inferred, time.perf_counter() - started)


def _write(store: ox.Store, replace_graph, graph: str, triples: set[ox.Triple]) -> None:
    name = ox.NamedNode(graph)
    replace_graph(store, graph, [ox.Quad(t.subject, t.predicate, t.object, name) for t in sorted(
        triples, key=lambda t: (t.subject.value, t.predicate.value, t.object.value))])


# ---------------------------------------------------------------------------------------------- HermiT

@dataclass(frozen=True)
class ConsistencyReport:
    consistent: bool
    unsatisfiable: tuple[str, ...]
    seconds: float
    reasoner: str = "HermiT"


def java_available() -> bool:
    return shutil.which("java") is not None


def check_consistency(ontology: str | Path | None = None) -> ConsistencyReport:
    """Load the ontology in owlready2 and let HermiT decide whether it is consistent.

    Raises ReasonerUnavailable (no Java, or owlready2 missing) and OntologyInconsistent, each with a
    one-line message; unsatisfiable classes are reported, not raised.
    """
    from gcmkg.ontology.reference import ONTOLOGY_FILE

    if not java_available():
        raise ReasonerUnavailable("HermiT needs a Java runtime and none was found on PATH "
                                  "(install one, e.g. 'apt-get install default-jre-headless')")
    try:
        import owlready2
    except ImportError:
        raise OptionalDependencyMissing("owlready2", "reason") from None
    from rdflib import Graph

    started = time.perf_counter()
    source = Path(ontology or ONTOLOGY_FILE)
    with tempfile.TemporaryDirectory(prefix="gcmkg-hermit-") as tmp:
        owl_file = Path(tmp) / "gcm.owl"
        Graph().parse(source, format="turtle").serialize(owl_file, format="xml")  # owlready2 reads RDF/XML
        world = owlready2.World()
        onto = world.get_ontology(owl_file.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise OntologyInconsistent(f"{source}: HermiT finds the ontology inconsistent") from None
        except owlready2.OwlReadyJavaError as exc:
            first = next((line for line in str(exc).splitlines() if line.strip()), "Java error")
            raise ReasonerUnavailable(f"HermiT could not run: {first}") from None
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
    return ConsistencyReport(True, unsatisfiable, time.perf_counter() - started)


def materialise_if_needed(store: ox.Store, *, changed: bool = True,
                          documents: list[str] | None = None) -> MaterialiseReport | None:
    """What `KnowledgeGraph.build` calls: re-reason the documents a build changed (`documents`, graph IRIs),
    or every document when nothing was inferred yet."""
    first_time = not any(g.value.startswith(INFERRED_GRAPH) for g in store.named_graphs())
    if not changed and not first_time:
        return None
    return materialise(store, None if first_time else documents)
