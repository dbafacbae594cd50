"""Network views: who is linked to whom, and to which objectives and concerns, as networkx graphs and HTML pages.

`network(store, name, filters)` builds the graph (read from the store by the viz-*.rq queries);
`network_html(graph)` draws it as one offline HTML page (pyvis and vis-network, no remote file);
`write_network` does both. Node attributes: label, name, kind, cls, class_label, mentions, documents, strength,
quotes; edge attributes: weight, windows, documents, shared_concerns, title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import GcmkgError, UnknownName
from gcmkg.viz.evidence import Evidence, Link, read_evidence
from gcmkg.viz.sparql import select

DEFAULT_CAP = 300
QUOTE_CHARS = 400

NETWORKS = {
    "stakeholder-network": "States and stakeholders: linked when named in one passage or two neighbouring passages "
                           "(weight: such windows) and when they raise the same concerns (weight: shared concerns)",
    "state-objective": "States and GCM objectives named in one passage or two neighbouring passages",
    "objective-concern": "GCM objectives and concerns named in (or standing over) one passage or two neighbouring "
                         "passages",
    "ego": "Everything linked to one entity (--focus) in one passage or two neighbouring passages, and the links "
           "of two or more such windows among those",
}
_TITLES = {"stakeholder-network": "Stakeholder network", "state-objective": "States and objectives",
           "objective-concern": "Objectives and concerns", "ego": "Ego network"}
_PAIR_KINDS = {
    "stakeholder-network": ({"State", "Stakeholder"}, {"State", "Stakeholder"}),
    "state-objective": ({"State"}, {"Objective"}),
    "objective-concern": ({"Objective"}, {"Concern"}),
}
EGO_KINDS = {"State", "Stakeholder", "Objective", "Concern", "GuidingPrinciple"}


class ViewError(GcmkgError):
    """A view cannot be drawn with these options (for example an ego network without --focus)."""


@dataclass(frozen=True)
class Filters:
    """What a view shows: evidence windows naming an objective or concern, one document, strong links, top nodes."""

    objective: int | str | None = None  # 13, "Objective 13" or an IRI
    concern: str | None = None  # a concern's name, slug or IRI
    document: str | None = None  # a document's identifier (file name)
    min_weight: float = 1.0
    top: int | None = None
    focus: str | None = None  # ego network: a name or IRI
    cap: int = DEFAULT_CAP

    def describe(self) -> list[str]:
        """The active filters, in words."""
        parts = []
        if self.focus:
            parts.append(f"around {self.focus}")
        if self.objective is not None:
            parts.append(f"objective {self.objective}")
        if self.concern:
            parts.append(f"concern {self.concern}")
        if self.document:
            parts.append(f"document {self.document}")
        if self.min_weight > 1:
            parts.append(f"links of weight {self.min_weight:g} or more")
        if self.top:
            parts.append(f"top {self.top} nodes")
        return parts


def _nx():
    try:
        import networkx
    except ImportError:
        from gcmkg.errors import OptionalDependencyMissing

        raise OptionalDependencyMissing("networkx", "viz") from None
    return networkx


def network(store: ox.Store, name: str, filters: Filters | None = None, *, quotes: int = 3):
    """The networkx graph of one view (see NETWORKS), filtered, trimmed to the top nodes, with up to `quotes`
    passages per node."""
    from gcmkg.viz.resolve import resolve

    if name not in NETWORKS:
        raise UnknownName("network", name, NETWORKS)
    filters = filters or Filters()
    evidence = read_evidence(store, filters.document)
    if filters.document and not evidence.passages and filters.document not in _documents(store):
        raise UnknownName("document", filters.document, _documents(store))
    must = set()
    if filters.objective is not None:
        must.add(resolve(store, str(filters.objective), "objective"))
    concern = resolve(store, filters.concern, "concern") if filters.concern else None
    if concern:
        must.add(concern)
    focus = None
    if name == "ego":
        if not filters.focus:
            raise ViewError("the ego network needs --focus, e.g. --focus 'Objective 13' or --focus Portugal")
        from gcmkg.viz.ego import ego_links

        focus = resolve(store, filters.focus)
        links = ego_links(evidence, focus, must, EGO_KINDS)
    else:
        links = evidence.links(_PAIR_KINDS[name], must)
    if name == "stakeholder-network":
        _add_shared_concerns(store, evidence, links, filters, must, concern)
    graph = _graph(evidence, links, name, filters, focus)
    if quotes:
        attach_quotes(store, graph, quotes, filters.document)
    return graph


def _documents(store: ox.Store) -> list[str]:
    return sorted({r["document"] for r in select(store, "windows")})


def _add_shared_concerns(store: ox.Store, evidence: Evidence, links: dict[tuple[str, str], Link],
                         filters: Filters, must: set[str], concern: str | None) -> None:
    """Actors that raise the same concern (attested gcm:raisesConcern) share it; filters narrow the concerns."""
    objectives = {m for m in must if "/objective/" in m}
    allowed = None
    if objectives:
        allowed = {r["concern"] for o in objectives for r in select(store, "concern-objectives", objective=o)}
    raised: dict[str, set[str]] = {}
    for row in select(store, "raised-concerns", document=filters.document):
        c = row["concern"]
        if (concern and c != concern) or (allowed is not None and c not in allowed):
            continue
        actor = evidence.entities.get(row["actor"])
        if actor is not None and actor.kind in ("State", "Stakeholder"):
            raised.setdefault(c, set()).add(row["actor"])
    for c, actors in raised.items():
        ordered = sorted(actors)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                links.setdefault((a, b), Link()).shared.add(c)


def _graph(evidence: Evidence, links: dict[tuple[str, str], Link], name: str, filters: Filters,
           focus: str | None):
    nx = _nx()
    mentions, docs = evidence.mentions()
    graph = nx.Graph(view=name, title=_TITLES[name], description=NETWORKS[name], filters=filters.describe())
    for (a, b), link in links.items():
        weight = link.windows + len(link.shared)
        if weight < filters.min_weight:
            continue
        graph.add_edge(a, b, weight=weight, windows=link.windows, documents=len(link.documents),
                       shared_concerns=len(link.shared),
                       shared=sorted(evidence.entities[c].name for c in link.shared if c in evidence.entities))
    if focus:
        graph.add_node(focus)
    for iri in graph.nodes:
        e = evidence.entities.get(iri)
        graph.nodes[iri].update(
            label=e.label if e else iri.rsplit("/", 1)[-1], name=e.name if e else iri, kind=e.kind if e else "",
            cls=e.cls if e else "", mentions=mentions.get(iri, 0), documents=len(docs.get(iri, ())),
            focus=iri == focus)
    _trim(graph, filters, focus)
    for iri in graph.nodes:
        graph.nodes[iri]["strength"] = sum(d["weight"] for *_, d in graph.edges(iri, data=True))
        graph.nodes[iri]["degree"] = graph.degree(iri)
    if focus:
        focus_name = graph.nodes[focus]["name"]
        graph.graph["title"] = f"Ego network: {focus_name}"
    for a, b, d in graph.edges(data=True):
        d["title"] = edge_text(graph.nodes[a]["name"], graph.nodes[b]["name"], d)
    return graph


def _trim(graph, filters: Filters, focus: str | None) -> None:
    """Drop isolated nodes; above the cap (or --top), keep the nodes with the strongest links, and say so."""
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0 and n != focus])
    total = graph.number_of_nodes()
    graph.graph["total_nodes"] = total
    graph.graph["message"] = ""
    limits = [x for x in (filters.top, filters.cap) if x]
    limit = min(limits) if limits else None
    if limit is None or total <= limit:
        return

    def strength(n: str) -> tuple:
        return (n == focus, graph.degree(n, weight="weight"), graph.nodes[n]["mentions"], n)

    keep = set(sorted(graph.nodes, key=strength, reverse=True)[:limit])
    graph.remove_nodes_from([n for n in list(graph.nodes) if n not in keep])
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0 and n != focus])
    shown = graph.number_of_nodes()
    if filters.top and filters.top <= filters.cap:
        graph.graph["message"] = f"Showing the {shown} most connected of {total} nodes (--top {filters.top})."
    else:
        graph.graph["message"] = (
            f"This view has {total} nodes, more than the cap of {filters.cap}: showing the {shown} most connected. "
            "Narrow it with --objective, --concern, --document, --min-weight or --top.")


def edge_text(a: str, b: str, data: dict) -> str:
    """An edge's tooltip, in words."""
    parts = [f"{a} — {b}"]
    if data.get("windows"):
        parts.append(f"named together in {data['windows']} passage window(s) of {data['documents']} document(s)")
    if data.get("shared_concerns"):
        names = ", ".join(data.get("shared", [])[:5]) + (", …" if data["shared_concerns"] > 5 else "")
        parts.append(f"{data['shared_concerns']} shared concern(s): {names}")
    return "\n".join(parts)


def attach_quotes(store: ox.Store, graph, limit: int, document: str | None = None) -> None:
    """Up to `limit` passages per node (literal mentions first), each with its document."""
    found: dict[str, list[dict[str, str]]] = {iri: [] for iri in graph.nodes}
    for row in select(store, "quotes", document=document):  # one query: a bound ?entity is no faster
        quotes = found.get(row["entity"])
        if quotes is not None and len(quotes) < limit:
            quotes.append(quote(row))
    for iri, quotes in found.items():
        graph.nodes[iri]["quotes"] = quotes


def quote(row: dict) -> dict[str, str]:
    text = str(row["text"])
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return {"text": text, "document": str(row["document"]), "title": str(row["title"])}


def network_html(graph, *, height: str = "78vh") -> str:
    """One offline HTML page drawing `graph` (nothing loaded from another site; every text escaped)."""
    from gcmkg.viz.html import network_page

    return network_page(graph, height=height)


def write_network(store: ox.Store, name: str, path: str | Path, filters: Filters | None = None):
    """Build a view and write its page to `path`; returns the graph (its .graph['message'] says if it was cut)."""
    from gcmkg.viz.html import write_text

    graph = network(store, name, filters)
    write_text(path, network_html(graph))
    return graph
