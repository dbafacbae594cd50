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
