"""Shared fixtures: a store built once per session from the bundled sample corpus, and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# `python -c` rather than `-m gcmkg.cli`: it works whether or not the package has a __main__ module.
CLI = [sys.executable, "-c", "import sys; from gcmkg.cli import main; sys.exit(main())"]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: the source tree importable, no inherited store."""
    env = {k: v for k, v in os.environ.items() if k != "GCMKG_STORE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def run_cli():
    """Run `gcmkg ARGS...` in a real subprocess; returns the CompletedProcess (text mode)."""

    def run(*args: str, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                              env=cli_env(), cwd=kwargs.pop("cwd", ROOT), **kwargs)

    return run


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store holding the bundled sample corpus, built once; tests must open it read-only or copy it."""
    from gcmkg.graph.kg import KnowledgeGraph

    path = tmp_path_factory.mktemp("sample") / "store"
    with KnowledgeGraph(path) as kg:
        report = kg.build()
    assert report.ok and len(report.built) == 5, report
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `gcmkg serve` subprocess on 127.0.0.1; `url` is its base address."""

    def __init__(self, store: Path, *options: str, ready_timeout: float = 90):
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([*CLI, "serve", "--store", str(store), "--port", str(self.port), *options],
                                     env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + ready_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gcmkg serve exited: {self.proc.stderr.read()}")
            try:
                with urllib.request.urlopen(self.url + "/sparql", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gcmkg serve did not answer in time")
            time.sleep(0.2)

    def stop(self) -> str:
        """Stop the server (Ctrl-C, then kill); returns what it wrote on stderr."""
        import signal

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.stderr.read()


@pytest.fixture
def start_server():
    """Start `gcmkg serve` subprocesses; all are stopped when the test ends."""
    started: list[Server] = []

    def start(store: Path, *options: str) -> Server:
        server = Server(store, *options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
