/* Draws one gcmkg network from the JSON in #gcmkg-data with vis-network.
   Every text taken from a document reaches the page through textContent, never innerHTML: tooltips are DOM
   elements built here (vis-network would render a string title as HTML). Physics stops once the layout has
   stabilised; the status (stabilized, nodesDrawn) is published for tests in window.gcmkgStatus. */
(function () {
  "use strict";
  var status = window.gcmkgStatus || (window.gcmkgStatus = {});
  var publish = window.gcmkgPublish || function () {};

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function describe(tip, full) {
    var box = el("div", full ? "gcmkg-card" : "gcmkg-tip");
    box.appendChild(el("div", "gcmkg-tip-name", tip.name));
    if (tip.type && tip.type !== "link") { box.appendChild(el("div", "gcmkg-tip-type", tip.type)); }
    (tip.facts || []).forEach(function (f) { box.appendChild(el("div", "gcmkg-tip-fact", f)); });
    (tip.quotes || []).forEach(function (q) {
      var b = el("blockquote", "gcmkg-quote", q.text);
      b.appendChild(el("cite", null, q.source));
      box.appendChild(b);
    });
    if (full && tip.iri) { box.appendChild(el("div", "gcmkg-iri", tip.iri)); }
    return box;
  }

  function start() {
    var data = JSON.parse(document.getElementById("gcmkg-data").textContent);
    var container = document.getElementById("gcmkg-network");
    var details = document.getElementById("gcmkg-details");
    var tips = {};
    var nodes = data.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      tips[n.id] = n.tip;
      copy.title = describe(n.tip, false);
      delete copy.tip;
      return copy;
    });
    var edges = data.edges.map(function (e, i) {
      var copy = Object.assign({ id: "e" + i }, e);
      copy.title = describe(e.tip, false);
      delete copy.tip;
      return copy;
    });
    status.nodesInData = nodes.length;
    status.edgesInData = edges.length;
    publish();
    if (!nodes.length) {
      status.stabilized = true;
      publish();
      return;
    }
    var network = new vis.Network(container, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, data.options);
    window.gcmkgNetwork = network;

    function show(id) {
      if (!details) { return; }
      details.replaceChildren();
      if (id !== undefined && tips[id]) {
        details.appendChild(describe(tips[id], true));
      } else {
        details.appendChild(el("p", "gcmkg-hint", "Click a node to read its quotes here."));
      }
    }

    function countDrawn() {
      var positions = network.getPositions();
      var drawn = 0;
      network.body.nodeIndices.forEach(function (id) {
        var p = positions[id];
        if (p && isFinite(p.x) && isFinite(p.y)) { drawn += 1; }
      });
      return drawn;
    }

    var done = false;
    function finish() {
      if (done) { return; }
      done = true;
      network.setOptions({ physics: false });
      network.fit();
      status.stabilized = true;
      var selected = /[#&]select=([^&]+)/.exec(window.location.hash);
      if (selected) {
        var id = decodeURIComponent(selected[1]);
        if (tips[id]) { network.selectNodes([id]); show(id); }
      }
      network.redraw();
    }
    network.on("stabilizationProgress", function (p) {
      var bar = document.getElementById("gcmkg-progress");
      if (bar) { bar.textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%"; }
    });
    network.once("stabilizationIterationsDone", finish);
    network.once("stabilized", finish);
    network.on("afterDrawing", function () {
      status.nodesDrawn = countDrawn();
      if (status.stabilized) {
        var bar = document.getElementById("gcmkg-progress");
        if (bar) { bar.textContent = ""; }
      }
      publish();
    });
    network.on("click", function (params) { show(params.nodes.length ? params.nodes[0] : undefined); });
    show(undefined);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
