"""`gcmkg queries` (the named queries and their questions) and `gcmkg query` (run one, or any SPARQL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gcmkg.cli import EXIT_USAGE, add_store_option
from gcmkg.errors import GcmkgError


def _param_names() -> list[str]:
    from gcmkg.queries.catalog import all_queries

    try:
        return sorted({p.name for q in all_queries() for p in q.params})
    except GcmkgError:
        return []


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queries", help="list the named queries and the questions they answer")
    p.add_argument("--verbose", "-v", action="store_true", help="also show parameters and an example")
    p.set_defaults(func=list_queries)

    p = sub.add_parser(
        "query", help="run a named query or SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        description="Run a named query (see 'gcmkg queries') with parameters in human forms, e.g. "
                    "'gcmkg query objective-concerns --objective 13', or ad-hoc SPARQL with --sparql or --file.")
    p.add_argument("name", nargs="?", metavar="NAME", help="a named query")
    p.add_argument("--sparql", metavar="QUERY", help="SPARQL text to run instead of a named query")
    p.add_argument("--file", metavar="Q.rq", type=Path, help="a file of SPARQL to run instead of a named query")
    for name in _param_names():
        p.add_argument(f"--{name}", metavar="VALUE", help=argparse.SUPPRESS)
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter (also as --NAME VALUE; 'gcmkg queries -v' lists each query's parameters)")
    p.add_argument("--format", choices=["table", "csv", "json", "markdown"], default="table")
    p.add_argument("--limit", type=int, metavar="N", help="at most N rows")
    p.add_argument("--endpoint", metavar="URL",
                   help="run on a SPARQL 1.1 endpoint (e.g. http://127.0.0.1:7878/query) instead of the store")
    add_store_option(p)
    p.set_defaults(func=run_query)


def list_queries(args: argparse.Namespace) -> int:
    from gcmkg.queries.catalog import all_queries

    queries = all_queries()
    width = max(len(q.name) for q in queries)
    for q in queries:
        print(f"{q.name:<{width}}  {q.question}")
        if args.verbose:
            for prm in q.params:
                need = "required" if prm.required else "optional"
                print(f"{'':<{width}}    --{prm.name} ({prm.type}, {need}): {prm.description}")
            if q.example:
                print(f"{'':<{width}}    e.g. gcmkg query {q.name} {q.example}")
    return 0


def run_query(args: argparse.Namespace) -> int:
    from gcmkg.queries.output import render

    sources = [s for s in (args.name, args.sparql, args.file) if s]
    if len(sources) != 1:
        print("gcmkg query: error: give one of NAME, --sparql or --file ('gcmkg queries' lists the names)",
              file=sys.stderr)
        return EXIT_USAGE
    if args.file:
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise GcmkgError(f"{args.file}: {exc.strerror or exc}") from None
    else:
        text = args.sparql or args.name
    params = {name: getattr(args, name) for name in _param_names() if getattr(args, name, None) is not None}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            raise GcmkgError(f"--param {item!r}: expected NAME=VALUE")
        params[key.strip().lstrip("-")] = value
    if args.endpoint:
        from gcmkg.queries.run import query_endpoint

        result = query_endpoint(args.endpoint, text, params, limit=args.limit)
    else:
        from gcmkg.graph.kg import KnowledgeGraph

        with KnowledgeGraph(args.store, read_only=True) as kg:
            result = kg.query(text, limit=args.limit, **params)
    print(render(result, args.format))
    return 0
