"""Starlette routes serving the views: /network/{name}?objective=&concern=&document=&min_weight=&top=&focus=
and /report/{kind}/{value}. Each request opens the store read-only (beside the server's own workers) and runs the
same library call as the CLI in a thread."""

from __future__ import annotations

from pathlib import Path

from gcmkg.errors import GcmkgError, UnknownName

_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"


def _network_page(store_path: str, name: str, params: dict[str, str]) -> str:
    import pyoxigraph as ox

    from gcmkg.viz.networks import Filters, network, network_html

    def number(key: str, cast, default=None):
        value = params.get(key)
        if value in (None, ""):
            return default
        try:
            return cast(value)
        except ValueError:
            raise GcmkgError(f"{key}={value!r} is not a number") from None

    filters = Filters(objective=params.get("objective") or None, concern=params.get("concern") or None,
                      document=params.get("document") or None, min_weight=number("min_weight", float, 1.0),
                      top=number("top", int), focus=params.get("focus") or None)
    store = ox.Store.read_only(str(Path(store_path)))
    return network_html(network(store, name, filters))


def _report_page(store_path: str, kind: str, value: str) -> str:
    import pyoxigraph as ox

    from gcmkg.viz.report import report_html

    return report_html(ox.Store.read_only(str(Path(store_path))), kind, value)


def viz_routes(store_path: str) -> list:
    """The routes to add to the server's app (needs the `viz` extra)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    async def answer(call, *args) -> Response:
        try:
            html = await run_in_threadpool(call, store_path, *args)
        except UnknownName as exc:
            return PlainTextResponse(str(exc).splitlines()[0] + "\n", status_code=404)
        except GcmkgError as exc:
            return PlainTextResponse(str(exc).splitlines()[0] + "\n", status_code=400)
        return HTMLResponse(html, headers={"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
                                           "Referrer-Policy": "no-referrer"})

    async def network_view(request: Request) -> Response:
        return await answer(_network_page, request.path_params["name"], dict(request.query_params))

    async def report_view(request: Request) -> Response:
        return await answer(_report_page, request.path_params["kind"], request.path_params["value"])

    return [Route("/network/{name}", network_view, methods=["GET"]),
            Route("/report/{kind}/{value:path}", report_view, methods=["GET"])]
