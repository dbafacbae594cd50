"""Issue 2: the build, the store, export, idempotent rebuilds, bad input, SHACL and the contract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from gcmkg.graph.kg import KnowledgeGraph, sample_corpus
from gcmkg.ontology.namespace import GCM, GCM_NS, ID_NS
from gcmkg.ontology.reference import ONTOLOGY_FILE, reference_data

DATA = Path(__file__).parent / "data"
LOADERS = DATA / "loaders"


def union_graph(nquads: Path) -> Graph:
    ds = Dataset()
    ds.parse(nquads, format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def test_sample_store_holds_the_contract(sample_store: Path) -> None:
    store = ox.Store.read_only(str(sample_store))
    ask = lambda q: bool(store.query(q, use_default_graph_as_union=True))  # noqa: E731
    assert ask(f"ASK {{ <{ID_NS}objective/13> a <{GCM.Objective}> ; <{GCM.number}> 13 ; "
               f"<http://www.w3.org/2004/02/skos/core#notation> \"13\" }}")
    assert ask(f"ASK {{ <{ID_NS}state/PRT> <{GCM.iso3}> \"PRT\" ; "
               f"<http://www.w3.org/2000/01/rdf-schema#label> \"Portugal\"@en }}")
    assert ask(f"ASK {{ ?d <http://purl.org/dc/terms/identifier> \"000_cd71f0e0803553b0.txt\" ; a <{GCM.Document}> }}")
    # every document in its own named graph, plus the reference and ontology graphs
    graphs = {g.value for g in store.named_graphs()}
    assert {f"{ID_NS}graph/reference", f"{ID_NS}graph/ontology"} <= graphs
    assert sum(g.startswith(f"{ID_NS}graph/document/") for g in graphs) == 5
    # passages are numbered 0..n-1 in each document
    rows = store.query(f"SELECT ?d (COUNT(?p) AS ?n) (MAX(?i) AS ?m) WHERE {{ ?p <{GCM.inDocument}> ?d ; "
                       f"<{GCM.index}> ?i }} GROUP BY ?d", use_default_graph_as_union=True)
    for row in rows:
        assert int(row["n"].value) == int(row["m"].value) + 1


def test_objective_13_links_child_detention_with_its_passage(sample_store: Path) -> None:
    store = ox.Store.read_only(str(sample_store))
    rows = list(store.query(
        f"SELECT ?text WHERE {{ ?p <{GCM.text}> ?text ; <{GCM.mentions}> <{ID_NS}concern/child-detention> ; "
        f"(<{GCM.mentions}>|<{GCM.about}>) <{ID_NS}objective/13> }}", use_default_graph_as_union=True))
    texts = " ".join(r["text"].value for r in rows)
    assert "children continue to be detained" in texts


def test_rebuilding_the_same_files_changes_nothing(tmp_path: Path) -> None:
    with KnowledgeGraph(tmp_path / "s") as kg:
        first = kg.build()
        kg.export(tmp_path / "a.nq")
        second = kg.build()
        kg.export(tmp_path / "b.nq")
    assert len(first.built) == 5 and second.built == [] and len(second.unchanged) == 5
    assert isomorphic(union_graph(tmp_path / "a.nq"), union_graph(tmp_path / "b.nq"))


def test_a_changed_document_replaces_its_graph(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = corpus / "review.txt"
    doc.write_text("Objective 13 – Use migration detention only as a measure of last resort\n\n"
                   "Portugal ended the detention of children.\n", encoding="utf-8")
    with KnowledgeGraph(tmp_path / "s") as kg:
        kg.build([corpus])
        doc.write_text("Objective 5: Regular pathways\n\nSpain opened new regular pathways.\n", encoding="utf-8")
        report = kg.build([corpus])
        states = {r["c"].value for r in kg.store.query(
            f"SELECT ?c WHERE {{ GRAPH ?g {{ ?p <{GCM.mentions}> ?s }} GRAPH ?r {{ ?s <{GCM.iso3}> ?c }} }}")}
    assert report.built == ["review.txt"]
    assert states == {"ESP"}


def test_forced_rebuild_is_isomorphic(tmp_path: Path) -> None:
    """The first build bulk-loads new documents; a forced one replaces each graph in a transaction: same graph."""
    with KnowledgeGraph(tmp_path / "s") as kg:
        kg.build()
        kg.export(tmp_path / "a.nq")
        report = kg.build(force=True)
        kg.export(tmp_path / "b.nq")
    assert len(report.built) == 5
    assert isomorphic(union_graph(tmp_path / "a.nq"), union_graph(tmp_path / "b.nq"))


def test_a_bulk_load_that_fails_writes_the_others_one_by_one(tmp_path: Path) -> None:
    """One document the store refuses fails alone; the rest of its bulk-load batch is still written whole."""
    from gcmkg.graph.kg import BuildReport, Extracted, _NewGraphs

    def extracted(identifier: str, graph: bytes) -> Extracted:
        return Extracted(identifier, 1, frozenset(), "h", graph, None)

    good = [extracted(f"doc{i}.txt", f"<{ID_NS}x{i}> <{GCM_NS}text> \"passage {i}\" .\n".encode()) for i in range(3)]
    bad = extracted("bad.txt", b"<not an iri> <p> <o> .\n")
    with KnowledgeGraph(tmp_path / "s") as kg:
        report = BuildReport()
        batch = _NewGraphs(kg.store, report)
        for outcome in [good[0], bad, *good[1:]]:
            assert batch.offer(f"/corpus/{outcome.identifier}", outcome)
        batch.write()
        rows = kg.store.query(f"SELECT ?t WHERE {{ GRAPH ?g {{ ?x <{GCM_NS}text> ?t }} }}")
        texts = sorted(r["t"].value for r in rows)
    assert report.built == ["doc0.txt", "doc1.txt", "doc2.txt"]
    assert [path for path, _ in report.failed] == ["/corpus/bad.txt"]
    assert "cannot write graph" in report.failed[0][1]
    assert texts == ["passage 0", "passage 1", "passage 2"]


@pytest.mark.parametrize("name, problem", [
    ("empty.txt", "empty file"),
    ("binary.txt", "binary content"),
    ("corrupt.pdf", "corrupt or unreadable PDF"),
    ("notutf8.txt", "not UTF-8"),
])
def test_bad_input_is_one_line_and_the_rest_still_builds(tmp_path: Path, run_cli, name: str, problem: str) -> None:
    store = tmp_path / "s"
    good = tmp_path / "in"
    good.mkdir()
    shutil.copy(sample_corpus() / "004_f5e20b4a01c69ec7.txt", good)
    assert run_cli("build", sample_corpus() / "003_eda85410824f2bc0.txt", "--store", store, "-q").returncode == 0
    shutil.copy(LOADERS / name, good)
    result = run_cli("build", good, tmp_path / "missing.txt", "--store", store, "-q")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("gcmkg: error:")]
    assert any(name in line and problem in line for line in errors), result.stderr
    assert any("missing.txt" in line and "no such file" in line for line in errors), result.stderr
    assert "Traceback" not in result.stderr
    with KnowledgeGraph(store, read_only=True) as kg:
        assert kg.documents() == ["003_eda85410824f2bc0.txt", "004_f5e20b4a01c69ec7.txt"]


def test_export_formats_parse(sample_store: Path, tmp_path: Path) -> None:
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        n = kg.export(tmp_path / "g.trig", "trig")
        kg.export(tmp_path / "g.ttl", "turtle")
        kg.export(tmp_path / "g.jsonld", "jsonld")
    ds = Dataset()
    ds.parse(tmp_path / "g.trig", format="trig")
    assert len(list(ds.quads((None, None, None, None)))) == n
    assert len(Graph().parse(tmp_path / "g.ttl", format="turtle")) > 1000
    jsonld = Dataset()
    jsonld.parse(tmp_path / "g.jsonld", format="json-ld")
    assert len(list(jsonld.quads((None, None, None, None)))) == n


def test_validate_conforms_on_the_sample_corpus(sample_store: Path, run_cli) -> None:
    result = run_cli("validate", "--store", sample_store)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "conforms" in result.stdout


def test_validate_reports_a_violation(tmp_path: Path, run_cli) -> None:
    with KnowledgeGraph(tmp_path / "s") as kg:
        kg.build([sample_corpus() / "004_f5e20b4a01c69ec7.txt"])
        kg.store.add(ox.Quad(ox.NamedNode(f"{ID_NS}state/XX"), ox.NamedNode(f"{GCM_NS}iso3"), ox.Literal("xx"),
                             ox.NamedNode(f"{ID_NS}graph/test")))
        kg.store.add(ox.Quad(ox.NamedNode(f"{ID_NS}state/XX"), ox.NamedNode(
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(GCM.State),
            ox.NamedNode(f"{ID_NS}graph/test")))
    result = run_cli("validate", "--store", tmp_path / "s")
    assert result.returncode == 1
    assert "violations" in result.stdout


def test_every_namespace_term_is_declared_with_label_comment_domain_range() -> None:
    g = Graph().parse(ONTOLOGY_FILE, format="turtle")
    from rdflib import OWL, RDF, RDFS, URIRef

    declared = {str(s)[len(GCM_NS):] for s in g.subjects() if str(s).startswith(GCM_NS)}
    assert declared == set(GCM.terms)
    for name in GCM.terms:
        term = URIRef(GCM_NS + name)
        assert g.value(term, RDFS.label) and g.value(term, RDFS.comment), name
        if (term, RDF.type, OWL.Class) not in g:
            assert g.value(term, RDFS.domain) and g.value(term, RDFS.range), name
    with pytest.raises(AttributeError):
        GCM.mentionz  # noqa: B018


def test_reference_data_is_complete() -> None:
    ref = reference_data()
    assert [o.number for o in ref.objectives] == list(range(1, 24))
    assert len(ref.principles) == 10
    assert len([s for s in ref.states if s.status == "member"]) == 193
    assert {"VAT", "PSE"} <= {s.iso3 for s in ref.states if s.status == "observer"}
    assert len(ref.stakeholders) >= 150
    assert len(ref.concerns) >= 40
    types = {h.type for h in ref.stakeholders}
    assert len(types) >= 10
    moldova = ref.state("MDA")
    assert "Republic of Moldova" in {moldova.label, *(n for n, _ in moldova.names)}
    assert "Türkiye" in {ref.state("TUR").label, *(n for n, _ in ref.state("TUR").names)}


@pytest.mark.java
def test_validate_with_hermit(sample_store: Path, run_cli) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: HermiT cannot run (tests/setup/install-system-deps.sh installs one as root)")
    result = run_cli("validate", "--store", sample_store, "--hermit")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ontology consistent (HermiT" in result.stdout


def test_stats_count_the_entities_the_documents_name(sample_store):
    """Each kind counted by its class (stakeholders through the subclasses of gcm:Stakeholder), checked against
    a count by IRI pattern."""
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        stats = kg.stats()
        named = {row["e"].value for row in kg.store.query(
            "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?p <https://w3id.org/gcmkg/ontology#mentions> ?e } }")}
    by_pattern = {kind: len({e for e in named if f"/id/{kind}/" in e}) for kind in ("stakeholder", "state")}
    assert stats.entities["stakeholders"] == by_pattern["stakeholder"] > 10
    assert stats.entities["states"] == by_pattern["state"] > 10
    assert stats.documents == 5 and stats.passages > 500
