"""Query results as text: an aligned table, CSV, JSON or Markdown.

csv and json keep every column (IRIs and labels). table and markdown are for reading: they show an
entity's label instead of its IRI, leave out the columns of the bound parameters (the same in every
row), and shorten the remaining IRIs with the project's prefixes; table also cuts long text.
"""

from __future__ import annotations

import json

from gcmkg.ontology.namespace import ID_NS, PREFIXES

FORMATS = ("table", "csv", "json", "markdown")
_CELL = 90


def _short(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if text.startswith(ID_NS):
        return "id:" + text[len(ID_NS):]
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri) and prefix != "id":
            return f"{prefix}:{text[len(iri):]}"
    return text


def readable(frame):
    """The columns a person reads: labels for IRIs, no parameter columns."""
    params = set(frame.attrs.get("params", []))
    iris = set(frame.attrs.get("iri_columns", []))
    keep, names = [], []
    for column in frame.columns:
        base = column[:-len("_label")] if column.endswith("_label") else column
        if base in params and len(frame.columns) > 2:
            continue
        if column in iris and f"{column}_label" in frame.columns:
            continue
        keep.append(column)
        names.append(base if column.endswith("_label") and base in iris else column)
    view = frame[keep].copy()
    view.columns = names
    return view


def render(result, fmt: str = "table") -> str:
    """Text for a DataFrame (SELECT, CONSTRUCT, DESCRIBE) or a bool (ASK)."""
    if isinstance(result, bool):
        return json.dumps(result) if fmt == "json" else ("true" if result else "false")
    if fmt == "csv":
        return result.to_csv(index=False).rstrip("\n")
    if fmt == "json":
        records = [{k: (None if v != v else v) if isinstance(v, float) else v for k, v in row.items()}
                   for row in result.to_dict(orient="records")]
        return json.dumps(records, ensure_ascii=False, indent=2, default=str)
    view = readable(result)
    if fmt == "markdown":
        return _markdown(view)
    return _table(view)


def _markdown(view) -> str:
    def cell(v: object) -> str:
        return _short(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in view.columns) + " |",
             "| " + " | ".join("---:" if view[c].map(lambda v: isinstance(v, (int, float))).all() and len(view)
                               else "---" for c in view.columns) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in view.itertuples(index=False)]
    if view.empty:
        lines.append("| " + " | ".join("" for _ in view.columns) + " |")
    return "\n".join(lines) + f"\n\n{len(view)} row{'s' if len(view) != 1 else ''}"


def _table(view) -> str:
    def cell(v: object) -> str:
        text = _short(v).replace("\n", " ")
        return text if len(text) <= _CELL else text[:_CELL - 1] + "…"

    rows = [[cell(v) for v in row] for row in view.itertuples(index=False)]
    header = [str(c) for c in view.columns]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    numeric = [bool(rows) and all(r[i].lstrip("-").isdigit() or not r[i] for r in rows) for i in range(len(header))]

    def line(values: list[str]) -> str:
        cells = zip(values, widths, numeric, strict=True)
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in cells).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
