"""Smoke tests of the benchmark suite (benchmarks/): the corpus generator is deterministic and realistic in
shape, and `run.py --quick` completes and writes every metric. The real measurements are not tests."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT, cli_env

BENCH = ROOT / "benchmarks"


def generate(out, docs: int, seed: int) -> list:
    subprocess.run([sys.executable, str(BENCH / "corpus.py"), str(out), "--docs", str(docs), "--seed", str(seed)],
                   check=True, env=cli_env(), cwd=ROOT, capture_output=True)
    return sorted(out.iterdir())


def digest(paths: list) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_generator_is_deterministic(tmp_path):
    first = generate(tmp_path / "a", 4, 7)
    again = generate(tmp_path / "b", 4, 7)
    other = generate(tmp_path / "c", 4, 8)
    assert digest(first) == digest(again)
    assert digest(first) != digest(other)
    # document i depends only on (seed, i): a smaller corpus is a prefix of a larger one
    assert digest(generate(tmp_path / "d", 2, 7)) == digest(first[:2])


def test_documents_look_like_regional_reviews(tmp_path):
    from gcmkg.ontology.reference import reference_data

    paths = generate(tmp_path / "docs", 3, 2018)
    ref = reference_data()
    titles = {o.number: o.title for o in ref.objectives}
    states = {s.label for s in ref.states}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert 18_000 <= len(text.encode()) <= 24_000
        headings = re.findall(r"^Objective (\d{1,2}) (?:–|-|:) (.+)$", text, re.MULTILINE)
        assert headings and all(titles[int(n)] == title for n, title in headings)
        assert re.search(r"^Roundtable \d+: Objectives \d+(?:, \d+)+$", text, re.MULTILINE) or len(headings) > 1
        assert "\nRecommendations:\n - " in text
        assert re.search(r"^- ", text, re.MULTILINE)
        assert sum(text.count(s) for s in states) >= 10


def test_generated_documents_build_and_extract(tmp_path):
    """The synthetic documents go through the real pipeline and yield objectives, states and practices."""
    from gcmkg.extraction.pipeline import get_extractor
    from gcmkg.loaders import load

    path = generate(tmp_path / "docs", 1, 2018)[0]
    extraction = get_extractor().extract(load(path))
    kinds = {m.entity.kind for m in extraction.mentions}
    assert {"objective", "state", "stakeholder", "concern"} <= kinds
    assert extraction.statements and extraction.about


@pytest.mark.slow
def test_quick_run_writes_every_metric(tmp_path):
    spec = importlib.util.spec_from_file_location("gcmkg_benchmarks_run", BENCH / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "results" / "quick.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--sizes", "3", "--quick", "--out", str(out),
                           "--work", str(tmp_path / "work")], env=cli_env(), cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(out.read_text())
    assert set(bench.TOP_KEYS) <= set(results)
    (size,) = results["sizes"]
    assert set(bench.SIZE_KEYS) <= set(size)
    assert size["docs"] == 3 and size["passages"] > 0 and size["build_seconds"] > 0 and size["peak_rss_mb"] > 0
    assert set(size["queries"]) == set(size["baseline"]["queries"]) and size["queries"]
    assert all(q["median_ms"] > 0 for q in size["queries"].values())
    assert results["incremental"]["docs"] == 3 and results["incremental"]["one_changed_seconds_without_reasoning"] > 0
    assert results["extraction_baseline"]["ours_mb_per_s"] > 0 and results["extraction_baseline"]["naive_hits"] > 0
    assert set(results["targets"]) == set(bench.TARGETS)
    assert out.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
