"""`gcmkg serve` under load and under attack, on 127.0.0.1: a bounded load test (queries per second, p95
latency, zero errors), the body-size limit (413), malformed SPARQL (400), and the endpoint's hardening:
read-only by default, no SERVICE/LOAD or other fetching of URLs, a timeout that stops runaway queries, a
result cap, configurable CORS and allowed hosts, and no stack trace in any response.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import Server

TIMEOUT_S = 3.0
MAX_ROWS = 50
MAX_BODY = 20_000
GCM = "https://w3id.org/gcmkg/ontology#"
JSON = "application/sparql-results+json"
LOAD_QUERIES = [
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{GCM}Passage> }}",
    f"SELECT ?o ?label WHERE {{ ?o a <{GCM}Objective> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }} "
    "ORDER BY ?o",
    f"SELECT ?p ?text WHERE {{ ?p <{GCM}mentions> <https://w3id.org/gcmkg/id/state/PRT> ; <{GCM}text> ?text }} "
    "LIMIT 20",
    f"SELECT ?e (COUNT(?p) AS ?n) WHERE {{ ?p <{GCM}mentions> ?e }} GROUP BY ?e ORDER BY DESC(?n) LIMIT 10",
    f"ASK {{ ?d a <{GCM}Document> }}",
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def served_store(tmp_path_factory, sample_store) -> Path:
    store = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(sample_store, store)
    return store


@pytest.fixture(scope="module")
def server(served_store):
    srv = Server(served_store, "--timeout", str(TIMEOUT_S), "--max-rows", str(MAX_ROWS),
                 "--max-body", str(MAX_BODY), "--workers", "2")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def dump(store: Path) -> bytes:
    s = ox.Store.read_only(str(store))
    try:
        return s.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        del s


def assert_no_stack_trace(response: httpx.Response) -> None:
    body = response.text
    for marker in ("Traceback", 'File "', "line ", "site-packages", "gcmkg/", "Exception", "Error:"):
        assert marker not in body, f"{response.status_code}: {body[:500]}"


# ---------------------------------------------------------------------------------------------- load
def test_bounded_load(server, capsys):
    """400 queries from 8 client threads within a 50 s cap: no error; reports QPS and p95 latency."""
    total, threads, cap = 400, 8, 50.0
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    started = time.monotonic()

    def client_thread() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            while time.monotonic() - started < cap:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                t0 = time.perf_counter()
                r = c.post("/sparql", data={"query": LOAD_QUERIES[n % len(LOAD_QUERIES)]}, headers={"Accept": JSON})
                elapsed = time.perf_counter() - t0
                ok = r.status_code == 200 and ("results" in r.json() or "boolean" in r.json())
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(f"{r.status_code}: {r.text[:200]}")

    pool = [threading.Thread(target=client_thread) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(cap + 30)
    wall = time.monotonic() - started

    assert not errors, errors[:5]
    assert len(latencies) == total, f"only {len(latencies)} of {total} requests in {cap:.0f} s"
    latencies.sort()
    p50, p95 = latencies[total // 2], latencies[int(total * 0.95) - 1]
    with capsys.disabled():
        print(f"\nload: {total} queries, {threads} clients, {wall:.1f} s, {total / wall:.0f} queries/s, "
              f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, 0 errors")
    assert wall < 60


# ---------------------------------------------------------------------------------------------- limits
def test_body_over_the_limit_gets_413(client, served_store):
    before = dump(served_store)
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_BODY
    r = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and f"over {MAX_BODY} bytes" in r.text
    r = client.post("/sparql", data={"query": big})
    assert r.status_code == 413

    def chunks():  # no Content-Length: the limit must hold while the body streams in
        for _ in range(MAX_BODY // 1000 + 5):
            yield b"#" + b"x" * 999

    r = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    r = client.get("/sparql", params={"query": big})
    assert r.status_code in (413, 414) and "Traceback" not in r.text
    ok = client.post("/sparql", content=LOAD_QUERIES[0], headers={"Content-Type": "application/sparql-query",
                                                                    "Accept": JSON})
    assert ok.status_code == 200
    assert dump(served_store) == before


@pytest.mark.parametrize("query", ["SELEC ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ?o", "}}}{{{",
                                   "SELECT * WHERE { ?s <not an iri> ?o }", "", "\x00",
                                   "SELECT ?s WHERE { ?s ?p \"é }"])
def test_malformed_sparql_gets_400(client, query):
    for r in (client.get("/sparql", params={"query": query}),
              client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 400, (r.status_code, r.text)
        assert_no_stack_trace(r)
        assert len(r.text.strip().splitlines()) == 1


def test_timeout_stops_a_runaway_query_and_the_server_keeps_answering(client):
    started = time.monotonic()
    r = client.post("/sparql", data={"query": RUNAWAY}, headers={"Accept": JSON})
    took = time.monotonic() - started
    assert r.status_code == 503 and "ran longer than" in r.text, r.text
    assert took < TIMEOUT_S * 1.5 + 1, f"{took:.1f} s for a {TIMEOUT_S} s timeout"
    for query in LOAD_QUERIES:  # the killed worker was replaced; every query still gets its answer
        assert client.post("/sparql", data={"query": query}, headers={"Accept": JSON}).status_code == 200


def test_result_size_is_capped(client):
    r = client.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}, headers={"Accept": JSON})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    assert "x-gcmkg-truncated" in r.headers
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and len(r.text.strip().splitlines()) == MAX_ROWS


# ---------------------------------------------------------------------------------------------- hardening
def test_read_only_by_default(client, served_store):
    before = dump(served_store)
    for update in ["DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                   "DELETE WHERE { ?s ?p ?o }"]:
        for r in (client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
                  client.post("/sparql", data={"update": update}),
                  client.get("/sparql", params={"update": update}),
                  client.post("/sparql", data={"query": update})):
            assert r.status_code in (400, 403), (update, r.status_code, r.text)
            assert_no_stack_trace(r)
    assert dump(served_store) == before


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        body = b"<urn:leak> <urn:leak> <urn:leak> .\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def recorder():
    """A little HTTP server on 127.0.0.1 that records every request: the endpoint must never call it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    httpd.shutdown()


def remote_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url}/> SELECT * WHERE {{ SeRvIcE r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#comment\n<{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    ]


def test_no_service_load_or_url_fetching(client, recorder, served_store):
    url, hits = recorder
    hits.clear()
    before = dump(served_store)
    for query in remote_queries(url):
        r = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
        assert r.status_code in (400, 403), (query, r.status_code, r.text)
        assert_no_stack_trace(r)
    for query in [f"SELECT * FROM <{url}/data.nt> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{url}/data.nt> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                  "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"]:
        r = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
        assert r.status_code == 200 and "urn:leak" not in r.text, (query, r.text[:300])  # read from the store only
    for update in [f"LOAD <{url}/data.nt>", f"LOAD SILENT <{url}/data.nt> INTO GRAPH <urn:g>",
                   "LOAD <file:///etc/passwd>"]:
        r = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 403
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": f"{url}/x"})
    assert r.status_code == 200
    time.sleep(0.5)
    assert hits == [], f"the endpoint fetched {hits}"
    assert dump(served_store) == before


def test_updates_and_federation_are_separate_switches(tmp_path, sample_store, recorder, start_server):
    """--allow-update accepts updates but still refuses LOAD and SERVICE; CORS and allowed hosts as configured."""
    url, hits = recorder
    hits.clear()
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    srv = start_server(store, "--allow-update", "--cors", "https://research.example",
                       "--allowed-hosts", "kg.example", "127.0.0.1", "--workers", "1")
    with httpx.Client(base_url=srv.url, timeout=30) as c:
        r = c.post("/sparql", content=f"LOAD <{url}/data.nt>", headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 403 and "--allow-federation" in r.text
        r = c.post("/sparql", data={"query": remote_queries(url)[0]})
        assert r.status_code == 403
        r = c.post("/sparql", content="INSERT DATA { GRAPH <urn:test> { <urn:a> <urn:b> \"c\" } }",
                   headers={"Content-Type": "application/sparql-update"})
        assert r.status_code in (200, 204), r.text
        r = c.get("/sparql", params={"query": "ASK { GRAPH <urn:test> { <urn:a> <urn:b> \"c\" } }"},
                  headers={"Accept": JSON})
        assert r.status_code == 200 and r.json()["boolean"] is True, r.text

        assert c.get("/sparql", headers={"Host": "kg.example"}).status_code == 200
        evil = c.get("/sparql", headers={"Host": "evil.example"})
        assert evil.status_code == 400 and "Traceback" not in evil.text

        preflight = {"Origin": "https://research.example", "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "Content-Type"}
        r = c.options("/sparql", headers=preflight)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://research.example"
        r = c.options("/sparql", headers={**preflight, "Origin": "https://attacker.example"})
        assert r.headers.get("access-control-allow-origin") != "https://attacker.example"
        r = c.get("/sparql", params={"query": LOAD_QUERIES[4]}, headers={"Origin": "https://research.example"})
        assert r.headers["access-control-allow-origin"] == "https://research.example"
    assert hits == []


def test_default_server_allows_no_cross_origin_and_only_loopback_hosts(client):
    r = client.get("/sparql", params={"query": LOAD_QUERIES[4]}, headers={"Origin": "https://attacker.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    r = client.options("/sparql", headers={"Origin": "https://attacker.example",
                                           "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    for host in ["evil.example", "127.0.0.1.evil.example", "localhost:80@evil.example"]:
        r = client.get("/sparql", headers={"Host": host})
        assert r.status_code == 400, host
    assert client.get("/sparql", headers={"Host": "localhost"}).status_code == 200


GARBAGE = [
    ("POST", "/sparql", {"Content-Type": "garbage/garbage"}, b"SELECT * WHERE { ?s ?p ?o }"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=\"\\"}, b"ASK {}"),
    ("POST", "/sparql", {"Content-Type": ";;;===;;;"}, b"ASK {}"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%20%7B%7D\xff\xfe"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=%FF%FE%00"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"&&&==&query"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"\xff\xfe\x00"),
    ("POST", "/sparql", {"Content-Type": "multipart/form-data; boundary=x"}, b"--x\r\n\r\n--x--"),
    ("GET", "/sparql?query=%FF%FE%00", {}, b""),
    ("GET", "/sparql?query=ASK%20%7B%7D&format=../../etc/passwd", {}, b""),
    ("GET", "/sparql?query=ASK%20%7B%7D&default-graph-uri=not%20an%20iri", {}, b""),
    ("GET", "/sparql?query=ASK%20%7B%7D&named-graph-uri=%3E%7D", {}, b""),
    ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "a/b, " * 1500 + "*/*"}, b""),
    ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "application/sparql-results+json;q=abc"}, b""),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", {"Accept": "image/png"}, b""),
    ("GET", "/sparql?query=CONSTRUCT%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", {"Accept": "text/csv"}, b""),
    ("GET", "/sparql?" + "&".join(f"p{i}=v" for i in range(2000)), {}, b""),
    ("GET", "/no/such/page", {}, b""),
    ("GET", "/..%2f..%2fetc%2fpasswd", {}, b""),
    ("GET", "/sparql/../../etc/passwd", {}, b""),
    ("GET", "/%00", {}, b""),
    ("PUT", "/sparql", {"Content-Type": "text/turtle"}, b"<urn:a> <urn:b> <urn:c> ."),
    ("DELETE", "/sparql", {}, b""),
    ("PATCH", "/", {}, b""),
    ("TRACE", "/sparql", {}, b""),
]


@pytest.mark.parametrize("method,path,headers,body", GARBAGE, ids=[f"{g[0]} {g[1][:40]}" for g in GARBAGE])
def test_garbage_requests_get_a_plain_error_never_a_stack_trace(client, served_store, method, path, headers, body):
    r = client.request(method, path, headers=headers, content=body or None)
    assert_no_stack_trace(r)
    assert r.status_code < 500 or r.status_code == 503, (r.status_code, r.text[:300])
    assert client.get("/sparql", params={"query": LOAD_QUERIES[4]}, headers={"Accept": JSON}).json()["boolean"]


def test_query_parameters_from_http_are_values(client, served_store):
    """Named-query parameters sent over HTTP as SPARQL text are parsed as data, never spliced as code."""
    before = dump(served_store)
    payload = '"} ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #'
    query = f"SELECT ?p WHERE {{ ?p <{GCM}text> {json.dumps(payload)} }}"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    assert dump(served_store) == before
