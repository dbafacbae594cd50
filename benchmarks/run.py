"""gcmkg's benchmark suite: build throughput, memory, store size, named-query latency, incremental rebuild,
CLI wall time, and the rdflib / naive-regex baselines, on a deterministic synthetic corpus.

    python benchmarks/run.py [--sizes 10,100,1000] [--with-10000] [--out benchmarks/results/latest.json]

Writes the JSON to --out and a plot beside it (same name, .png). Each corpus size is measured in a fresh
child process, so peak memory is that size's own; the rdflib baseline runs in another child. `--quick`
(fewer repeats) exists for the smoke test; real figures come from the default settings.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if importlib.util.find_spec("gcmkg") is None:  # run from a source checkout without installing
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

if str(HERE) not in sys.path:  # imported by file path (the smoke test) rather than run as a script
    sys.path.insert(0, str(HERE))

from corpus import DEFAULT_SEED, write_corpus  # noqa: E402 - after the path set-up above

DEFAULT_SIZES = (10, 100, 1000)
WORKERS = 2
INCREMENTAL_SIZE = 1000  # the incremental rebuild is timed at this size (or the largest one run, if smaller)
BASELINE_MAX_DOCS = 1000  # rdflib is not loaded beyond this (10,000 documents would not fit its memory use)
TARGETS = {
    "build_mb_per_s_at_1000": 5.0,
    "build_seconds_at_10000": 300.0,
    "peak_memory_mb_at_10000": 4096.0,
    "query_ms_at_1000": 200.0,
    "query_ms_at_10000": 1000.0,
    "incremental_seconds_at_1000": 2.0,
    "cli_objective_concerns_seconds": 1.0,
    "baseline_ratio_at_1000": 10.0,
}
SIZE_KEYS = ("docs", "mb", "passages", "triples", "quads_in_store", "build_seconds", "mb_per_s", "passages_per_s",
             "peak_rss_mb", "store_mb", "queries", "baseline", "load_before", "load_after")
TOP_KEYS = ("command", "started", "machine", "settings", "corpus", "sizes", "incremental", "extraction_baseline",
            "cli", "targets")


# ---------------------------------------------------------------------------------------------- helpers
class PeakMemory:
    """Peak resident memory of this process and all its children (the extraction workers), sampled."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak / 2**20


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def median_seconds(fn, repeats: int) -> tuple[float, object]:
    """Median wall time of `repeats` calls after one warm-up call; returns (seconds, last result).

    A call slower than a second is repeated at most twice more, and one slower than five seconds not at
    all (its single run is the figure): a coarse median, not an hour's wait."""
    t = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t
    if first > 5.0:
        return first, result
    if first > 1.0:
        repeats = min(repeats, 2)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def child(args: list[str], timeout: float | None = None) -> dict:
    """Run this script (or baseline.py) in a fresh interpreter; its last stdout line is JSON."""
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def snapshot_code(work: Path) -> None:
    """Copy the gcmkg package and run every child on the copy: an edit to the code, the ontology or the
    reference data during a long run would otherwise change the figures half-way (and the reference
    data's hash is part of every document's, so the incremental rebuild would rebuild everything)."""
    import gcmkg

    target = work / "code"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(Path(gcmkg.__file__).parent, target / "gcmkg",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))


def machine() -> dict:
    import pyoxigraph
    import rdflib

    import gcmkg

    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem_gb = None
    return {"cpus": os.cpu_count(), "memory_gb": mem_gb, "python": platform.python_version(),
            "platform": platform.platform(), "gcmkg": gcmkg.__version__, "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__, "loadavg_at_start": os.getloadavg()}


# ---------------------------------------------------------------------------------------------- one size
def measure_size(n: int, corpus_dir: Path, work: Path, *, repeats: int, incremental: bool, baseline: bool,
                 baseline_timeout: float, reason_timeout: float) -> dict:
    """Build an n-document store from scratch and measure it (runs in its own process)."""
    from named import bound_queries, run_library, run_oxigraph

    from gcmkg.graph.kg import KnowledgeGraph

    load_before = os.getloadavg()
    sources = sorted(corpus_dir.glob("*.txt"))[:n]
    if len(sources) < n:
        raise RuntimeError(f"{corpus_dir} holds {len(sources)} documents, {n} needed")
    base = work / f"size-{n}"
    shutil.rmtree(base, ignore_errors=True)
    docs, store = base / "docs", base / "store"
    docs.mkdir(parents=True)
    for src in sources:
        (docs / src.name).symlink_to(src)
    megabytes = sum(src.stat().st_size for src in sources) / 1e6

    # The build as a user runs it: extraction, link summaries and OWL RL reasoning in the worker processes,
    # storage in this one. `phases` splits the same work into its steps, one process, on the first documents.
    with PeakMemory() as memory:
        t = time.perf_counter()
        with KnowledgeGraph(store) as kg:
            report = kg.build([docs], workers=WORKERS)
        build_seconds = time.perf_counter() - t
    if report.failed or len(report.built) != n:
        raise RuntimeError(f"build of {n} documents: {len(report.built)} built, failed: {report.failed[:3]}")
    out: dict = {
        "docs": n, "mb": megabytes, "passages": report.passages, "triples": report.triples,
        "build_seconds": build_seconds, "mb_per_s": megabytes / build_seconds,
        "passages_per_s": report.passages / build_seconds, "peak_rss_mb": memory.mb,
        "quads_per_kb": report.triples / (megabytes * 1000), "store_mb": dir_mb(store), "queries": {},
        "baseline": None,
    }

    with KnowledgeGraph(store, read_only=True) as kg:
        out["quads_in_store"] = len(kg.store)
        queries = bound_queries(kg.store)
        for name, q in queries.items():
            seconds, rows = median_seconds(lambda q=q: run_oxigraph(kg.store, q["text"]), repeats)
            library = None
            if seconds < 5.0:  # the library adds resolution and a DataFrame; not worth minutes on a slow query
                library, _ = median_seconds(lambda name=name, q=q: run_library(kg, name, q["params"]),
                                            repeats if seconds < 1.0 else 1)
            out["queries"][name] = {"median_ms": seconds * 1000, "rows": rows, "params": q["params"],
                                    "library_ms": library and library * 1000}

    if incremental:
        out["incremental"] = measure_incremental(docs, store, reason_timeout)
    if baseline:
        nquads = base / "store.nq"
        t = time.perf_counter()
        with KnowledgeGraph(store, read_only=True) as kg:
            kg.export(nquads)
        export_seconds = time.perf_counter() - t
        texts = base / "queries.json"
        texts.write_text(json.dumps({name: q["text"] for name, q in queries.items()}), encoding="utf-8")
        rd = child([str(HERE / "baseline.py"), "queries", str(nquads), str(texts), "--repeats",
                    str(min(repeats, 3)), "--timeout", str(baseline_timeout)])
        for name, entry in rd["queries"].items():
            ours = out["queries"].get(name, {}).get("median_ms")
            entry["ratio"] = entry["median_ms"] / ours if ours and entry["median_ms"] is not None else None
        rd["export_seconds"] = export_seconds
        out["baseline"] = rd
        nquads.unlink()
    out["load_before"], out["load_after"] = load_before, os.getloadavg()
    return out


def measure_phases(sources: list[Path]) -> dict:
    """Where a build's time goes, step by step, in one process: milliseconds per document for loading,
    extraction, the graph's triples (with link summaries), serialising them, reasoning, and writing them to
    an empty store as the build writes new documents (bulk loads of 8), then, for comparison, writing the
    same graphs again the way the build rewrites changed documents (one transaction per document)."""
    import tempfile
    from itertools import pairwise

    import pyoxigraph as ox

    from gcmkg.extraction.pipeline import get_extractor
    from gcmkg.graph.rdf import ntriples, stored_triples
    from gcmkg.graph.store import add_new_graphs, replace_graph
    from gcmkg.loaders import load
    from gcmkg.ontology.namespace import document_graph_iri
    from gcmkg.ontology.reasoning import infer_document

    extractor = get_extractor()
    extractor.extract(load(str(sources[0])))  # warm-up: gazetteers and matchers are built once per process
    totals = dict.fromkeys(("load", "extract", "triples", "serialise", "reason"), 0.0)
    graphs: list[tuple[str, bytes]] = []
    for path in sources:
        marks = [time.perf_counter()]
        document = load(str(path))
        marks.append(time.perf_counter())
        extraction = extractor.extract(document)
        marks.append(time.perf_counter())
        triples = stored_triples(document, extraction, "0" * 64)
        marks.append(time.perf_counter())
        data = ntriples(triples)
        marks.append(time.perf_counter())
        inferred = ntriples(infer_document(triples))
        marks.append(time.perf_counter())
        for key, (start, end) in zip(totals, pairwise(marks), strict=True):
            totals[key] += end - start
        graph = document_graph_iri(document.identifier)
        graphs += [(graph, data), (graph + "/inferred", inferred)]
    quads = sum(content.count(b"\n") for _, content in graphs)
    with tempfile.TemporaryDirectory(prefix="gcmkg-phases-") as tmp:
        store = ox.Store(tmp)
        t = time.perf_counter()
        for i in range(0, len(graphs), 16):  # 8 documents and their inferred graphs
            add_new_graphs(store, graphs[i:i + 16])
        store.flush()
        totals["store"] = time.perf_counter() - t
        del store
    with tempfile.TemporaryDirectory(prefix="gcmkg-phases-") as tmp:
        store = ox.Store(tmp)
        t = time.perf_counter()
        for graph, content in graphs:
            replace_graph(store, graph, content)
        store.flush()
        transactional = time.perf_counter() - t
        del store
    n = len(sources)
    megabytes = sum(p.stat().st_size for p in sources) / 1e6
    per_doc = {k: v * 1000 / n for k, v in totals.items()}
    return {"documents": n, "mb": megabytes, "ms_per_document": per_doc, "quads_per_document": quads / n,
            "store_quads_per_s": quads / totals["store"] if totals["store"] else None,
            "store_transactional_ms_per_document": transactional * 1000 / n,
            "store_transactional_quads_per_s": quads / transactional if transactional else None,
            "mb_per_s_one_process": megabytes / sum(totals.values()),
            "mb_per_s_one_process_without_storage": megabytes / (sum(totals.values()) - totals["store"])}


def measure_incremental(docs: Path, store: Path, timeout: float) -> dict:
    """Rebuild with nothing changed, then with one document changed: without reasoning, with it (the default
    `kg.build`), and through the CLI (`gcmkg build`, start-up included)."""
    from gcmkg.graph.kg import KnowledgeGraph

    def rebuild(**kwargs) -> tuple[float, object]:
        t = time.perf_counter()
        with KnowledgeGraph(store) as kg:
            report = kg.build([docs], workers=WORKERS, **kwargs)
        return time.perf_counter() - t, report

    unchanged_seconds, report = rebuild()
    if report.built:  # the code or reference data changed since the build: the figures below would be wrong
        raise RuntimeError(f"a rebuild with nothing changed rebuilt {len(report.built)} documents")
    files = sorted(docs.iterdir())
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    additions = iter([
        "\nPortugal has launched an initiative to end child detention, in cooperation with IOM.\n",
        "\nGreece has set up a pilot project to provide legal assistance on family reunification.\n",
        "\nMexico adopted a national action plan to reduce xenophobia, with UNHCR and local partners.\n",
    ])

    def change() -> None:
        target.unlink()
        target.write_text(text + next(additions), encoding="utf-8")

    change()
    plain_seconds, report = rebuild(reason=False)
    if report.built != [target.name]:
        raise RuntimeError(f"one changed document rebuilt {report.built[:5]}")
    change()
    with_reasoning = run_with_limit(lambda: rebuild(), timeout)
    change()
    t = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "gcmkg.cli", "build", str(docs), "--store", str(store), "-q"],
                              capture_output=True, text=True, cwd=store.parent, timeout=timeout)
        cli = {"seconds": time.perf_counter() - t, "timed_out": False, "ok": proc.returncode == 0,
               "output": (proc.stdout or proc.stderr).strip().splitlines()[-1:]}
    except subprocess.TimeoutExpired:
        cli = {"seconds": time.perf_counter() - t, "timed_out": True, "ok": None, "output": []}
    return {"docs": len(files), "unchanged_seconds": unchanged_seconds,
            "one_changed_seconds_without_reasoning": plain_seconds,
            "one_changed_seconds": with_reasoning["seconds"], "one_changed_timed_out": with_reasoning["timed_out"],
            "one_changed_cli": cli}


def run_with_limit(fn, timeout: float) -> dict:
    """Call `fn` with a SIGALRM time limit (the slow parts are Python, so the alarm interrupts them)."""
    import signal

    class Cut(Exception):
        pass

    def cut(signum, frame):  # noqa: ARG001 - signal handler signature
        raise Cut

    previous = signal.signal(signal.SIGALRM, cut)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    t = time.perf_counter()
    try:
        fn()
        return {"seconds": time.perf_counter() - t, "timed_out": False}
    except Cut:
        return {"seconds": time.perf_counter() - t, "timed_out": True}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------- CLI timing
def measure_cli(work: Path, repeats: int) -> dict:
    """Wall time of `gcmkg query objective-concerns --objective 13` on the demo store, start-up included."""
    from gcmkg.graph.kg import KnowledgeGraph

    store = work / "demo-store"
    shutil.rmtree(store, ignore_errors=True)
    with KnowledgeGraph(store) as kg:
        kg.build(workers=1)
    out: dict = {"store": "bundled sample corpus (5 documents)"}
    for key, argv in (("objective_concerns", ["query", "objective-concerns", "--objective", "13"]),
                      ("help", ["--help"])):
        command = [sys.executable, "-m", "gcmkg.cli", *argv] + (["--store", str(store)] if key != "help" else [])
        times, proc = [], None
        for _ in range(repeats + 1):  # the first run warms the file cache
            t = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, cwd=work)  # not ROOT: the snapshot
            times.append(time.perf_counter() - t)
        out[key] = {"command": "gcmkg " + " ".join(argv), "median_seconds": statistics.median(times[1:]),
                    "ok": proc.returncode == 0,
                    "error": None if proc.returncode == 0 else proc.stderr.strip().splitlines()[-1:]}
    return out


# ---------------------------------------------------------------------------------------------- targets, plot
def evaluate(results: dict) -> dict:
    by_docs = {s["docs"]: s for s in results["sizes"]}
    t: dict = {}

    def add(name: str, measured: float | None, ok: bool | None, unit: str) -> None:
        t[name] = {"target": TARGETS[name], "measured": measured, "unit": unit, "met": ok}

    s1k, s10k = by_docs.get(1000), by_docs.get(10000)
    add("build_mb_per_s_at_1000", s1k and s1k["mb_per_s"], s1k and s1k["mb_per_s"] >= TARGETS[
        "build_mb_per_s_at_1000"], "MB/s")
    add("build_seconds_at_10000", s10k and s10k["build_seconds"],
        s10k and s10k["build_seconds"] < TARGETS["build_seconds_at_10000"], "s")
    add("peak_memory_mb_at_10000", s10k and s10k["peak_rss_mb"],
        s10k and s10k["peak_rss_mb"] < TARGETS["peak_memory_mb_at_10000"], "MB")
    for key, size in (("query_ms_at_1000", s1k), ("query_ms_at_10000", s10k)):
        worst = max((q["median_ms"] for q in size["queries"].values()), default=None) if size else None
        add(key, worst, None if worst is None else worst < TARGETS[key], "ms (slowest named query)")
    inc = results.get("incremental")
    inc_ok = inc and inc["docs"] == 1000
    add("incremental_seconds_at_1000", inc and inc["one_changed_seconds"],
        (inc["one_changed_seconds"] < TARGETS["incremental_seconds_at_1000"]) if inc_ok else None, "s")
    cli = results["cli"]["objective_concerns"]
    add("cli_objective_concerns_seconds", cli["median_seconds"] if cli["ok"] else None,
        (cli["median_seconds"] < TARGETS["cli_objective_concerns_seconds"]) if cli["ok"] else None, "s")
    # A baseline run cut at the time limit gives a lower bound on its ratio: below the target it decides nothing.
    base = [q for q in ((s1k or {}).get("baseline") or {}).get("queries", {}).values() if q["ratio"]]
    worst = min(base, key=lambda q: q["ratio"]) if base else None
    met = None if worst is None else (True if worst["ratio"] >= TARGETS["baseline_ratio_at_1000"]
                                      else (None if worst["timed_out"] else False))
    add("baseline_ratio_at_1000", worst and worst["ratio"], met,
        "x (smallest ratio" + (", a lower bound: rdflib was cut)" if worst and worst["timed_out"] else ")"))
    return t


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    docs = [s["docs"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    left.plot(docs, [s["build_seconds"] for s in sizes], "o-", label="build (2 workers)")
    left.set(xscale="log", yscale="log", xlabel="documents (~20 KB each)", ylabel="seconds",
             title="Build time against corpus size")
    left.grid(True, which="both", alpha=0.3)
    left.legend()
    names = sorted({n for s in sizes for n in s["queries"]})
    for i, name in enumerate(names):
        colour = f"C{i % 10}"
        xs = [s["docs"] for s in sizes if name in s["queries"]]
        right.plot(xs, [s["queries"][name]["median_ms"] for s in sizes if name in s["queries"]], "o-",
                   color=colour, label=name)
        base = [(s["docs"], s["baseline"]["queries"][name]["median_ms"]) for s in sizes
                if s.get("baseline") and name in s["baseline"]["queries"]]
        if base:
            right.plot(*zip(*base, strict=True), "x--", color=colour, alpha=0.6)
    right.axhline(TARGETS["query_ms_at_1000"], color="grey", lw=0.8, ls=":")
    right.set(xscale="log", yscale="log", xlabel="documents", ylabel="median latency (ms)",
              title="Named queries: Oxigraph (solid) vs rdflib (dashed)")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="corpus sizes (default 10,100,1000)")
    p.add_argument("--with-10000", action="store_true", help="also measure 10,000 documents (takes long)")
    p.add_argument("--out", default=str(HERE / "results" / "latest.json"), help="JSON file to write")
    p.add_argument("--work", default=None, help="scratch folder for the corpus and stores (default: a temp dir)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--repeats", type=int, default=7, help="query runs per median (after one warm-up)")
    p.add_argument("--baseline-timeout", type=float, default=30.0, help="seconds before an rdflib query is cut")
    p.add_argument("--reason-timeout", type=float, default=300.0,
                   help="seconds before the build's reasoning step is cut (reported as a lower bound)")
    p.add_argument("--quick", action="store_true", help="few repeats: a smoke test, not a measurement")
    p.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    p.add_argument("--child-flags", default="", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    repeats = 2 if args.quick else args.repeats
    if args.quick:
        args.baseline_timeout = min(args.baseline_timeout, 2.0)
    work = Path(args.work) if args.work else Path(os.environ.get("TMPDIR", "/tmp")) / "gcmkg-bench"
    work.mkdir(parents=True, exist_ok=True)
    corpus_dir = work / f"corpus-{args.seed}"

    if args.child_size:  # one size, in a fresh process
        flags = set(args.child_flags.split(","))
        result = measure_size(args.child_size, corpus_dir, work, repeats=repeats, incremental="incremental" in flags,
                              baseline="baseline" in flags, baseline_timeout=args.baseline_timeout,
                              reason_timeout=args.reason_timeout)
        print(json.dumps(result))
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | ({10000} if args.with_10000 else set()))
    incremental_at = INCREMENTAL_SIZE if INCREMENTAL_SIZE in sizes else max(
        (s for s in sizes if s <= INCREMENTAL_SIZE), default=None)
    results: dict = {"command": " ".join(["python benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
                     "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(),
                     "settings": {"sizes": sizes, "workers": WORKERS, "repeats": repeats, "seed": args.seed,
                                  "quick": args.quick, "baseline_timeout_s": args.baseline_timeout}}
    snapshot_code(work)
    t = time.perf_counter()
    write_corpus(corpus_dir, max(sizes), args.seed)
    results["corpus"] = {"generator": "benchmarks/corpus.py", "seed": args.seed,
                         "generate_seconds": time.perf_counter() - t}
    results["sizes"], results["incremental"] = [], None
    for n in sizes:
        flags = [f for f, on in (("incremental", n == incremental_at), ("baseline", n <= BASELINE_MAX_DOCS)) if on]
        print(f"measuring {n} documents ...", file=sys.stderr, flush=True)
        size = child([str(HERE / "run.py"), "--child-size", str(n), "--child-flags", ",".join(flags),
                      "--work", str(work), "--seed", str(args.seed), "--repeats", str(repeats),
                      "--baseline-timeout", str(args.baseline_timeout),
                      "--reason-timeout", str(args.reason_timeout)])
        results["incremental"] = size.pop("incremental", None) or results["incremental"]
        results["sizes"].append(size)
        _summary(size)
        partial = Path(args.out).with_suffix(".partial.json")  # a long run's finished sizes, kept as it goes
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    sample = sorted(corpus_dir.glob("*.txt"))[:min(20, max(sizes))]
    results["extraction_baseline"] = child([str(HERE / "baseline.py"), "extraction", *map(str, sample)])
    results["phases"] = measure_phases(sample)
    results["cli"] = measure_cli(work, 3 if args.quick else 7)
    results["targets"] = evaluate(results)
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - t
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    plot(results, out.with_suffix(".png"))
    out.with_suffix(".partial.json").unlink(missing_ok=True)
    print(f"wrote {out} and {out.with_suffix('.png')}")
    for name, target in results["targets"].items():
        state = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        print(f"  {name:<34} {target['measured'] if target['measured'] is None else round(target['measured'], 3)}"
              f" {target['unit']} (target {target['target']}): {state}")
    return 0


def _summary(size: dict) -> None:
    slowest = max((q["median_ms"] for q in size["queries"].values()), default=0)
    print(f"  {size['docs']} docs: {size['mb']:.1f} MB in {size['build_seconds']:.1f} s ({size['mb_per_s']:.2f} MB/s), "
          f"peak {size['peak_rss_mb']:.0f} MB, store {size['store_mb']:.0f} MB, slowest query {slowest:.0f} ms",
          file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
