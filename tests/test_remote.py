"""`gcmkg push` to a real Oxigraph server, and the named queries run there with `--endpoint`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from test_server import free_port, load_fixture

DATA = Path(__file__).parent / "data" / "queries"
CASES = sorted((DATA / "expected").glob("*.json"))


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server is missing: pip install 'gcmkg[test]' (the 'oxigraph' package)")
    return found


@pytest.fixture()
def oxigraph(tmp_path):
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def graph_sizes(store: Path) -> dict[str, int]:
    """Triples per named graph of the local store: what a push must send."""
    import pyoxigraph as ox

    local = ox.Store.read_only(str(store))
    return {g.value: sum(1 for _ in local.quads_for_pattern(None, None, None, g)) for g in local.named_graphs()}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return load_fixture(tmp_path_factory.mktemp("remote") / "store")


def test_push_then_every_named_query_gives_the_same_rows_remotely(oxigraph, store, run_cli):
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.queries.run import query_endpoint

    first = run_cli("push", f"{oxigraph}/store", "--store", store)
    assert first.returncode == 0, first.stderr
    sizes = graph_sizes(store)
    assert first.stdout.startswith(f"pushed 3 graphs ({sum(sizes.values())} triples), 0 unchanged")
    again = run_cli("push", f"{oxigraph}/store", "--store", store)
    assert again.stdout.startswith("pushed 0 graphs (0 triples), 3 unchanged")

    with KnowledgeGraph(store, read_only=True) as kg:
        for case in CASES:
            spec = json.loads(case.read_text())
            local = kg.query(spec["query"], **spec["params"])
            remote = query_endpoint(f"{oxigraph}/query", spec["query"], spec["params"])
            assert len(local) == len(spec["rows"]), case.stem
            assert local.fillna("").to_dict(orient="records") == remote.fillna("").to_dict(orient="records"), case.stem

    cli = run_cli("query", "objective-concerns", "--objective", "13", "--endpoint", f"{oxigraph}/query",
                  "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert [r["concern_label"] for r in json.loads(cli.stdout)] == ["child detention"]
    unknown = run_cli("query", "state-profile", "--state", "Portugl", "--endpoint", f"{oxigraph}/query")
    assert unknown.returncode == 1 and "did you mean: Portugal" in unknown.stderr


def test_push_resumes_a_graph_lost_on_the_remote_and_works_through_sparql_update(oxigraph, store, run_cli):
    assert run_cli("push", f"{oxigraph}/store", "--store", store).returncode == 0
    dropped = httpx.post(f"{oxigraph}/update", content="DROP GRAPH <https://w3id.org/gcmkg/id/graph/document/b.txt>",
                         headers={"Content-Type": "application/sparql-update"})
    assert dropped.status_code == 204
    resumed = run_cli("push", f"{oxigraph}/store", "--store", store)
    expected = graph_sizes(store)["https://w3id.org/gcmkg/id/graph/document/b.txt"]
    assert resumed.stdout.startswith(f"pushed 1 graphs ({expected} triples), 2 unchanged"), resumed.stdout
    forced = run_cli("push", f"{oxigraph}/update", "--via", "update", "--force", "--store", store)
    assert forced.returncode == 0 and forced.stdout.startswith("pushed 3 graphs"), forced.stderr
    assert run_cli("push", f"{oxigraph}/update", "--via", "update", "--store", store).stdout.startswith(
        "pushed 0 graphs (0 triples), 3 unchanged")
    count = httpx.post(f"{oxigraph}/query", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                                  "FILTER (?g != <https://w3id.org/gcmkg/id/graph/push-manifest>) }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == str(sum(graph_sizes(store).values()))


def test_push_to_nowhere_is_one_line(run_cli, store):
    done = run_cli("push", f"http://127.0.0.1:{free_port()}/store", "--store", store)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
