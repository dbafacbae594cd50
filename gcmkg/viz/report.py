"""Dossiers: one self-contained HTML page about an objective, a state, a concern or a stakeholder.

The page lists what the documents link to it (concerns, states, stakeholders, objectives), the practices and the
recommendations that concern it, the passages that name it with their documents, and its ego network.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import UnknownName
from gcmkg.viz.evidence import read_evidence
from gcmkg.viz.networks import Filters, network, quote
from gcmkg.viz.sparql import select

REPORT_KINDS = ("objective", "state", "concern", "stakeholder")
MAX_QUOTES = 80
NETWORK_NODES = 30
_SECTIONS = (("Objective", "Objectives"), ("Concern", "Concerns"), ("State", "States"),
             ("Stakeholder", "Stakeholders"), ("GuidingPrinciple", "Guiding principles"))


def dossier(store: ox.Store, kind: str, value: str | int) -> dict:
    """Everything a dossier page shows, as plain data (the page is `report_html`)."""
    from gcmkg.viz.resolve import resolve

    if kind not in REPORT_KINDS:
        raise UnknownName("report kind", kind, REPORT_KINDS)
    iri = resolve(store, str(value), kind)
    rows = select(store, "entity", entity=iri)
    if not rows or rows[0]["label"] is None:
        raise UnknownName(kind, str(value), [])
    entity = rows[0]
    name = str(entity["label"])
    title = f"Objective {entity['number']}: {name}" if kind == "objective" else name
    evidence = read_evidence(store)
    mentions, docs = evidence.mentions()
    linked: dict[str, list[dict]] = defaultdict(list)
    for (a, b), link in evidence.links(None).items():
        if iri not in (a, b):
            continue
        other = evidence.entities[b if a == iri else a]
        linked[other.kind].append({"name": other.name, "label": other.label, "windows": link.windows,
                                   "documents": len(link.documents), "iri": other.iri})
    sections = [(title_, sorted(linked[k], key=lambda r: (-r["windows"], r["name"].lower())))
                for k, title_ in _SECTIONS if linked.get(k)]
    raised = _raised(store, evidence, iri, kind)
    quotes = select(store, "quotes", entity=iri)
    graph = network(store, "ego", Filters(focus=iri, top=NETWORK_NODES))
    graph.graph["title"] = f"Ego network of {title}"
    return {
        "iri": iri, "kind": kind, "title": title, "name": name, "class_label": entity["classLabel"] or kind,
        "alt_labels": sorted(set(str(entity["altLabels"] or "").split("|")) - {""}),
        "definition": entity["definition"], "mentions": mentions.get(iri, 0), "documents": len(docs.get(iri, ())),
        "sections": sections, "raised": raised,
        "practices": select(store, "practices", entity=iri),
        "statements": select(store, "statements", entity=iri),
        "quotes": [quote(r) | {"how": r["how"]} for r in quotes[:MAX_QUOTES]], "quotes_total": len(quotes),
        "graph": graph,
    }


def _raised(store: ox.Store, evidence, iri: str, kind: str) -> dict | None:
    """Concerns an actor raises, or the actors raising a concern (attested gcm:raisesConcern)."""
    if kind not in ("state", "stakeholder", "concern"):
        return None
    key, other = ("actor", "concern") if kind != "concern" else ("concern", "actor")
    counts: dict[str, int] = defaultdict(int)
    for row in select(store, "raised-concerns"):
        if row[key] == iri:
            counts[row[other]] += int(row["passages"])
    names = {e: evidence.entities[e].name if e in evidence.entities else e.rsplit("/", 1)[-1] for e in counts}
    title = "Concerns it raises" if kind != "concern" else "Raised by"
    return {"title": title, "rows": sorted(({"name": names[e], "passages": n} for e, n in counts.items()),
                                           key=lambda r: (-r["passages"], r["name"].lower()))}


def report_html(store: ox.Store, kind: str, value: str | int) -> str:
    """The dossier as one offline HTML page (no remote file; every text escaped)."""
    return render_dossier(dossier(store, kind, value))


def render_dossier(d: dict) -> str:
    from markupsafe import Markup

    from gcmkg.viz.html import network_data, render, static_text, vis_network_js

    graph = d["graph"]
    data = network_data(graph)
    return render("report.html", d=d, graph=graph.graph, data=data, legend=data["legend"], height="640px",
                  nodes=graph.number_of_nodes(), edges=graph.number_of_edges(),
                  vis_js=Markup(vis_network_js()), network_js=Markup(static_text("network.js")))


def write_report(store: ox.Store, kind: str, value: str | int, path: str | Path) -> dict:
    """Write the dossier page to `path`; returns the dossier's data (title, counts, ...)."""
    from gcmkg.viz.html import write_text

    d = dossier(store, kind, value)
    write_text(path, render_dossier(d))
    return d
