"""Concurrent use of one store: a second writer is turned away in one line, readers keep reading, nothing breaks."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import CLI, cli_env
from test_crash import check_whole_documents, count_documents, make_corpus

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
