"""`gcmkg serve` as a real subprocess on 127.0.0.1: SPARQL 1.1 Protocol, refusals, timeout, limits, the page."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import CLI, cli_env

DATA = Path(__file__).parent / "data" / "queries"
GCM = "https://w3id.org/gcmkg/ontology#"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_fixture(path: Path) -> Path:
    """The hand-written fixture graph, plus the link summaries a build derives from its passages."""
    from gcmkg.graph.links import materialise_links

    store = ox.Store(str(path))
    store.load(path=str(DATA / "fixture.trig"), format=ox.RdfFormat.TRIG)
    materialise_links(store)
    store.flush()
    del store
    return path


def start_server(store: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([*CLI, "serve", "--store", str(store), "--port", str(port), *extra],
                               env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gcmkg serve exited: {process.stderr.read()}")
        try:
            if httpx.get(f"{base}/sparql", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gcmkg serve did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return load_fixture(tmp_path_factory.mktemp("server") / "store")


@pytest.fixture(scope="module")
def server(store):
    process, base = start_server(store, "--timeout", "2", "--max-body", "100000", "--workers", "2")
    yield base
    stop(process)


def named_text(store: Path, name: str, **params) -> str:
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.queries.backends import LocalBackend
    from gcmkg.queries.resolve import Resolver
    from gcmkg.queries.run import named_query_text

    with KnowledgeGraph(store, read_only=True) as kg:
        return named_query_text(name, params, Resolver(LocalBackend(kg.store)))[0]


def sparql(base: str, query: str, accept: str = "application/sparql-results+json", **kw) -> httpx.Response:
    return httpx.post(f"{base}/sparql", data={"query": query}, headers={"Accept": accept}, timeout=30, **kw)


def test_sparqlwrapper_plain_http_and_the_cli_give_the_same_rows(server, store, run_cli):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    text = named_text(store, "concern-actors", concern="child detention")
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    columns = data["head"]["vars"]
    wrapper_rows = [[b.get(c, {}).get("value", "") for c in columns] for b in data["results"]["bindings"]]

    response = sparql(server, text, "text/csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == columns

    cli = run_cli("query", "concern-actors", "--concern", "child detention", "--store", store, "--format", "csv")
    assert cli.returncode == 0, cli.stderr
    cli_table = list(csv.reader(io.StringIO(cli.stdout)))
    assert cli_table[0] == columns
    assert len(wrapper_rows) == 2
    # GROUP_CONCAT's order is the engine's: compare the "lists" columns as the CLI prints them, sorted.
    from gcmkg.queries import catalog
    from gcmkg.queries.run import _sort_list

    lists = [columns.index(c) for c in catalog.get("concern-actors").lists]

    def normal(rows: list[list[str]]) -> list[list[str]]:
        return [[_sort_list(v) if i in lists else v for i, v in enumerate(row)] for row in rows]

    assert normal(wrapper_rows) == normal(table[1:]) == cli_table[1:]


def test_get_and_every_result_format(server):
    query = f"SELECT ?s ?iso WHERE {{ ?s <{GCM}iso3> ?iso }} ORDER BY ?iso"
    got = httpx.get(f"{server}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = got.json()["results"]["bindings"]
    assert [r["iso"]["value"] for r in rows] == ["GBR", "PRT"]
    xml = sparql(server, query, "application/sparql-results+xml")
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<literal>GBR</literal>" in xml.text
    tsv = sparql(server, query, "text/tab-separated-values")
    assert tsv.text.splitlines() == ["?s\t?iso", '<https://w3id.org/gcmkg/id/state/GBR>\t"GBR"',
                                     '<https://w3id.org/gcmkg/id/state/PRT>\t"PRT"']
    assert sparql(server, query, "text/csv").text.splitlines()[1] == "https://w3id.org/gcmkg/id/state/GBR,GBR"
    construct = f"CONSTRUCT {{ ?s <{GCM}iso3> ?iso }} WHERE {{ ?s <{GCM}iso3> ?iso }}"
    for media, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                       ("application/ld+json", ox.RdfFormat.JSON_LD)):
        response = sparql(server, construct, media)
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert len(list(ox.parse(response.content, format=fmt))) == 2
    ask = httpx.post(f"{server}/sparql", content=f"ASK {{ ?s <{GCM}iso3> 'PRT' }}",
                     headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})
    assert ask.json()["boolean"] is True


def test_service_description_and_front_page(server):
    from gcmkg.queries import catalog

    description = httpx.get(f"{server}/sparql")
    assert description.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(description.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == "http://www.w3.org/ns/sparql-service-description#Service" for t in triples)
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and "nonce-" in page.headers["content-security-policy"]
    for name in catalog.names():
        assert f'<option value="{name}">' in page.text
    lowered = page.text.lower()
    assert "<script src" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert "cdn" not in lowered


def test_update_is_refused_and_the_store_unchanged(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = sparql(server, count).json()["results"]["bindings"][0]["n"]["value"]
    form = httpx.post(f"{server}/sparql", data={"update": "DROP ALL"})
    assert form.status_code == 403 and "read-only" in form.text
    raw = httpx.post(f"{server}/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert raw.status_code == 403
    assert httpx.post(f"{server}/sparql", data={"query": "DROP ALL"}).status_code == 403
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")
    with pytest.raises((SPARQLWrapperException, Exception)):
        client.query()
    assert sparql(server, count).json()["results"]["bindings"][0]["n"]["value"] == before


def test_expensive_query_times_out_and_the_server_keeps_answering(server):
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    cheap = f"SELECT ?iso WHERE {{ ?s <{GCM}iso3> ?iso }}"
    answers: list[tuple[int, float]] = []

    def other() -> None:
        time.sleep(0.5)
        started = time.monotonic()
        response = sparql(server, cheap)
        answers.append((response.status_code, time.monotonic() - started))

    thread = threading.Thread(target=other)
    thread.start()
    started = time.monotonic()
    response = sparql(server, expensive)
    elapsed = time.monotonic() - started
    thread.join()
    assert response.status_code == 503 and "was stopped" in response.text
    assert elapsed < 3.0  # 1.5 x the 2 s timeout
    assert answers and answers[0][0] == 200 and answers[0][1] < 1.5
    after = sparql(server, cheap)
    assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 2


def test_malformed_refused_and_oversized_requests(server):
    bad = sparql(server, "SELECT ?x WHERE { ?x ")
    assert bad.status_code == 400 and bad.text.startswith("malformed SPARQL: error at")
    assert "Traceback" not in bad.text and "File \"" not in bad.text
    service = sparql(server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert service.status_code == 403
    literal = sparql(server, 'SELECT ?x WHERE { BIND ("SERVICE and LOAD" AS ?x) }')
    assert literal.status_code == 200
    big = httpx.post(f"{server}/sparql", content=b"#" * 200_000, headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413
    assert httpx.post(f"{server}/sparql", content=b"x", headers={"Content-Type": "image/png"}).status_code == 415
    evil = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Host": "evil.example"})
    assert evil.status_code == 400


def test_cors_through_the_app(store):
    from starlette.testclient import TestClient

    from gcmkg.server import ServerConfig, create_app

    app = create_app(ServerConfig(store=str(store), cors=["https://example.org"], workers=1,
                                  allowed_hosts=["testserver"]))
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://example.org"
        other = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://other.example"})
        assert "access-control-allow-origin" not in other.headers


def test_serving_while_a_build_writes_the_same_store(tmp_path, run_cli):
    from gcmkg.graph.kg import sample_corpus

    corpus = sorted(sample_corpus().glob("00*.txt"))
    store = tmp_path / "store"
    assert run_cli("build", corpus[3], "--store", store, "-q").returncode == 0
    process, base = start_server(store, "--workers", "1")
    try:
        count = f"SELECT (COUNT(?d) AS ?n) WHERE {{ ?d a <{GCM}Document> }}"
        assert sparql(base, count).json()["results"]["bindings"][0]["n"]["value"] == "1"
        build = run_cli("build", corpus[4], "--store", store, "-q")
        assert build.returncode == 0, build.stderr
        assert sparql(base, count).json()["results"]["bindings"][0]["n"]["value"] == "2"
    finally:
        stop(process)


def test_a_query_that_names_its_dataset_gets_that_dataset(server):
    def count(query: str) -> int:
        response = sparql(server, query)
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    graphs = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").json()
    first = graphs["results"]["bindings"][0]["g"]["value"]
    everything = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    one = count(f"SELECT (COUNT(*) AS ?n) FROM <{first}> WHERE {{ ?s ?p ?o }}")
    commented = count(f"# FROM <{first}>\nSELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}")
    assert len(graphs["results"]["bindings"]) > 1 and 0 < one < everything == commented
