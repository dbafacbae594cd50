"""Reasoning over the graph: OWL 2 RL materialisation (owlrl) and a HermiT consistency check (owlready2).

`materialise(store)` derives what the ontology's axioms say (inverse properties, the property chains
*reportsPractice o addressesObjective -> engagesObjective*, sub-properties of gcm:actsOn) and writes the
new triples into their own named graph, id:graph/inferred, so asserted and inferred triples can be
queried apart. It reasons over the T-box and only the A-box triples whose property takes part in an
axiom, which keeps it well under a second on the sample corpus.

`check_consistency()` loads gcm.ttl in owlready2 and runs HermiT (Java). Without Java it raises
ReasonerUnavailable with a message saying what to install, never a Java stack trace.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
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


def _abox(store: ox.Store, properties: list[ox.NamedNode]) -> set[ox.Triple]:
    """Triples of the axioms' properties from every graph except the inferred one (and the ontology)."""
    skip = {INFERRED_GRAPH, ONTOLOGY_GRAPH}
    found: set[ox.Triple] = set()
    for p in properties:
        for q in store.quads_for_pattern(None, p, None, None):
            if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value in skip:
                continue
            found.add(ox.Triple(q.subject, q.predicate, q.object))
    return found


def infer(tbox: list[ox.Triple], abox: set[ox.Triple]) -> set[ox.Triple]:
    """OWL 2 RL closure of T-box plus A-box; returns the new A-box triples between gcm resources only."""
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


def materialise(store: ox.Store) -> MaterialiseReport:
    """Replace the inferred graph with what the ontology's axioms derive from the current A-box."""
    from gcmkg.graph.store import replace_graph

    started = time.perf_counter()
    properties = [row["p"] for row in store.query(_AXIOM_PROPERTIES)]
    abox = _abox(store, properties)
    new = infer(_tbox(store), abox) if abox else set()
    graph = ox.NamedNode(INFERRED_GRAPH)
    replace_graph(store, INFERRED_GRAPH, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in sorted(
        new, key=lambda t: (t.subject.value, t.predicate.value, t.object.value))])
    return MaterialiseReport(len(abox), len(new), time.perf_counter() - started)


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


def materialise_if_needed(store: ox.Store, *, changed: bool = True) -> MaterialiseReport | None:
    """What `KnowledgeGraph.build` calls: materialise when documents changed or nothing was inferred yet.

    Without the 'reason' extra (owlrl) the build goes on without an inferred graph and says so once.
    """
    inferred = store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH))
    if not changed and next(iter(inferred), None) is not None:
        return None
    try:
        return materialise(store)
    except OptionalDependencyMissing as exc:
        warnings.warn(f"no inferred graph: {exc}", stacklevel=2)
        return None
