"""The baselines the benchmark compares gcmkg with, measured in the same run on the same data.

* Queries: the very same named-query text and bound terms on rdflib's in-memory `Dataset` (default graph
  the union of all graphs) with rdflib's own SPARQL engine, loaded from an N-Quads export of our store.
* Extraction: a naive gazetteer loop, one precompiled `re.search` per name (states' labels and
  adjectives, stakeholders' labels and acronyms, concerns' wordings) with IGNORECASE, per passage.
  It finds only names, so it does far less than our extractor; the ratio is a floor on the real one.

Run as a script it loads one N-Quads file and times queries in this process, which is how `run.py`
uses it (a child process, so rdflib's memory and a runaway query cannot hurt the main run):

    python benchmarks/baseline.py queries STORE.nq QUERIES.json --repeats 3 --timeout 120
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import time
from pathlib import Path


class QueryTimeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise QueryTimeout


def rdflib_query_times(nquads: str | Path, queries: dict[str, str], repeats: int = 3,
                       timeout: float = 120.0) -> dict:
    """Load `nquads` into rdflib and time each query text (median of `repeats` runs).

    A query still running after `timeout` seconds is stopped and its time reported as a lower bound."""
    from rdflib import Dataset

    from gcmkg.ontology.namespace import PREFIXES

    started = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(str(nquads), format="nquads")
    out: dict = {"load_seconds": time.perf_counter() - started, "quads": len(ds), "queries": {}}
    signal.signal(signal.SIGALRM, _alarm)
    for name, text in queries.items():
        times, rows, timed_out, error = [], None, False, None
        for i in range(repeats):
            signal.setitimer(signal.ITIMER_REAL, timeout)
            t = time.perf_counter()
            try:
                rows = len(list(ds.query(text, initNs=PREFIXES)))
                times.append(time.perf_counter() - t)
            except QueryTimeout:
                times.append(time.perf_counter() - t)
                timed_out = True
                break
            except Exception as exc:  # noqa: BLE001 - rdflib's engine fails on some valid SPARQL; record it
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if i == 0 and times[0] > timeout / 4:  # slow: one run is enough for a median this coarse
                break
        out["queries"][name] = {"median_ms": statistics.median(times) * 1000 if times else None,
                                "runs": len(times), "rows": rows, "timed_out": timed_out, "error": error}
    return out


def naive_gazetteer() -> list[re.Pattern]:
    """One pattern per name, as a first attempt would write it."""
    from gcmkg.ontology.reference import reference_data

    ref = reference_data()
    names = [s.label for s in ref.states] + [a for s in ref.states for a in s.adjectives]
    names += [h.label for h in ref.stakeholders] + [a for h in ref.stakeholders for a in h.acronyms]
    names += [a for c in ref.concerns for a in (c.label, *c.alt_labels)]
    return [re.compile(r"\b" + re.escape(n) + r"\b", re.IGNORECASE) for n in dict.fromkeys(names)]


def naive_extract(passages: list[str], patterns: list[re.Pattern]) -> int:
    """Per passage, one re.search per name; returns the number of (passage, name) hits."""
    hits = 0
    for text in passages:
        for pattern in patterns:
            if pattern.search(text):
                hits += 1
    return hits


def extraction_comparison(paths: list[Path]) -> dict:
    """MB/s of our extractor and of the naive loop on the same loaded documents, one process each."""
    from gcmkg.extraction.pipeline import get_extractor
    from gcmkg.loaders import load

    docs = [load(p) for p in paths]
    megabytes = sum(len(d.text.encode()) for d in docs) / 1e6
    extractor = get_extractor()
    extractor.extract(docs[0])  # build the gazetteers outside the timing
    t = time.perf_counter()
    mentions = sum(len(extractor.extract(d).mentions) for d in docs)
    ours = time.perf_counter() - t
    patterns = naive_gazetteer()
    t = time.perf_counter()
    hits = naive_extract([p.text for d in docs for p in d.passages], patterns)
    naive = time.perf_counter() - t
    return {"documents": len(docs), "mb": megabytes, "patterns": len(patterns),
            "ours_seconds": ours, "ours_mb_per_s": megabytes / ours, "ours_mentions": mentions,
            "naive_seconds": naive, "naive_mb_per_s": megabytes / naive, "naive_hits": hits,
            "speedup": naive / ours}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="rdflib baseline for the named queries")
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("queries")
    q.add_argument("nquads")
    q.add_argument("queries", help="JSON file: query name -> SPARQL text")
    q.add_argument("--repeats", type=int, default=3)
    q.add_argument("--timeout", type=float, default=120.0)
    e = sub.add_parser("extraction")
    e.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    if args.what == "queries":
        texts = json.loads(Path(args.queries).read_text(encoding="utf-8"))
        result = rdflib_query_times(args.nquads, texts, args.repeats, args.timeout)
    else:
        result = extraction_comparison([Path(p) for p in args.paths])
    import resource

    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
