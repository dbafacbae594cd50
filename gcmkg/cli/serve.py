"""`gcmkg serve`: the store as a SPARQL 1.1 Protocol endpoint, with a query page at /."""

from __future__ import annotations

import argparse
import sys

from gcmkg.cli import add_store_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the store as a SPARQL 1.1 endpoint (/sparql) with a query page (/)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds before a query is stopped (default: 30)")
    p.add_argument("--max-rows", type=int, default=10_000, help="cap on result rows (default: 10000)")
    p.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES",
                   help="largest request body or query string (default: 1000000)")
    p.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    p.add_argument("--allow-update", action="store_true", help="accept SPARQL updates (refused with 403 otherwise)")
    p.add_argument("--allow-federation", action="store_true",
                   help="allow SERVICE (and LOAD with --allow-update), which make the server fetch URLs")
    p.add_argument("--cors", nargs="+", default=[], metavar="ORIGIN", help="origins allowed cross-origin requests")
    p.add_argument("--allowed-hosts", nargs="+", default=[], metavar="HOST",
                   help="Host header values accepted (default: the loopback names when --host is loopback)")
    add_store_option(p)
    p.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    from gcmkg.graph.store import store_path
    from gcmkg.server import ServerConfig
    from gcmkg.server import serve as run

    config = ServerConfig(store=str(store_path(args.store)), host=args.host, port=args.port, timeout=args.timeout,
                          max_rows=args.max_rows, max_body=args.max_body, allow_update=args.allow_update,
                          allow_federation=args.allow_federation, cors=args.cors,
                          allowed_hosts=args.allowed_hosts, workers=args.workers)
    print(f"gcmkg: SPARQL endpoint at http://{args.host}:{args.port}/sparql, query page at "
          f"http://{args.host}:{args.port}/ (store {config.store}; Ctrl-C to stop)", file=sys.stderr)
    run(config)
    return 0
