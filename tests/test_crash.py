"""Crash safety: `gcmkg build` killed with SIGKILL mid-corpus leaves only whole documents, and the next build
finishes the rest.

New documents are written in bulk loads of up to 8, each one RocksDB ingestion (gcmkg.graph.store.add_new_graphs),
and a changed document's graph is replaced in one SPARQL update (replace_graph), so whatever moment the kill
lands on, a document graph is either absent or exactly what a clean build writes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CLI, cli_env

from gcmkg.graph.kg import KnowledgeGraph, sample_corpus
from gcmkg.ontology.namespace import document_graph_iri

CORPUS = sorted(sample_corpus().glob("*.txt"))
COPIES = 8  # 8 x 5 = 40 documents
GCM = "https://w3id.org/gcmkg/ontology#"


def make_corpus(folder: Path, copies: int = COPIES) -> list[Path]:
    """Copies of the sample documents under distinct names (a document's key is its file name)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for path in CORPUS:
            shutil.copy(path, folder / f"{n:02d}_{path.name}")
    return sorted(folder.iterdir())


def count_documents(store: Path) -> int:
    """Documents committed so far, read beside the writer (a read-only open never takes the lock)."""
    try:
        s = ox.Store.read_only(str(store))
    except (OSError, RuntimeError):
        return 0  # not created yet, or still being created
    try:
        rows = s.query(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d a <{GCM}Document> }} }}")
        return int(next(iter(rows))["n"].value)
    finally:
        del s


def graph_lines(store: Path, identifier: str) -> list[str]:
    s = ox.Store.read_only(str(store))
    quads = list(s.quads_for_pattern(None, None, None, ox.NamedNode(document_graph_iri(identifier))))
    del s
    return sorted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode().splitlines())


def kill_after(store: Path, folder: Path, committed: int, timeout: float = 120) -> int:
    """Start a build, SIGKILL it once `committed` documents are in; returns the count seen at the kill."""
    proc = subprocess.Popen([*CLI, "build", str(folder), "--store", str(store), "--workers", "1", "-q"],
                            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            seen = count_documents(store)
            if seen >= committed:
                os.kill(proc.pid, signal.SIGKILL)
                break
            assert proc.poll() is None, f"the build ended before it could be killed: {proc.stderr.read()!r}"
            time.sleep(0.05)
        else:
            pytest.fail("the build committed too few documents in time")
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return seen


def check_whole_documents(store: Path) -> list[str]:
    """Every document graph holds one Document node and passages 0..n-1; returns the documents."""
    with KnowledgeGraph(store, read_only=True) as kg:
        docs = kg.documents()
        for doc in docs:
            graph = ox.NamedNode(document_graph_iri(doc))
            nodes = kg.store.query(f"SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?d a <{GCM}Document> }} }}",
                                   substitutions={ox.Variable("g"): graph})
            assert len(list(nodes)) == 1, doc
            rows = kg.store.query(f"SELECT ?g ?i WHERE {{ GRAPH ?g {{ ?p a <{GCM}Passage> ; <{GCM}index> ?i }} }}",
                                  substitutions={ox.Variable("g"): graph})
            indexes = sorted(int(row["i"].value) for row in rows)
            assert indexes and indexes == list(range(len(indexes))), doc
    return docs


@pytest.mark.slow
def test_sigkill_mid_build_leaves_whole_documents(tmp_path, run_cli):
    folder = tmp_path / "corpus"
    files = make_corpus(folder)
    store = tmp_path / "store"

    seen = kill_after(store, folder, committed=3)
    seen_again = kill_after(store, folder, committed=seen + 4)  # a second crash, on a store that was crashed
    docs = check_whole_documents(store)
    assert seen_again <= len(docs) < len(files)
    print(f"\nkilled at {seen} and at {seen_again} committed documents; the store holds {len(docs)} of {len(files)}")

    clean = tmp_path / "clean"
    by_name = {f.name: f for f in files}
    with KnowledgeGraph(clean) as kg:
        assert kg.build([by_name[d] for d in docs], workers=1).ok
    for doc in docs:
        assert graph_lines(store, doc) == graph_lines(clean, doc), f"{doc} differs from a clean build"

    crashed, fresh = run_cli("validate", "--store", store), run_cli("validate", "--store", clean)
    assert "Traceback" not in crashed.stderr
    assert crashed.returncode == fresh.returncode and crashed.stdout.splitlines()[-1:] == fresh.stdout.splitlines()[-1:]
    stats = run_cli("stats", "--store", store)
    assert stats.returncode == 0 and f"documents     {len(docs)}" in stats.stdout

    rest = run_cli("build", folder, "--store", store, "--workers", "2", "-q")
    assert rest.returncode == 0, rest.stderr
    assert rest.stdout.startswith(f"built {len(files) - len(docs)} documents ({len(docs)} unchanged, 0 failed)")
    assert check_whole_documents(store) == sorted(by_name)
