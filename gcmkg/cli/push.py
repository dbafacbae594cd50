"""`gcmkg push URL`: copy the store to a remote SPARQL store, one named graph at a time (resumable)."""

from __future__ import annotations

import argparse

from gcmkg.cli import add_store_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "push", help="upload the graph to a remote SPARQL store (Graph Store Protocol or SPARQL Update)",
        description="Upload every named graph to a remote store; graphs already there in the same version are "
                    "skipped, so a push can be repeated or resumed. URL is the Graph Store Protocol endpoint "
                    "(Oxigraph: http://HOST:7878/store, Fuseki: http://HOST:3030/DATASET/data), or with "
                    "--via update the SPARQL Update endpoint.")
    p.add_argument("url", metavar="URL")
    p.add_argument("--via", choices=["gsp", "update"], default="gsp",
                   help="Graph Store Protocol PUT (default) or SPARQL Update")
    p.add_argument("--query-endpoint", metavar="URL",
                   help="with --via update: where to read what is already there (default: the sibling /query)")
    p.add_argument("--force", action="store_true", help="send every graph, even unchanged ones")
    add_store_option(p)
    p.set_defaults(func=push)


def push(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph
    from gcmkg.queries.push import push as run

    with KnowledgeGraph(args.store, read_only=True) as kg:
        report = run(kg.store, args.url, via=args.via, query_url=args.query_endpoint, force=args.force)
    print(f"pushed {len(report.pushed)} graphs ({report.triples} triples), {len(report.unchanged)} unchanged; "
          f"{report.seconds:.1f} s")
    return 0
