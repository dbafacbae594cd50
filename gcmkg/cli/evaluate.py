"""`gcmkg evaluate GOLD_DIR`: precision and recall of the store against human gold annotations."""

from __future__ import annotations

import argparse

from gcmkg.cli import EXIT_FAILED, add_store_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score the store against gold annotations (precision, recall, misses)")
    p.add_argument("gold", metavar="GOLD_DIR", help="folder of gold JSON files, one per document")
    p.add_argument("--json", action="store_true", help="the full report as JSON")
    p.add_argument("--stances", metavar="FILE",
                   help="also score stance extraction on a hand-checked set (default: GOLD_DIR/stances.json)")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                   help="exit 1 when a metric is below VALUE (e.g. --min links.r=0.85)")
    add_store_option(p)
    p.set_defaults(func=evaluate)


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def _stances(args: argparse.Namespace):
    """Stance accuracy on a hand-checked set of passages (gcmkg.extraction.stance.evaluate_stances)."""
    from pathlib import Path

    from gcmkg.extraction.stance import evaluate_stances

    path = Path(args.stances) if args.stances else Path(args.gold) / "stances.json"
    if not path.is_file():
        if args.stances:
            from gcmkg.errors import GcmkgError

            raise GcmkgError(f"{path}: no such stance set")
        return None
    try:
        report = evaluate_stances(path)
    except (ValueError, KeyError, TypeError) as exc:
        from gcmkg.errors import GcmkgError

        raise GcmkgError(f"{path}: not a stance set ({str(exc).splitlines()[0]})") from None
    print(f"\nstances: accuracy {report.accuracy:.2f} ({report.correct} of {report.items} passages)")
    for kind, (right, total) in sorted(report.by_kind.items()):
        print(f"  {kind:<28}{right}/{total}")
    return report


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
    stance_report = _stances(args)
    failed = []
    for floor in args.min:
        metric, _, value = floor.partition("=")
        got = stance_report.accuracy if metric == "stances.accuracy" and stance_report else report.value(metric)
        if got is None or got < float(value):
            failed.append(f"{metric}={_fmt(got).strip()}<{value}")
    if failed:
        print("below floor: " + " ".join(failed))
        return EXIT_FAILED
    return 0
