"""Network views, analytics, charts and dossiers on the sample corpus (no browser; see test_browser.py)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("networkx")
pytest.importorskip("pyvis")
pytest.importorskip("matplotlib")

import pyoxigraph as ox  # noqa: E402

from gcmkg.errors import GcmkgError, UnknownName  # noqa: E402
from gcmkg.ontology.namespace import PREFIXES  # noqa: E402
from gcmkg.viz import Filters, network, network_html, rank, report_html, write_chart  # noqa: E402
from gcmkg.viz.charts import Matrix, figure  # noqa: E402
from gcmkg.viz.resolve import resolve  # noqa: E402

DATA = Path(__file__).parent / "data" / "viz"
# anything a page would fetch from another site: src=, href=, url(, @import to http(s):// or //host
REMOTE = re.compile(r"""(src|href)\s*=\s*["']?\s*(https?:)?//"""
                    r"""|url\(\s*["']?\s*(https?:)?//|@import\s+["']?(https?:)?//""", re.IGNORECASE)
O13 = "https://w3id.org/gcmkg/id/objective/13"
WINDOWS = """
SELECT DISTINCT ?a ?b WHERE {
  %s
  { ?p1 gcm:mentions|gcm:about ?a . ?p2 gcm:mentions|gcm:about ?b } UNION
  { ?p1 gcm:mentions|gcm:about ?b . ?p2 gcm:mentions|gcm:about ?a }
  ?p1 gcm:inDocument ?d ; gcm:index ?i . ?p2 gcm:inDocument ?d ; gcm:index ?j .
  FILTER(?j = ?i || ?j = ?i + 1)
  %s
}"""


@pytest.fixture(scope="module")
def store(sample_store):
    return ox.Store.read_only(str(sample_store))


def linked(store, pairs: list[tuple[str, str]], extra: str = "") -> set[tuple[str, str]]:
    """The pairs that one passage, or two neighbouring ones, name together (VALUES built from bound terms)."""
    values = "VALUES (?a ?b) {{ {} }}".format(" ".join(f"({ox.NamedNode(a)} {ox.NamedNode(b)})" for a, b in pairs))
    rows = store.query(WINDOWS % (values, extra), prefixes=PREFIXES, use_default_graph_as_union=True)
    return {(r["a"].value, r["b"].value) for r in rows}


def kind_of(store, iri: str) -> set[str]:
    rows = store.query(f"SELECT ?k WHERE {{ <{iri}> a/rdfs:subClassOf* ?k }}", prefixes=PREFIXES,
                       use_default_graph_as_union=True)
    return {r["k"].value.rsplit("#", 1)[-1] for r in rows}


@pytest.mark.parametrize("name,kinds", [("stakeholder-network", {"State", "Stakeholder"}),
                                        ("state-objective", {"State", "Objective"}),
                                        ("objective-concern", {"Objective", "Concern"})])
def test_network_nodes_and_links_come_from_passage_windows(store, name, kinds):
    graph = network(store, name)
    assert graph.number_of_nodes() > 5 and graph.number_of_edges() > 5
    for n, d in graph.nodes(data=True):
        assert d["kind"] in kinds and d["kind"] in kind_of(store, n)
        assert d["mentions"] >= 1 and len(d["quotes"]) <= 3
    pairs = [(a, b) for a, b, d in graph.edges(data=True) if d["windows"]]
    assert pairs and linked(store, pairs) == set(pairs)
    assert all(d["weight"] == d["windows"] + d["shared_concerns"] for *_, d in graph.edges(data=True))


def test_stakeholder_network_counts_shared_concerns(store):
    graph = network(store, "stakeholder-network", quotes=0)
    shared = [(a, b, d) for a, b, d in graph.edges(data=True) if d["shared_concerns"]]
    assert shared
    a, b, d = shared[0]
    rows = store.query(f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ <{a}> gcm:raisesConcern ?c .
                          <{b}> gcm:raisesConcern ?c }}""", prefixes=PREFIXES, use_default_graph_as_union=True)
    assert int(next(iter(rows))["n"].value) == d["shared_concerns"]


def test_filters_narrow_the_evidence(store):
    whole = network(store, "stakeholder-network", quotes=0)
    by_objective = network(store, "stakeholder-network", Filters(objective="Objective 13"), quotes=0)
    assert 0 < by_objective.number_of_nodes() < whole.number_of_nodes()
    with_windows = [(a, b) for a, b, d in by_objective.edges(data=True) if d["windows"]]
    # each pair has a window that names objective 13 (or stands under it)
    o13 = ox.NamedNode(O13)
    extra = f"{{ ?p1 gcm:mentions|gcm:about {o13} }} UNION {{ ?p2 gcm:mentions|gcm:about {o13} }}"
    assert with_windows and linked(store, with_windows, extra) == set(with_windows)
    doc = "001_19f1fb7baa2ac595.txt"
    one = network(store, "state-objective", Filters(document=doc), quotes=3)
    assert one.number_of_nodes() > 0
    assert all(q["document"] == doc for _, d in one.nodes(data=True) for q in d["quotes"])
    strong = network(store, "stakeholder-network", Filters(min_weight=5), quotes=0)
    assert strong.number_of_edges() and all(d["weight"] >= 5 for *_, d in strong.edges(data=True))
    top = network(store, "stakeholder-network", Filters(top=10), quotes=0)
    assert top.number_of_nodes() <= 10 and "10" in top.graph["message"]
    capped = network(store, "stakeholder-network", Filters(cap=12), quotes=0)
    assert capped.number_of_nodes() <= 12 and "cap of 12" in capped.graph["message"]
    strongest = sorted(whole.nodes, key=lambda n: -whole.degree(n, weight="weight"))[0]
    assert strongest in capped


def test_ego_network_is_centred_on_the_focus(store):
    for focus, iri in (("Objective 13", O13), ("Portugal", "https://w3id.org/gcmkg/id/state/PRT")):
        graph = network(store, "ego", Filters(focus=focus), quotes=0)
        assert graph.nodes[iri]["focus"]
        assert all(graph.has_edge(iri, n) for n in graph.nodes if n != iri)
    with pytest.raises(GcmkgError, match="--focus"):
        network(store, "ego")


def test_names_resolve_against_labels(store):
    assert resolve(store, "Objective 13") == O13 == resolve(store, "13", "objective")
    assert resolve(store, "portugal") == resolve(store, "PRT", "state") == "https://w3id.org/gcmkg/id/state/PRT"
    assert resolve(store, "IOM", "stakeholder").endswith("/international-organization-for-migration")
    assert resolve(store, "child detention", "concern").endswith("/concern/child-detention")
    with pytest.raises(UnknownName, match="Portugal"):
        resolve(store, "Portgal")
    with pytest.raises(UnknownName):
        network(store, "no-such-view")


def test_pages_are_offline_and_escape_document_text(tmp_path):
    from gcmkg.graph.kg import KnowledgeGraph

    with KnowledgeGraph(tmp_path / "s") as kg:
        assert kg.build([DATA / "payload.txt"]).ok
    hostile = ox.Store.read_only(str(tmp_path / "s"))
    graph = network(hostile, "stakeholder-network")
    quotes = [q["text"] for _, d in graph.nodes(data=True) for q in d["quotes"]]
    assert any("<script>alert(1)</script>" in q for q in quotes) and any("<img src=x" in q for q in quotes)
    for html in (network_html(graph), report_html(hostile, "state", "Portugal")):
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "\\u003cscript\\u003ealert(1)" in html
        assert not REMOTE.search(html)


def test_no_generated_page_refers_to_a_remote_url(store, tmp_path, run_cli, sample_store):
    for args in (["viz", "stakeholder-network"], ["viz", "ego", "--focus", "Portugal"], ["report", "--objective", "13"],
                 ["report", "--concern", "child detention"], ["report", "--stakeholder", "IOM"]):
        out = tmp_path / "page.html"
        done = run_cli(*args, "-o", out, "--store", sample_store)
        assert done.returncode == 0, done.stderr
        html = out.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and "vis.Network" in html
        assert not REMOTE.search(html), REMOTE.search(html).group(0)


def test_report_lists_every_passage_and_statement(store):
    from gcmkg.viz.report import dossier

    d = dossier(store, "objective", "13")
    rows = store.query(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p gcm:mentions|gcm:about <{O13}> }}",
                       prefixes=PREFIXES, use_default_graph_as_union=True)
    assert d["quotes_total"] == int(next(iter(rows))["n"].value) > 0
    rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c ; gcm:addressesObjective <{O13}> . "
                       f"VALUES ?c {{ gcm:Recommendation gcm:Commitment }} }}", prefixes=PREFIXES,
                       use_default_graph_as_union=True)
    assert len(d["statements"]) == int(next(iter(rows))["n"].value)
    assert {t for t, _ in d["sections"]} >= {"Concerns", "Objectives"}
    assert d["graph"].nodes[O13]["focus"]


def test_analytics_rank_and_gephi_exports(store, tmp_path, run_cli, sample_store):
    import networkx as nx

    graph = network(store, "stakeholder-network", quotes=0)
    rows = rank(graph)
    assert len(rows) == graph.number_of_nodes()
    assert [r.betweenness for r in rows] == sorted((r.betweenness for r in rows), reverse=True)
    expected = nx.degree_centrality(graph)
    assert all(abs(r.degree_centrality - expected[r.iri]) < 1e-3 for r in rows)
    communities = {r.community for r in rows}
    assert 1 < len(communities) < len(rows)
    done = run_cli("analytics", "stakeholder-network", "--format", "csv", "--graphml", tmp_path / "g.graphml",
                   "--gexf", tmp_path / "g.gexf", "--store", sample_store)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(table) == graph.number_of_nodes() and table[0]["label"] == rows[0].label
    for reader, path in ((nx.read_graphml, "g.graphml"), (nx.read_gexf, "g.gexf")):
        back = reader(tmp_path / path)
        assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    done = run_cli("analytics", "stakeholder-network", "--limit", "5", "--store", sample_store)
    assert done.returncode == 0 and "communities" in done.stdout and rows[0].label[:20] in done.stdout


def test_charts_png_and_svg(store, tmp_path):
    m = write_chart(store, "state-objective", tmp_path / "so.png")
    assert (tmp_path / "so.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and m.rows and len(m.columns) == 23
    graph = network(store, "state-objective", quotes=0)
    by_name = {graph.nodes[n]["name"]: n for n in graph if graph.nodes[n]["kind"] == "State"}
    assert set(m.rows) == set(by_name)
    write_chart(store, "objective-concern", tmp_path / "oc.svg")
    assert b"<svg" in (tmp_path / "oc.svg").read_bytes()[:500]
    with pytest.raises(UnknownName):
        write_chart(store, "state-objective", tmp_path / "x.gif")


def test_heatmap_labels_never_overlap_with_many_states():
    """60 states (long names among them): the figure grows and no two row labels overlap."""
    import pycountry

    names = sorted(c.name for c in pycountry.countries)[:60]
    values = [[(i * 7 + j * 3) % 5 for j in range(23)] for i in range(len(names))]
    small = figure(Matrix("t", names[:10], [str(c) for c in range(1, 24)], values[:10]))
    fig = figure(Matrix("t", names, [str(c) for c in range(1, 24)], values))
    assert fig.get_size_inches()[1] > small.get_size_inches()[1] * 2
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = sorted((t.get_window_extent(renderer) for t in ax.get_yticklabels()), key=lambda b: b.y0)
    assert len(boxes) == 60
    assert all(lower.y1 <= upper.y0 + 0.5 for lower, upper in zip(boxes, boxes[1:], strict=False))
    figure_box = fig.bbox
    assert all(b.x0 >= 0 and b.y0 >= 0 and b.y1 <= figure_box.y1 for b in boxes)


def test_cli_viz_and_report(tmp_path, run_cli, sample_store):
    done = run_cli("viz", "stakeholder-network", "-o", tmp_path / "a.html", "--top", "8", "--store", sample_store)
    assert done.returncode == 0 and "8 nodes" in done.stdout and "most connected" in done.stderr
    done = run_cli("report", "--state", "Atlantis", "-o", tmp_path / "r.html", "--store", sample_store)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Atlantis" in done.stderr
    done = run_cli("chart", "objective-concern", "-o", tmp_path / "c.png", "--store", sample_store)
    assert done.returncode == 0 and (tmp_path / "c.png").stat().st_size > 10_000


def test_missing_extra_names_it():
    code = ("import sys; sys.modules['pyvis'] = None\n"
            "from gcmkg.viz.html import vis_network_js\n"
            "try:\n    vis_network_js()\nexcept Exception as e:\n    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parent.parent).stdout
    assert out.startswith("OptionalDependencyMissing") and "gcmkg[viz]" in out
