"""Concurrent use of one store: a second writer is turned away in one line, readers keep reading, nothing breaks."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import CLI, cli_env
from test_crash import CORPUS, check_whole_documents, count_documents, make_corpus

LOCKED = "the store is in use by another process (a build or a server); wait for it to finish, or query it read-only"


def start_build(folder: Path, store: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "build", str(folder), "--store", str(store), "--workers", "1", "-q", *extra],
                            env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_documents(store: Path, proc: subprocess.Popen, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while count_documents(store) < n:
        assert proc.poll() is None, "the first build ended too early"
        assert time.monotonic() < deadline, "the first build is too slow"
        time.sleep(0.05)


@pytest.mark.slow
def test_second_build_fails_fast_with_store_in_use(tmp_path, run_cli):
    folder = tmp_path / "corpus"
    files = make_corpus(folder)
    store = tmp_path / "store"
    first = start_build(folder, store)
    try:
        wait_for_documents(store, first, 1)
        started = time.monotonic()
        second = run_cli("build", folder, "--store", store, "--workers", "1", "-q", timeout=60)
        took = time.monotonic() - started
        reader = run_cli("stats", "--store", store, timeout=60)  # a reader beside the writer
        still_running = first.poll() is None
        out, err = first.communicate(timeout=180)
    finally:
        first.kill()
        first.wait()

    assert still_running, "the check must happen while the first build holds the store"
    assert second.returncode == 1
    assert second.stderr.splitlines() == [f"gcmkg: error: {store}: {LOCKED}"], second.stderr
    assert second.stdout == ""
    assert took < 20, f"the second build took {took:.1f} s to give up"
    assert reader.returncode == 0 and "documents" in reader.stdout, reader.stderr

    assert first.returncode == 0, err
    assert out.startswith(f"built {len(files)} documents (0 unchanged, 0 failed)")
    assert check_whole_documents(store) == sorted(f.name for f in files)
    again = run_cli("build", folder, "--store", store, "--workers", "1", "-q")
    assert again.returncode == 0 and again.stdout.startswith(f"built 0 documents ({len(files)} unchanged")


def test_library_raises_store_locked(tmp_path):
    """The same refusal through the library: StoreLocked, a GcmkgError, while another process writes."""
    from gcmkg.errors import StoreLocked
    from gcmkg.graph.kg import KnowledgeGraph

    folder = tmp_path / "corpus"
    make_corpus(folder, copies=4)
    store = tmp_path / "store"
    first = start_build(folder, store)
    try:
        wait_for_documents(store, first, 1)
        with pytest.raises(StoreLocked, match="in use by another process"):
            KnowledgeGraph(store)
        with KnowledgeGraph(store, read_only=True) as kg:  # reading beside the writer works
            assert len(kg.documents()) >= 1
        assert first.poll() is None
    finally:
        first.kill()
        first.wait()


@pytest.mark.slow
def test_server_keeps_answering_while_a_build_adds_documents(tmp_path, sample_store, start_server):
    """`gcmkg serve` reads while `gcmkg build` writes: every query is answered (or told the store is busy, in
    one line), the new documents show up, and the store ends whole and valid."""
    import shutil
    import threading

    import httpx

    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    folder = tmp_path / "corpus"
    files = make_corpus(folder, copies=4)
    server = start_server(store, "--workers", "2", "--timeout", "10")
    count = ("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/gcmkg/ontology#Document> }")
    answers: list[tuple[int, str]] = []
    seen_by: list[list[int]] = [[], []]  # what each client saw, in its own order
    done = threading.Event()

    def ask(client: int) -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            while not done.is_set():
                r = c.get("/sparql", params={"query": count}, headers={"Accept": "application/sparql-results+json"})
                answers.append((r.status_code, r.json()["results"]["bindings"][0]["n"]["value"]
                                if r.status_code == 200 else r.text))
                if r.status_code == 200:
                    seen_by[client].append(int(answers[-1][1]))
                time.sleep(0.02)

    clients = [threading.Thread(target=ask, args=(n,)) for n in range(2)]
    for t in clients:
        t.start()
    try:
        build = start_build(folder, store)
        out, err = build.communicate(timeout=240)
        time.sleep(1.0)  # the last answers after the build
    finally:
        done.set()
        for t in clients:
            t.join(60)

    assert build.returncode == 0, err
    assert out.startswith(f"built {len(files)} documents")
    ok = [int(v) for status, v in answers if status == 200]
    busy = [v for status, v in answers if status != 200]
    locked = "the store is locked by another process (a build?); try again later"
    assert all(v.strip() == locked for v in busy), busy[:3]
    assert len(ok) >= 0.9 * len(answers) and len(answers) > 20, (len(ok), len(answers), busy[:3])
    assert ok[0] == 5 and ok[-1] == 5 + len(files), (ok[:3], ok[-3:])
    # Each client's answers, in the order it asked: the two clients' replies interleave in `answers` in the order
    # they arrived, so one asked before a write can land after another's asked after it.
    for seen in seen_by:
        assert seen and seen == sorted(seen), "a reader never sees documents disappear"
    server.stop()
    assert check_whole_documents(store) == sorted([*(f.name for f in files), *(p.name for p in CORPUS)])
