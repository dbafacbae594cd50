"""Offline, escaped HTML: templates, the inlined vis-network script, JSON safe inside <script>, and a check that
no page refers to another site."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from gcmkg.errors import GcmkgError, OptionalDependencyMissing

STATIC = files("gcmkg.viz") / "static"
TEMPLATES = files("gcmkg.viz") / "templates"
# src= / href= / url( / @import pointing at http(s):// or a protocol-relative //host
REMOTE = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?)"""
                    r"""(?:https?:)?//""", re.IGNORECASE)


class OfflineError(GcmkgError):
    """A generated page refers to a remote file (it must work offline)."""


def remote_references(html: str) -> list[str]:
    """Each place a page would load something from another site (an empty list for a good page)."""
    return [html[max(0, m.start() - 20): m.end() + 40] for m in REMOTE.finditer(html)]


@cache
def vis_network_js() -> str:
    """vis-network as shipped inside the pyvis package (no download, no CDN)."""
    try:
        import pyvis
    except ImportError:
        raise OptionalDependencyMissing("pyvis", "viz") from None
    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    if not path.is_file():
        raise OfflineError(f"{path}: vis-network is missing from the pyvis package; reinstall pyvis 0.3.2")
    return path.read_text(encoding="utf-8")


@cache
def static_text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@cache
def styles() -> dict[str, dict[str, str]]:
    """Colour, shape and legend label per gcm: class (static/styles.json)."""
    return {k: v for k, v in json.loads(static_text("styles.json")).items() if not k.startswith("_")}


def style(cls: str, kind: str) -> dict[str, str]:
    table = styles()
    return table.get(cls) or table.get(kind) or {"label": cls or kind or "entity", "color": "#999999", "shape": "dot"}


def script_json(value: object):
    """JSON that is safe inside <script>: no '<', '>', '&' or line separators survive as such."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


@cache
def environment():
    """Jinja with autoescaping on for every template: document text is always escaped."""
    try:
        from jinja2 import Environment, FileSystemLoader, select_autoescape
    except ImportError:
        raise OptionalDependencyMissing("jinja2", "viz") from None
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["json"] = script_json
    return env


def render(template: str, **context: object) -> str:
    """A template rendered with the shared CSS and scripts; refuses to return a page that refers to a remote URL."""
    from markupsafe import Markup

    html = environment().get_template(template).render(
        css=Markup(static_text("style.css")), guard_js=Markup(static_text("guard.js")), **context)
    found = remote_references(html)
    if found:
        raise OfflineError(f"{template}: the page would load a remote file ({found[0]!r})")
    return html


def network_data(graph) -> dict:
    """Nodes, edges, options and legend of a graph, assembled with pyvis (its vis-network data model)."""
    try:
        from pyvis.network import Network
    except ImportError:
        raise OptionalDependencyMissing("pyvis", "viz") from None
    net = Network(directed=False, cdn_resources="in_line")
    legend: dict[str, dict[str, str]] = {}
    for iri, d in graph.nodes(data=True):
        st = style(d.get("cls", ""), d.get("kind", ""))
        legend.setdefault(st["label"], st)
        facts = [f"Named in {d.get('mentions', 0)} passage(s) of {d.get('documents', 0)} document(s)",
                 f"Linked to {graph.degree(iri)} node(s) in this view"]
        net.add_node(iri, label=d.get("label", iri), shape=st["shape"], value=max(1, int(d.get("mentions", 0))),
                     color={"background": st["color"], "border": "#222222" if d.get("focus") else st["color"],
                            "highlight": {"background": st["color"], "border": "#000000"}},
                     borderWidth=4 if d.get("focus") else 1,
                     tip={"name": d.get("name", iri), "type": st["label"], "iri": iri, "facts": facts,
                          "quotes": [{"text": q["text"], "source": f"{q['title']} ({q['document']})"}
                                     for q in d.get("quotes", [])]})
    for a, b, d in graph.edges(data=True):
        net.add_edge(a, b, value=d.get("weight", 1), tip={"name": d.get("title", ""), "type": "link",
                                                          "facts": [], "quotes": []})
    net.options = json.loads(static_text("network-options.json"))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": json.loads(options),
            "legend": sorted(legend.values(), key=lambda s: s["label"])}


def network_page(graph, *, height: str = "78vh") -> str:
    data = network_data(graph)
    return render("network.html", graph=graph.graph, data=data, legend=data["legend"], height=height,
                  vis_js=_vis_markup(), network_js=_network_js(), nodes=graph.number_of_nodes(),
                  edges=graph.number_of_edges())


def _vis_markup():
    from markupsafe import Markup

    return Markup(vis_network_js())


def _network_js():
    from markupsafe import Markup

    return Markup(static_text("network.js"))


def write_text(path: str | Path, text: str) -> None:
    """Write a page atomically (a reader never sees half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise GcmkgError(f"{path}: cannot write ({exc.strerror or exc})") from None
