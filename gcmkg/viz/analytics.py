"""Graph analytics on the network views: centrality, communities, and exports for Gephi (GraphML, GEXF).

Betweenness reads a link's weight as closeness (distance = 1 / weight): strongly linked actors are near.
Communities are networkx's greedy modularity communities on the weighted graph (deterministic).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gcmkg.errors import GcmkgError

_SCALAR_NODE = ("label", "name", "kind", "cls", "mentions", "documents", "strength", "degree")
_SCALAR_EDGE = ("weight", "windows", "documents", "shared_concerns")


@dataclass
class Ranked:
    rank: int
    iri: str
    label: str
    kind: str
    degree: int
    strength: float
    degree_centrality: float
    betweenness: float
    community: int


def measure(graph) -> list[Ranked]:
    """Every node with its centralities and community, ranked by betweenness, then weighted degree."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return []
    for _, _, d in graph.edges(data=True):
        d["distance"] = 1.0 / max(float(d.get("weight", 1)), 1e-9)
    degree = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else {n: 0.0 for n in graph}
    between = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    communities = nx.community.greedy_modularity_communities(graph, weight="weight") if graph.number_of_edges() \
        else [{n} for n in graph]
    community = {n: i + 1 for i, members in enumerate(communities) for n in members}
    for _, _, d in graph.edges(data=True):
        del d["distance"]
    rows = [Ranked(0, n, graph.nodes[n].get("label", n), graph.nodes[n].get("kind", ""), graph.degree(n),
                   float(graph.degree(n, weight="weight")), round(degree[n], 4), round(between[n], 4), community[n])
            for n in graph.nodes]
    rows.sort(key=lambda r: (-r.betweenness, -r.strength, r.label.lower()))
    for i, r in enumerate(rows, 1):
        r.rank = i
    return rows


def rank(graph) -> list[Ranked]:
    """The ranked table of `measure`, and the measures stored on the graph's nodes (for the exports)."""
    rows = measure(graph)
    for r in rows:
        graph.nodes[r.iri].update(degree_centrality=r.degree_centrality, betweenness=r.betweenness,
                                  community=r.community)
    return rows


def scalar_copy(graph):
    """The graph with only scalar attributes (GraphML and GEXF hold no lists); node ids stay IRIs."""
    import networkx as nx

    out = nx.Graph(name=graph.graph.get("title", ""))
    for n, d in graph.nodes(data=True):
        out.add_node(n, **{k: d[k] for k in (*_SCALAR_NODE, "degree_centrality", "betweenness", "community")
                           if d.get(k) is not None})
    for a, b, d in graph.edges(data=True):
        out.add_edge(a, b, **{k: d[k] for k in _SCALAR_EDGE if d.get(k) is not None})
    return out


def write_graphml(graph, path: str | Path) -> None:
    import networkx as nx

    _write(lambda p: nx.write_graphml(scalar_copy(graph), p), path)


def write_gexf(graph, path: str | Path) -> None:
    import networkx as nx

    _write(lambda p: nx.write_gexf(scalar_copy(graph), p), path)


def _write(writer, path: str | Path) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        writer(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise GcmkgError(f"{path}: cannot write ({exc.strerror or exc})") from None
