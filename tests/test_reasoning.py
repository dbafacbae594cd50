"""Reasoning (issues 2 and 8): HermiT finds gcm.ttl consistent; owlrl materialises the ontology's axioms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from gcmkg.errors import OntologyInconsistent, ReasonerUnavailable
from gcmkg.graph.kg import KnowledgeGraph
from gcmkg.ontology import reasoning
from gcmkg.ontology.namespace import GCM, GCM_NS, ID_NS, INFERRED_GRAPH, REFERENCE_GRAPH
from gcmkg.ontology.reference import ONTOLOGY_FILE

DATA = Path(__file__).parent / "data" / "reasoning"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (none on PATH)")


def _turtle(*paths: Path) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in paths:
        with open(path, "rb") as fh:
            triples += [ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(fh, format=ox.RdfFormat.TURTLE)]
    return triples


def _t(s: str, p: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(ID_NS + s), ox.NamedNode(getattr(GCM, p)), ox.NamedNode(ID_NS + o))


@needs_java
@pytest.mark.java
def test_hermit_finds_the_ontology_consistent():
    report = reasoning.check_consistency()
    assert report.consistent and report.unsatisfiable == ()


@needs_java
@pytest.mark.java
def test_hermit_reports_an_inconsistency(tmp_path):
    combined = tmp_path / "combined.ttl"
    combined.write_bytes(ONTOLOGY_FILE.read_bytes() + b"\n" + (DATA / "inconsistent.ttl").read_bytes())
    with pytest.raises(OntologyInconsistent, match="inconsistent"):
        reasoning.check_consistency(combined)


def test_missing_java_is_a_clear_message(monkeypatch):
    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    with pytest.raises(ReasonerUnavailable, match="Java runtime"):
        reasoning.check_consistency()


@pytest.mark.parametrize("infer", [reasoning.infer, reasoning.infer_owlrl], ids=["compiled", "owlrl"])
def test_the_property_chain_on_a_tiny_fixture(infer):
    tbox = _turtle(ONTOLOGY_FILE)
    abox = set(_turtle(DATA / "tiny.ttl"))
    inferred = infer(tbox, abox)
    assert _t("state/ALB", "engagesObjective", "objective/11") in inferred  # reportsPractice o addressesObjective
    assert _t("objective/11", "engagedBy", "state/ALB") in inferred  # inverse
    assert _t("state/PRT", "makesCommitment", "recommendation/tiny/2") in inferred  # inverse of committedBy
    assert _t("state/PRT", "engagesObjective", "objective/13") in inferred  # makesCommitment o addressesObjective
    assert _t("practice/tiny/1", "implementedBy", "state/ALB") in inferred  # inverse of reportsPractice
    assert _t("state/USA", "actsOn", "compact/gcm") in inferred  # sub-property of actsOn
    assert _t("state/ALB", "actsOn", "objective/11") in inferred  # engagesObjective is one too
    assert not inferred & abox
    assert _t("state/USA", "engagesObjective", "compact/gcm") not in inferred


def test_compiled_rules_derive_what_owlrl_derives_on_real_documents(sample_store):
    """The build's fast closure against owlrl's full OWL 2 RL one, document by document and on the reference data."""
    tbox, properties = reasoning.ontology_axioms()
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        graphs = [g.value for g in kg.store.named_graphs() if g.value.startswith(ID_NS + "graph/document/")]
        graphs.append(REFERENCE_GRAPH)
        compared = 0
        for graph in graphs:
            abox = reasoning._abox(kg.store, list(properties), graph)
            fast, reference = reasoning.infer(list(tbox), abox), reasoning.infer_owlrl(list(tbox), abox)
            assert fast == reference, graph
            compared += len(reference)
    assert compared > 100


def test_a_symmetric_transitive_and_three_step_chain_are_closed():
    """Rules the GCM ontology does not use yet still follow OWL 2 RL (checked against owlrl)."""
    tbox = _turtle(DATA / "rules.ttl")
    abox = {ox.Triple(ox.NamedNode(ID_NS + s), ox.NamedNode(GCM_NS + p), ox.NamedNode(ID_NS + o))
            for s, p, o in [("a", "near", "b"), ("b", "partOf", "c"), ("c", "partOf", "d"), ("a", "r1", "x"),
                            ("x", "r2", "y"), ("y", "r3", "z")]}
    fast, reference = reasoning.infer(tbox, abox), reasoning.infer_owlrl(tbox, abox)
    assert fast == reference
    assert ox.Triple(ox.NamedNode(ID_NS + "b"), ox.NamedNode(GCM_NS + "near"), ox.NamedNode(ID_NS + "a")) in fast
    assert ox.Triple(ox.NamedNode(ID_NS + "b"), ox.NamedNode(GCM_NS + "partOf"), ox.NamedNode(ID_NS + "d")) in fast
    assert ox.Triple(ox.NamedNode(ID_NS + "a"), ox.NamedNode(GCM_NS + "r123"), ox.NamedNode(ID_NS + "z")) in fast


def inferred_quads(store: ox.Store) -> set[ox.Quad]:
    """Every quad of the inferred graphs: id:graph/inferred and one id:graph/inferred/document/<file> each."""
    return {q for g in store.named_graphs() if g.value.startswith(INFERRED_GRAPH)
            for q in store.quads_for_pattern(None, None, None, g)}


def test_build_keeps_inferred_triples_in_their_own_graph(sample_store):
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        inferred = inferred_quads(kg.store)
        engages = [q for q in inferred if q.predicate.value == GCM.engagesObjective]
        asserted_elsewhere = [q for q in inferred if any(not g.graph_name.value.startswith(INFERRED_GRAPH)
                                                         for g in kg.store.quads_for_pattern(q.subject, q.predicate,
                                                                                            q.object))]
    assert engages, "no gcm:engagesObjective derived from the sample corpus"
    assert {q.predicate.value for q in inferred} <= {GCM.actsOn, GCM.actedOnBy, GCM.engagesObjective, GCM.engagedBy,
                                                      GCM.makesCommitment, GCM.implementedBy, GCM.reportsPractice}
    assert not asserted_elsewhere


def test_materialise_is_repeatable_and_fast_enough(tmp_path):
    with KnowledgeGraph(tmp_path / "store") as kg:
        kg.build(reason=False)
        assert not inferred_quads(kg.store)
        first = reasoning.materialise(kg.store)
        graph = inferred_quads(kg.store)
        second = reasoning.materialise(kg.store)
        assert inferred_quads(kg.store) == graph
    assert first.inferred == second.inferred == len(graph) > 0
    assert first.seconds < 10  # about 1 s on the 5-document corpus; generous for a loaded CI machine


def test_a_rebuild_re_reasons_only_the_changed_document(tmp_path):
    from gcmkg.graph.kg import sample_corpus
    from gcmkg.ontology.namespace import document_graph_iri

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(sample_corpus().glob("*.txt"))[:2]:
        (corpus / f.name).write_bytes(f.read_bytes())
    changed = corpus / "extra.txt"
    changed.write_text("Objective 11 – borders\n\nAlbania introduced training for border police.\n", encoding="utf-8")
    with KnowledgeGraph(tmp_path / "store") as kg:
        kg.build([corpus])
        whole = inferred_quads(kg.store)
        own = reasoning.inferred_graph_iri(document_graph_iri("extra.txt"))
        assert any(q.graph_name.value == own and q.predicate.value == GCM.engagesObjective for q in whole)
        changed.write_text("Objective 11 – borders\n\nNo state is named here.\n", encoding="utf-8")
        kg.build([corpus])
        after = inferred_quads(kg.store)
        assert {q for q in after if q.graph_name.value != own} == {q for q in whole if q.graph_name.value != own}
        assert not [q for q in after if q.graph_name.value == own and q.predicate.value == GCM.engagesObjective]
        kg.remove("extra.txt")
        assert own not in {g.value for g in kg.store.named_graphs()}
