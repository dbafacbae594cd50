"""Markdown tables from a results JSON, for the README's Performance section.

    python benchmarks/report.py [benchmarks/results/latest.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _ms(value: float | None, timed_out: bool = False) -> str:
    if value is None:
        return "n/a"
    text = f"{value:,.0f}" if value >= 10 else f"{value:.1f}"
    return f"> {text}" if timed_out else text


def render(results: dict, extra: dict | None = None) -> str:
    """The tables; targets `results` did not measure are taken from `extra` (the 10,000-document run), if given."""
    sizes = results["sizes"]
    head = "| | " + " | ".join(f"{s['docs']:,} docs" for s in sizes) + " |"
    rule = "| --- |" + " --- |" * len(sizes)

    def row(label: str, fn) -> str:
        return f"| {label} | " + " | ".join(fn(s) for s in sizes) + " |"

    lines = ["### Build", "", head, rule,
             row("text (MB)", lambda s: f"{s['mb']:.1f}"),
             row("passages", lambda s: f"{s['passages']:,}"),
             row("quads in the store", lambda s: f"{s['quads_in_store']:,}"),
             row("quads per KB of text", lambda s: f"{s['quads_per_kb']:.0f}"),
             row("build, end to end, reasoning included (s)", lambda s: f"{s['build_seconds']:.1f}"),
             row("MB of text per second, end to end", lambda s: f"{s['mb_per_s']:.2f}"),
             row("passages per second, end to end", lambda s: f"{s['passages_per_s']:,.0f}"),
             row("peak memory, process + workers (MB)", lambda s: f"{s['peak_rss_mb']:,.0f}"),
             row("store on disk (MB)", lambda s: f"{s['store_mb']:,.0f}"),
             row("load average before / after", lambda s: f"{s['load_before'][0]:.1f} / {s['load_after'][0]:.1f}"),
             "", "### Named queries: median latency in ms, Oxigraph (rdflib baseline, ratio)", "", head, rule]
    names = sorted({n for s in sizes for n in s["queries"]})
    for name in names:
        def cell(s: dict, name: str = name) -> str:
            ours = s["queries"].get(name)
            if ours is None:
                return "n/a"
            text = _ms(ours["median_ms"])
            base = (s.get("baseline") or {}).get("queries", {}).get(name)
            if base and base.get("error"):
                text += " (rdflib fails)"
            elif base and base["median_ms"] is not None:
                ratio = base["median_ms"] / ours["median_ms"]
                bound = "≥ " if base["timed_out"] else ""
                shown = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"
                text += f" ({_ms(base['median_ms'] / 1000, base['timed_out'])} s, {bound}{shown}x)"
            return text
        lines.append(row(f"`{name}`", cell))
    inc = results.get("incremental")
    if inc:
        cli = inc["one_changed_cli"]
        lines += ["", f"### Incremental rebuild ({inc['docs']:,}-document store)", "",
                  "| rebuild | seconds |", "| --- | --- |",
                  f"| nothing changed | {inc['unchanged_seconds']:.2f} |",
                  "| one document changed, `build(reason=False)` | "
                  f"{inc['one_changed_seconds_without_reasoning']:.2f} |",
                  f"| one document changed, `build()` (default: reasoning on) | "
                  f"{'> ' if inc['one_changed_timed_out'] else ''}{inc['one_changed_seconds']:.2f} |",
                  f"| one document changed, `gcmkg build` (start-up included) | "
                  f"{'> ' if cli['timed_out'] else ''}{cli['seconds']:.2f} |"]
    ph = results.get("phases")
    if ph:
        ms = ph["ms_per_document"]
        lines += ["", f"### Where a build's time goes (one process, {ph['documents']} documents, ms per document)", "",
                  "| load | extract | triples + link summaries | serialise | reason | store | MB/s "
                  "| MB/s without storage |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |",
                  "| " + " | ".join(f"{ms[k]:.1f}" for k in ("load", "extract", "triples", "serialise", "reason",
                                                             "store"))
                  + f" | {ph['mb_per_s_one_process']:.2f} | {ph['mb_per_s_one_process_without_storage']:.2f} |", "",
                  f"{ph['quads_per_document']:,.0f} quads per document; the store writes "
                  f"{ph['store_quads_per_s']:,.0f} quads per second in bulk loads of 8 documents (new documents)"
                  + (f", {ph['store_transactional_quads_per_s']:,.0f} in one transaction per document (changed "
                     f"documents: {ph['store_transactional_ms_per_document']:.1f} ms each)."
                     if ph.get("store_transactional_quads_per_s") else ".")]
    ex = results["extraction_baseline"]
    lines += ["", "### Extraction against a naive regex loop", "",
              f"On {ex['documents']} documents ({ex['mb']:.2f} MB), one process: our extractor "
              f"{ex['ours_mb_per_s']:.2f} MB/s, one `re.search` per name ({ex['patterns']:,} names) "
              f"{ex['naive_mb_per_s']:.3f} MB/s: **{ex['speedup']:.1f}x** (and the naive loop finds names only)."]
    cli = results["cli"]
    lines += ["", "### CLI", "", "| command (fresh process, demo store) | median wall time (s) |", "| --- | --- |"]
    lines += [f"| `{c['command']}` | {c['median_seconds']:.2f} |" for c in (cli["objective_concerns"], cli["help"])]
    lines += ["", "### Targets", "", "| target | goal | measured | met |", "| --- | --- | --- | --- |"]
    for name, t in results["targets"].items():
        source = ""
        if t["measured"] is None and extra and extra["targets"].get(name, {}).get("measured") is not None:
            t, source = extra["targets"][name], " (`10000.json`)"
        measured = "not measured" if t["measured"] is None else f"{t['measured']:,.2f} {t['unit']}{source}"
        lines.append(f"| {name} | {t['target']:,} | {measured} | "
                     f"{ {True: 'yes', False: '**no**', None: '-'}[t['met']]} |")
    m = results["machine"]
    lines += ["", f"Machine: {m['cpus']} cores, {m['memory_gb']:.0f} GB, Python {m['python']}, pyoxigraph "
              f"{m['pyoxigraph']}, rdflib {m['rdflib']}; load average {m['loadavg_at_start'][0]:.1f} at the start, "
              f"{m['loadavg_at_end'][0]:.1f} at the end (the machine is shared). Run: `{results['command']}`, "
              f"started {results['started']}, {results['seconds'] / 60:.0f} minutes."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results" / "latest.json"
    big = path.with_name("10000.json")  # the 10,000-document run, measured on its own
    extra = json.loads(big.read_text(encoding="utf-8")) if big.exists() and big != path else None
    print(render(json.loads(path.read_text(encoding="utf-8")), extra))
