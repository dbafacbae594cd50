"""Heatmaps: states x objectives and concerns x objectives (matplotlib, Agg backend, PNG or SVG).

A cell counts the passage windows (one passage, or two neighbouring ones) naming both. The figure grows with the
number of rows (0.22 inch a row), so 50 or 200 states stay readable and their labels never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import GcmkgError, OptionalDependencyMissing, UnknownName

CHARTS = {
    "state-objective": "States (rows) x GCM objectives (columns): passage windows naming both",
    "objective-concern": "Concerns (rows) x GCM objectives (columns): passage windows naming both",
}
ROW_INCHES = 0.22
COL_INCHES = 0.34


@dataclass
class Matrix:
    title: str
    rows: list[str]
    columns: list[str]
    values: list[list[int]]  # values[row][column]


def matrix(store: ox.Store, name: str, document: str | None = None) -> Matrix:
    """The counts behind a chart: every row entity named with an objective, all 23 objectives as columns."""
    from gcmkg.viz.evidence import read_evidence

    if name not in CHARTS:
        raise UnknownName("chart", name, CHARTS)
    row_kind = "State" if name == "state-objective" else "Concern"
    evidence = read_evidence(store, document)
    links = evidence.links(({row_kind}, {"Objective"}))
    objectives = {e.iri: int(e.number) for e in evidence.entities.values() if e.kind == "Objective" and e.number}
    counts: dict[str, dict[int, int]] = {}
    for (a, b), link in links.items():
        row, col = (a, b) if a not in objectives else (b, a)
        counts.setdefault(row, {})[objectives[col]] = link.windows
    names = {iri: evidence.entities[iri].name for iri in counts}
    rows = sorted(counts, key=lambda r: names[r].lower())
    columns = list(range(1, 24))
    return Matrix(CHARTS[name], [names[r] for r in rows], [str(c) for c in columns],
                  [[counts[r].get(c, 0) for c in columns] for r in rows])


def figure(m: Matrix):
    """A matplotlib Figure of the matrix, sized so every row label has its own line."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise OptionalDependencyMissing("matplotlib", "viz") from None
    import numpy as np

    values = np.array(m.values, dtype=float) if m.rows else np.zeros((1, len(m.columns)))
    label_inches = 0.075 * max([len(r) for r in m.rows] + [10])
    width = max(7.0, label_inches + COL_INCHES * len(m.columns) + 1.6)
    height = max(3.5, ROW_INCHES * max(1, len(m.rows)) + 1.8)
    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((label_inches / width, 1.0 / height, (COL_INCHES * len(m.columns)) / width,
                       (ROW_INCHES * max(1, len(m.rows))) / height))
    masked = np.ma.masked_equal(values, 0)
    cmap = plt.get_cmap("YlOrRd").with_extremes(bad="#f4f6f8")
    image = ax.imshow(masked, aspect="auto", cmap=cmap, interpolation="nearest",
                      vmin=1, vmax=max(2.0, float(values.max())))
    ax.set_xticks(range(len(m.columns)), m.columns, fontsize=8)
    ax.set_yticks(range(len(m.rows)), m.rows, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_xlabel("GCM objective", fontsize=9)
    ax.xaxis.set_label_position("top")
    ax.set_xticks(np.arange(-0.5, len(m.columns), 1), minor=True)
    ax.set_yticks(np.arange(-0.5, max(1, len(m.rows)), 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    for i, row in enumerate(m.values):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=6.5,
                        color="white" if v > 0.6 * values.max() else "#222222")
    cax = fig.add_axes(((label_inches + COL_INCHES * len(m.columns) + 0.25) / width, 1.0 / height,
                        0.15 / width, min(2.5, ROW_INCHES * max(1, len(m.rows))) / height))
    fig.colorbar(image, cax=cax).ax.tick_params(labelsize=7)
    fig.text(0.01, 0.012, m.title if m.rows else m.title + " (no data)", fontsize=8, color="#444444")
    return fig


def write_chart(store: ox.Store, name: str, path: str | Path, document: str | None = None) -> Matrix:
    """Write a heatmap as PNG or SVG (from the file's suffix); returns its matrix."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise UnknownName("chart file type", path.suffix or path.name, [".png", ".svg"])
    m = matrix(store, name, document)
    fig = figure(m)
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    try:
        fig.savefig(tmp, format=path.suffix[1:].lower())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise GcmkgError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return m
