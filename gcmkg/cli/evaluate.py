"""`gcmkg evaluate GOLD_DIR`: precision and recall of the store against human gold annotations."""

from __future__ import annotations

import argparse

from gcmkg.cli import EXIT_FAILED, add_store_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score the store against gold annotations (precision, recall, misses)")
    p.add_argument("gold", metavar="GOLD_DIR", help="folder of gold JSON files, one per document")
    p.add_argument("--json", action="store_true", help="the full report as JSON")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                   help="exit 1 when a metric is below VALUE (e.g. --min links.r=0.85)")
    add_store_option(p)
    p.set_defaults(func=evaluate)


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def evaluate(args: argparse.Namespace) -> int:
    from gcmkg.evaluation import METRICS, evaluate
    from gcmkg.graph.store import open_store

    report = evaluate(open_store(args.store, read_only=True), args.gold)
    if args.json:
        print(report.to_json())
    else:
        header = f"{'document':<36}" + "".join(f"{m:>17}" for m in METRICS)
        print(header)
        for d in report.documents:
            values = {m: (d.counts[m][0] / d.counts[m][1] if d.counts.get(m, [0, 0])[1] else None) for m in METRICS}
            print(f"{d.document[:35]:<36}" + "".join(f"{_fmt(values[m]):>17}" for m in METRICS))
        print(f"{'ALL':<36}" + "".join(f"{_fmt(report.value(m)):>17}" for m in METRICS))
        print()
        for d in report.documents:
            problems = [f"  missed {k}: {', '.join(v)}" for k, v in d.missed.items() if v]
            problems += [f"  false {k}: {', '.join(v)}" for k, v in d.wrong.items() if v]
            if problems or not d.found:
                print(d.document + ("" if d.found else "  (not in the store)"))
                print("\n".join(problems))
    failed = []
    for floor in args.min:
        metric, _, value = floor.partition("=")
        got = report.value(metric)
        if got is None or got < float(value):
            failed.append(f"{metric}={_fmt(got).strip()}<{value}")
    if failed:
        print("below floor: " + " ".join(failed))
        return EXIT_FAILED
    return 0
