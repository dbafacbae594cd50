"""`gcmkg viz`, `gcmkg analytics`, `gcmkg chart`, `gcmkg report`: pictures of the graph (the `viz` extra)."""

from __future__ import annotations

import argparse
import csv
import sys

from gcmkg.cli import add_store_option

_NETWORKS = ["stakeholder-network", "state-objective", "objective-concern", "ego"]
_CHARTS = ["state-objective", "objective-concern"]


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--objective", metavar="N", help="only evidence naming this objective (13 or 'Objective 13')")
    p.add_argument("--concern", metavar="X", help="only evidence naming this concern (name, slug or IRI)")
    p.add_argument("--document", metavar="ID", help="only this document (its file name)")
    p.add_argument("--min-weight", type=float, default=1.0, metavar="W", help="drop links lighter than W (default 1)")
    p.add_argument("--top", type=int, metavar="N", help="keep the N most connected nodes")
    p.add_argument("--focus", metavar="ENTITY", help="ego network: the entity at the centre ('Objective 13', Portugal)")
    p.add_argument("--cap", type=int, default=300, metavar="N",
                   help="never draw more than N nodes (default 300); the page says when it cut")
    add_store_option(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("viz", help="draw a network view as an offline HTML page")
    p.add_argument("name", choices=_NETWORKS, metavar="NAME", help=", ".join(_NETWORKS))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    _filters(p)
    p.set_defaults(func=viz)

    p = sub.add_parser("analytics", help="centrality and communities of a network view; GraphML/GEXF for Gephi")
    p.add_argument("name", choices=_NETWORKS, metavar="NAME", help=", ".join(_NETWORKS))
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.add_argument("--graphml", metavar="FILE", help="also write the graph as GraphML")
    p.add_argument("--gexf", metavar="FILE", help="also write the graph as GEXF")
    p.add_argument("--limit", type=int, default=30, metavar="N", help="rows of the table (default 30; csv: all)")
    _filters(p)
    p.set_defaults(func=analytics)

    p = sub.add_parser("chart", help="a heatmap (PNG or SVG): state-objective or objective-concern")
    p.add_argument("name", choices=_CHARTS, metavar="NAME", help=", ".join(_CHARTS))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.png or FILE.svg")
    p.add_argument("--document", metavar="ID", help="only this document (its file name)")
    add_store_option(p)
    p.set_defaults(func=chart)

    p = sub.add_parser("report", help="a dossier page about an objective, state, concern or stakeholder")
    which = p.add_mutually_exclusive_group(required=True)
    for kind in ("objective", "state", "concern", "stakeholder"):
        which.add_argument(f"--{kind}", metavar="NAME")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    add_store_option(p)
    p.set_defaults(func=report)


def _make_filters(args: argparse.Namespace):
    from gcmkg.viz import Filters

    return Filters(objective=args.objective, concern=args.concern, document=args.document,
                   min_weight=args.min_weight, top=args.top, focus=args.focus, cap=args.cap)


def viz(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.viz import write_network

    with KnowledgeGraph(args.store, read_only=True) as kg:
        graph = write_network(kg.store, args.name, args.output, _make_filters(args))
    if graph.graph["message"]:
        print(f"gcmkg: note: {graph.graph['message']}", file=sys.stderr)
    print(f"wrote {args.output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links")
    return 0


def analytics(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.viz import network, rank, write_gexf, write_graphml

    with KnowledgeGraph(args.store, read_only=True) as kg:
        graph = network(kg.store, args.name, _make_filters(args), quotes=0)
    rows = rank(graph)
    if graph.graph["message"]:
        print(f"gcmkg: note: {graph.graph['message']}", file=sys.stderr)
    if args.graphml:
        write_graphml(graph, args.graphml)
    if args.gexf:
        write_gexf(graph, args.gexf)
    columns = ["rank", "label", "kind", "degree", "strength", "degree_centrality", "betweenness", "community", "iri"]
    if args.format == "csv":
        out = csv.writer(sys.stdout)
        out.writerow(columns)
        out.writerows([getattr(r, c) for c in columns] for r in rows)
        return 0
    print(f"{'rank':>4}  {'node':<32} {'kind':<12} {'degree':>6} {'weight':>7} {'deg.c':>6} {'betw.':>6} {'comm.':>5}")
    for r in rows[: args.limit]:
        print(f"{r.rank:>4}  {r.label[:32]:<32} {r.kind[:12]:<12} {r.degree:>6} {r.strength:>7g} "
              f"{r.degree_centrality:>6.3f} {r.betweenness:>6.3f} {r.community:>5}")
    communities = len({r.community for r in rows})
    print(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links, {communities} communities"
          + (f"; wrote {', '.join(f for f in (args.graphml, args.gexf) if f)}" if args.graphml or args.gexf else ""))
    return 0


def chart(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.viz import write_chart

    with KnowledgeGraph(args.store, read_only=True) as kg:
        m = write_chart(kg.store, args.name, args.output, args.document)
    print(f"wrote {args.output}: {len(m.rows)} rows x {len(m.columns)} objectives")
    return 0


def report(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.viz import write_report

    kind = next(k for k in ("objective", "state", "concern", "stakeholder") if getattr(args, k))
    with KnowledgeGraph(args.store, read_only=True) as kg:
        d = write_report(kg.store, kind, getattr(args, kind), args.output)
    print(f"wrote {args.output}: {d['title']} ({d['mentions']} passages, {sum(len(r) for _, r in d['sections'])} "
          f"linked entities, {len(d['practices'])} practices, {len(d['statements'])} recommendations)")
    return 0
