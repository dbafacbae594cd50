"""Named queries: expected rows on a hand-written fixture graph, parameter resolution, the CLI and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_server import load_fixture

from gcmkg.errors import QueryError, UnknownName, UnknownQuery
from gcmkg.graph.kg import KnowledgeGraph
from gcmkg.ontology.namespace import ID_NS
from gcmkg.queries import catalog
from gcmkg.queries.backends import LocalBackend
from gcmkg.queries.run import execute

DATA = Path(__file__).parent / "data" / "queries"
CASES = sorted((DATA / "expected").glob("*.json"))
# The questions of issue 4; other named queries (e.g. the stance queries) are tested with their own data.
QUESTIONS = ["concern-actors", "concern-objectives", "documents", "evidence", "objective-concerns",
             "objective-cooccurrence", "objective-states", "practices", "recommendations", "stakeholder-network",
             "stakeholder-profile", "state-objectives", "state-profile"]


def expand(value: object) -> object:
    return ID_NS + value[3:] if isinstance(value, str) and value.startswith("id:") else value


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    return load_fixture(tmp_path_factory.mktemp("queries") / "store")


@pytest.fixture(scope="module")
def kg(fixture_store):
    with KnowledgeGraph(fixture_store, read_only=True) as graph:
        yield graph


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_named_query_gives_the_expected_rows(kg, case):
    expected = json.loads(case.read_text(encoding="utf-8"))
    frame = execute(LocalBackend(kg.store), expected["query"], expected["params"])
    assert list(frame.columns) == expected["columns"]
    rows = [[None if v != v else v for v in row] for row in frame.itertuples(index=False)]  # NaN -> None
    assert rows == [[expand(v) for v in row] for row in expected["rows"]]


def test_every_named_query_has_an_expected_result_and_a_header():
    tested = {json.loads(c.read_text())["query"] for c in CASES}
    assert set(QUESTIONS) <= set(catalog.names())
    assert set(QUESTIONS) <= tested, f"no expected-result test for {set(QUESTIONS) - tested}"
    for query in catalog.all_queries():
        assert query.title and query.question.endswith("?")
        for param in query.params:
            assert f"?{param.name}" in query.text
        if any(p.required for p in query.params):
            assert query.example


def test_named_queries_use_explicit_graph_patterns():
    """Every triple pattern sits in GRAPH ?g { } so the queries also run where the default graph is not the union."""
    from gcmkg.queries.sparqltext import tokens

    for query in map(catalog.get, QUESTIONS):
        depth, graph_depths, pending = 0, [], False
        toks = list(tokens(query.text))
        for i, t in enumerate(toks):
            if t.kind == "word" and t.text.upper() == "GRAPH":
                pending = True
            elif t.text == "{":
                depth += 1
                if pending:
                    graph_depths.append(depth)
                    pending = False
            elif t.text == "}":
                if graph_depths and graph_depths[-1] == depth:
                    graph_depths.pop()
                depth -= 1
            elif t.kind == "word" and t.text.startswith(("gcm:", "rdfs:", "skos:", "dcterms:", "prov:", "rdf:")) \
                    and toks[i - 1].kind in ("var", "iri") and not graph_depths \
                    and toks[i - 2].text.upper() not in ("SELECT", "BIND", "FILTER"):
                pytest.fail(f"{query.name}: pattern with {t.text} outside GRAPH ?g {{ }}")


def test_api_adds_labels_beside_iris(kg):
    frame = kg.query("SELECT ?s WHERE { ?s a gcm:State } ORDER BY ?s")
    assert list(frame.columns) == ["s", "s_label"]
    assert frame.to_dict(orient="records") == [{"s": ID_NS + "state/GBR", "s_label": "United Kingdom"},
                                               {"s": ID_NS + "state/PRT", "s_label": "Portugal"}]
    frame = kg.query("objective-concerns", objective=13, limit=5)
    assert frame["concern_label"].tolist() == ["child detention"]


@pytest.mark.parametrize("value, iri", [
    ("13", "objective/13"), ("Objective 13", "objective/13"), ("objective 4", "objective/4"), (4, "objective/4"),
    ("Portugal", "state/PRT"), ("PRT", "state/PRT"), ("prt", "state/PRT"), ("the U.K.", "state/GBR"),
    ("UK", "state/GBR"), ("IOM", "stakeholder/iom"), ("Migrant Aid Network", "stakeholder/migrant-aid-network"),
    ("CHILD DETENTION", "concern/child-detention"), ("push-backs", "concern/pushbacks"),
    ("id:state/PRT", "state/PRT"), (f"<{ID_NS}concern/pushbacks>", "concern/pushbacks"),
])
def test_parameters_in_human_forms_resolve_to_iris(kg, value, iri):
    from gcmkg.queries.resolve import Resolver

    assert Resolver(LocalBackend(kg.store)).resolve(value, "entity") == ox.NamedNode(ID_NS + iri)


def test_a_name_of_the_wrong_kind_is_unknown(kg):
    from gcmkg.queries.resolve import Resolver

    with pytest.raises(UnknownName, match="unknown state 'IOM'"):
        Resolver(LocalBackend(kg.store)).resolve("IOM", "state")


def test_unknown_state_is_one_line_with_close_matches(run_cli, fixture_store):
    done = run_cli("query", "state-objectives", "--state", "Portugl", "--store", fixture_store)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("gcmkg: error: unknown state 'Portugl'; did you mean: Portugal")


def test_parameter_carrying_sparql_is_a_value_not_code(kg, fixture_store):
    payload = 'Portugal" } DROP ALL #'
    before = len(kg.store)
    with pytest.raises(UnknownName, match="unknown state"):
        kg.query("state-profile", state=payload)
    echo = kg.query("SELECT ?t WHERE { }", t=ox.Literal(payload))
    assert echo["t"].tolist() == [payload]
    iri_payload = f"{ID_NS}state/PRT> }} DROP ALL #"
    with pytest.raises(QueryError):
        kg.query("state-profile", state=iri_payload)
    assert len(kg.store) == before


def test_unknown_query_and_parameter_name(kg):
    with pytest.raises(UnknownQuery, match="did you mean: objective-concerns"):
        kg.query("objective-concern")
    with pytest.raises(QueryError, match="takes: --objective"):
        kg.query("objective-concerns", state="PRT")
    with pytest.raises(QueryError, match="needs --a, --b"):
        kg.query("evidence")


def test_ad_hoc_ask_construct_and_malformed(kg):
    assert kg.query("ASK { ?s gcm:iso3 'PRT' }") is True
    graph = kg.query("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a gcm:State ; rdfs:label ?l }")
    assert sorted(graph["object"]) == ["Portugal", "United Kingdom"]
    with pytest.raises(QueryError, match="malformed SPARQL"):
        kg.query("SELECT WHERE {")


def test_cli_lists_queries_with_their_questions(run_cli):
    done = run_cli("queries")
    assert done.returncode == 0
    for query in catalog.all_queries():
        assert f"{query.name}  " in done.stdout and query.question in done.stdout


def test_cli_formats(run_cli, fixture_store, tmp_path):
    args = ["query", "concern-actors", "--concern", "child detention", "--store", fixture_store]
    table = run_cli(*args)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["actor", "kind", "attested", "passages", "documents",
                                                    "document_ids", "quote"]
    assert "Portugal" in table.stdout and "(2 rows)" in table.stdout
    as_json = json.loads(run_cli(*args, "--format", "json").stdout)
    assert [r["actor_label"] for r in as_json] == ["Portugal", "Platform for International Cooperation on "
                                                   "Undocumented Migrants"]
    csv = run_cli(*args, "--format", "csv", "--limit", "1").stdout.splitlines()
    assert csv[0].startswith("concern,concern_label,actor,actor_label") and len(csv) == 2
    markdown = run_cli(*args, "--format", "markdown").stdout
    assert markdown.startswith("| actor | kind |") and "| Portugal | state | no | 2 | 2 |" in markdown
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?n WHERE { ?o gcm:number ?n } ORDER BY ?n")
    done = run_cli("query", "--file", rq, "--format", "csv", "--store", fixture_store)
    assert done.stdout.split() == ["n", "4", "13"]
    ask = run_cli("query", "--sparql", "ASK { ?s gcm:iso3 'GBR' }", "--store", fixture_store)
    assert ask.stdout.strip() == "true"
    bad = run_cli("query", "--sparql", "SELECT WHERE {", "--store", fixture_store)
    assert bad.returncode == 1 and bad.stderr.startswith("gcmkg: error: malformed SPARQL")


def test_sample_corpus_links_objective_13_to_child_detention(sample_store, run_cli):
    done = run_cli("query", "objective-concerns", "--objective", "13", "--store", sample_store, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["concern_label"]: r for r in json.loads(done.stdout)}
    child = rows["child detention"]
    assert child["passages"] >= 1 and "child" in child["example_text"].lower()
    evidence = run_cli("query", "evidence", "--a", "Objective 13", "--b", "child detention", "--store",
                       sample_store, "--format", "markdown")
    assert evidence.returncode == 0, evidence.stderr
    body = [line for line in evidence.stdout.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(body) >= 1
    assert all("children" in line.lower() or "child" in line.lower() for line in body)


def test_evidence_pruned_by_link_summaries_finds_what_a_search_of_every_document_finds(kg):
    """Every pair of entities the fixture names (objectives, concerns, states, stakeholders, principles):
    the same rows whether the query searches the documents its summaries link, or every document."""
    from gcmkg.queries.sparqltext import bind_values

    every_document = (DATA / "evidence-every-document.rq").read_text(encoding="utf-8")
    entities = sorted({row["e"] for row in kg.store.query(
        "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?p <https://w3id.org/gcmkg/ontology#mentions>"
        "|<https://w3id.org/gcmkg/ontology#about> ?e } }")}, key=str)
    kinds = {e.value.split("/")[-2] for e in entities}
    assert {"objective", "concern", "state", "stakeholder"} <= kinds
    compared = 0
    for a in entities:
        for b in entities:
            if a == b:
                continue
            pruned = execute(LocalBackend(kg.store), "evidence", {"a": a.value, "b": b.value})
            reference = kg.sparql(bind_values(every_document, {"a": a, "b": b}))
            assert pruned[list(reference.columns)].values.tolist() == reference.values.tolist(), (a, b)
            compared += len(reference)
    assert compared > 10
