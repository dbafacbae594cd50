"""The SPARQL 1.1 Protocol endpoint as a Starlette app: /sparql, its service description, and the page at /.

Read-only unless `allow_update`; SERVICE and LOAD (which make the engine fetch URLs) refused unless
`allow_federation`; every error is one line of text with a status code (400 malformed, 403 refused,
406 no acceptable format, 413 body too large, 415 content type, 503 timeout), never a stack trace.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import pyoxigraph as ox

from gcmkg.errors import QueryError
from gcmkg.queries.sparqltext import query_form, remote_access
from gcmkg.server import page
from gcmkg.server.pool import QueryTimeout, WorkerPool
from gcmkg.server.results import SHORT_NAMES

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


@dataclass
class ServerConfig:
    store: str
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    allow_update: bool = False
    allow_federation: bool = False
    cors: list[str] = field(default_factory=list)
    allowed_hosts: list[str] = field(default_factory=list)
    workers: int = 2

    def hosts(self) -> list[str]:
        if self.allowed_hosts:
            return self.allowed_hosts
        if self.host in ("127.0.0.1", "localhost", "::1"):
            return ["127.0.0.1", "localhost", "::1", "[::1]"]
        return ["*"]


def create_app(config: ServerConfig):
    """The ASGI app; the worker pools start with the app and stop with it."""
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    readers = WorkerPool(config.store, config.workers)
    writers = WorkerPool(config.store, 1, writable=True) if config.allow_update else None
    examples: dict = {"at": 0.0, "queries": []}

    def text(status: int, message: str) -> Response:
        return PlainTextResponse(message.strip() + "\n", status_code=status)

    async def body_of(request: Request) -> bytes | Response:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > config.max_body:
            return text(413, f"request body over {config.max_body} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > config.max_body:
                return text(413, f"request body over {config.max_body} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def run(pool: WorkerPool, payload: dict) -> Response:
        try:
            status, media, body, headers = await pool.run(payload, config.timeout)
        except QueryTimeout as exc:
            return text(503, str(exc))
        except QueryError as exc:
            return text(500, str(exc))
        return Response(body, status_code=status, media_type=media, headers=headers)

    async def query(request: Request, text_: str, params: dict) -> Response:
        form = query_form(text_)
        if form == "UPDATE":
            return text(403, "updates are not accepted as a query; send them as 'update' (and start the "
                             "server with --allow-update)")
        if remote_access(text_) and not config.allow_federation:
            return text(403, "SERVICE is not allowed on this endpoint (start it with --allow-federation)")
        accept = request.headers.get("accept", "*/*")
        if params.get("format"):
            accept = SHORT_NAMES.get(params["format"][0].lower(), params["format"][0])
        try:
            default = [ox.NamedNode(g).value for g in params.get("default-graph-uri", [])]
            named = [ox.NamedNode(g).value for g in params.get("named-graph-uri", [])]
        except ValueError as exc:
            return text(400, f"bad graph IRI: {exc}")
        return await run(readers, {"op": "query", "text": text_, "accept": accept, "max_rows": config.max_rows,
                                   "default_graph": default, "named_graphs": named})

    async def update(text_: str) -> Response:
        if writers is None:
            return text(403, "this endpoint is read-only (start it with --allow-update to accept updates)")
        if remote_access(text_) and not config.allow_federation:
            return text(403, "LOAD and SERVICE are not allowed on this endpoint (start it with --allow-federation)")
        return await run(writers, {"op": "update", "text": text_})

    def description(request: Request) -> Response:
        endpoint = ox.NamedNode(str(request.url.replace(query="")))
        s = ox.BlankNode()
        a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        sd = lambda name: ox.NamedNode(SD + name)  # noqa: E731
        triples = [ox.Triple(s, a, sd("Service")), ox.Triple(s, sd("endpoint"), endpoint),
                   ox.Triple(s, sd("supportedLanguage"), sd("SPARQL11Query")),
                   ox.Triple(s, sd("feature"), sd("UnionDefaultGraph"))]
        if config.allow_update:
            triples.append(ox.Triple(s, sd("supportedLanguage"), sd("SPARQL11Update")))
        if config.allow_federation:
            triples.append(ox.Triple(s, sd("feature"), sd("BasicFederatedQuery")))
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                     "Turtle", "N-Triples", "JSON-LD"):
            triples.append(ox.Triple(s, sd("resultFormat"), ox.NamedNode(FORMATS + name)))
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sd": SD, "formats": FORMATS})
        return Response(body, media_type="text/turtle; charset=utf-8")

    async def sparql(request: Request) -> Response:
        params = parse_qs(request.url.query, keep_blank_values=True)
        if len(request.url.query) > config.max_body:
            return text(413, f"query string over {config.max_body} bytes")
        if request.method == "GET":
            if "update" in params:
                return text(403, "updates must be sent with POST, and this endpoint is read-only"
                            if writers is None else "updates must be sent with POST")
            if "query" not in params:
                return description(request)
            return await query(request, params["query"][0], params)
        body = await body_of(request)
        if isinstance(body, Response):
            return body
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if media == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
                merged = {**params, **form}
                if "update" in form:
                    return await update(form["update"][0])
                if "query" in form:
                    return await query(request, form["query"][0], merged)
                return text(400, "the form has neither 'query' nor 'update'")
            if media == "application/sparql-query":
                return await query(request, body.decode("utf-8"), params)
            if media == "application/sparql-update":
                return await update(body.decode("utf-8"))
        except UnicodeDecodeError:
            return text(400, "the request body is not UTF-8")
        return text(415, "send application/sparql-query, application/sparql-update or a form "
                         "(application/x-www-form-urlencoded)")

    async def home(request: Request) -> Response:
        if time.monotonic() - examples["at"] > 30 or not examples["queries"]:
            try:
                status, _, body, _ = await readers.run({"op": "examples"}, config.timeout)
                if status == 200:
                    import json

                    examples["queries"], examples["at"] = json.loads(body), time.monotonic()
            except QueryError:
                pass
        nonce = secrets.token_urlsafe(16)
        html = page.render(examples["queries"], nonce=nonce, endpoint="/sparql", max_rows=config.max_rows,
                           timeout=config.timeout, allow_update=config.allow_update)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        return HTMLResponse(html, headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                           "Referrer-Policy": "no-referrer"})

    async def failure(request: Request, exc: Exception) -> Response:
        return text(500, "internal error")

    @asynccontextmanager
    async def lifespan(app):
        await readers.start()
        if writers is not None:
            await writers.start()
        try:
            yield
        finally:
            readers.close()
            if writers is not None:
                writers.close()

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=config.hosts())]
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=config.cors, allow_methods=["GET", "POST"],
                                     allow_headers=["Content-Type", "Accept"]))
    routes = [Route("/", home, methods=["GET"]), Route("/sparql", sparql, methods=["GET", "POST"])]
    try:  # network views and dossiers (gcmkg.viz), when the `viz` extra is installed
        import networkx  # noqa: F401
        import pyvis  # noqa: F401

        from gcmkg.viz.routes import viz_routes

        routes += viz_routes(config.store)
    except ImportError:
        pass
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={Exception: failure})


def serve(config: ServerConfig) -> None:
    """Run the endpoint until interrupted (uvicorn on config.host:config.port)."""
    from pathlib import Path

    from gcmkg.errors import OptionalDependencyMissing, StoreError

    if not Path(config.store).is_dir():
        raise StoreError(f"{config.store}: no store here; run 'gcmkg build' first")
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        raise OptionalDependencyMissing("starlette and uvicorn", "server") from None
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="warning",
                server_header=False, proxy_headers=False)
