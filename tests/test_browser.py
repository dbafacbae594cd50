"""Generated and served pages in headless Chromium: the network stabilises, every node is drawn, and text taken
from documents never runs (window.gcmkgStatus, published into #gcmkg-status, records any alert or error)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("networkx")
pytest.importorskip("pyvis")

import pyoxigraph as ox  # noqa: E402

from gcmkg.viz import Filters, network, network_html, report_html  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (tests/setup/install-system-deps.sh installs it)")]
DATA = Path(__file__).parent / "data" / "viz"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=20000"]


def chromium(url: str, tmp: Path, *extra: str) -> str:
    done = subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp / 'profile'}", *extra, url],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def dom(url: str, tmp: Path) -> str:
    return chromium(url, tmp, "--dump-dom")


def status(page: str) -> dict:
    match = re.search(r'<pre id="gcmkg-status"[^>]*>(.*?)</pre>', page, re.S)
    assert match, "no status element in the page"
    import html

    return json.loads(html.unescape(match.group(1)))


def screenshot(url: str, tmp: Path, path: Path) -> None:
    chromium(url, tmp, f"--screenshot={path}", "--window-size=1400,900")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


class Elements(HTMLParser):
    """Tags and the text under the element with a given id."""

    def __init__(self, wanted: str):
        super().__init__()
        self.wanted, self.depth, self.text, self.tags_inside, self.tags = wanted, 0, [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if self.depth:
            self.depth += 1
            self.tags_inside.append(tag)
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


@pytest.fixture(scope="module")
def store(sample_store):
    return ox.Store.read_only(str(sample_store))


@pytest.mark.parametrize("name,filters", [("stakeholder-network", Filters()),
                                          ("objective-concern", Filters(objective=13, top=25)),
                                          ("ego", Filters(focus="Portugal"))])
def test_network_page_stabilises_and_draws_every_node(store, tmp_path, name, filters):
    graph = network(store, name, filters)
    page = tmp_path / f"{name}.html"
    page.write_text(network_html(graph), encoding="utf-8")
    st = status(dom(page.as_uri(), tmp_path))
    assert st["stabilized"], st
    assert st["nodesDrawn"] == st["nodesInData"] == graph.number_of_nodes() > 0
    assert st["edgesInData"] == graph.number_of_edges()
    assert st["alerts"] == 0 and st["errors"] == 0, st["messages"]
    screenshot(page.as_uri(), tmp_path, tmp_path / f"{name}.png")


def test_document_text_never_runs_and_shows_as_text(tmp_path):
    from gcmkg.graph.kg import KnowledgeGraph

    with KnowledgeGraph(tmp_path / "s") as kg:
        assert kg.build([DATA / "payload.txt"]).ok
    hostile = ox.Store.read_only(str(tmp_path / "s"))
    graph = network(hostile, "stakeholder-network")
    portugal = "https://w3id.org/gcmkg/id/state/PRT"
    assert portugal in graph
    page = tmp_path / "net.html"
    page.write_text(network_html(graph), encoding="utf-8")
    text = dom(page.as_uri() + "#select=" + portugal, tmp_path)
    st = status(text)
    assert st["stabilized"] and st["nodesDrawn"] == graph.number_of_nodes()
    assert st["alerts"] == 0 and st["errors"] == 0, st["messages"]
    details = Elements("gcmkg-details")
    details.feed(text)
    shown = "".join(details.text)
    assert "<script>alert(1)</script>" in shown and '"><img src=x onerror=alert(1)>' in shown
    assert "img" not in details.tags_inside and "script" not in details.tags_inside

    report = tmp_path / "report.html"
    report.write_text(report_html(hostile, "state", "Portugal"), encoding="utf-8")
    text = dom(report.as_uri(), tmp_path)
    st = status(text)
    assert st["alerts"] == 0 and st["errors"] == 0 and st["stabilized"], st
    body = Elements("gcmkg-status")  # any element: collect every tag of the page
    body.feed(text)
    assert "img" not in body.tags
    source = Elements("")
    source.feed(report.read_text(encoding="utf-8"))
    assert body.tags.count("script") == source.tags.count("script")  # nothing added by the page's text
    plain = re.sub(r"<[^>]+>", "", text)
    assert "<script>alert(1)</script>" in __import__("html").unescape(plain)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_store):
    """`gcmkg serve` on 127.0.0.1, a real process."""
    import sys

    from conftest import cli_env

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from gcmkg.cli import main; sys.exit(main())",
                             "serve", "--store", str(sample_store), "--port", str(port), "--workers", "1"],
                            env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read().decode())
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def test_served_pages(server, store, tmp_path):
    front = urllib.request.urlopen(server + "/", timeout=30).read().decode()
    assert 'href="/network/stakeholder-network"' in front and 'href="/report/objective/13"' in front
    graph = network(store, "stakeholder-network", Filters(objective="13"))
    st = status(dom(server + "/network/stakeholder-network?objective=13", tmp_path))
    assert st["stabilized"] and st["nodesDrawn"] == graph.number_of_nodes() > 0 and st["alerts"] == 0
    text = dom(server + "/report/objective/13", tmp_path)
    st = status(text)
    assert st["stabilized"] and st["nodesDrawn"] == st["nodesInData"] > 0 and st["errors"] == 0
    assert "Objective 13" in text
    screenshot(server + "/report/objective/13", tmp_path, tmp_path / "served-report.png")
    try:
        urllib.request.urlopen(server + "/report/state/Atlantis", timeout=30)
        raise AssertionError("an unknown state should be a 404")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404 and "Atlantis" in exc.read().decode()
