"""The front page: write SPARQL, or pick a named query as an example, and see the results as a table.

One self-contained document (no CDN, no remote URL). Server-side values are HTML-escaped; the named
queries travel as JSON in a script element with '<', '>' and '&' escaped; results are written into
the table with textContent, never as HTML. A per-response nonce lets the Content-Security-Policy
forbid every other script.
"""

from __future__ import annotations

import html
import json

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gcmkg SPARQL endpoint</title>
<style nonce="{nonce}">
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem;
       color: #1b1b1b; }}
h1 {{ font-size: 1.4rem; margin-bottom: .2rem; }}
p.lead {{ margin-top: 0; color: #444; }}
label {{ font-weight: 600; }}
select, textarea, button {{ font: inherit; }}
select {{ max-width: 100%; }}
textarea {{ width: 100%; min-height: 16rem; font-family: ui-monospace, monospace; font-size: 13px;
           box-sizing: border-box; }}
button {{ padding: .35rem 1rem; margin: .4rem .6rem .4rem 0; }}
#question {{ color: #444; margin: .3rem 0; min-height: 1.2em; }}
#status {{ color: #444; }}
#status.error {{ color: #a00; white-space: pre-wrap; }}
table {{ border-collapse: collapse; margin-top: .6rem; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .45rem; vertical-align: top; text-align: left; }}
th {{ background: #f2f2f2; position: sticky; top: 0; }}
td {{ max-width: 40rem; overflow-wrap: anywhere; }}
</style></head>
<body>
<h1>gcmkg SPARQL endpoint</h1>
<p class="lead">A knowledge graph of the Global Compact for Safe, Orderly and Regular Migration.
Queries go to <code>{endpoint}</code> (SPARQL 1.1 Protocol, read-only{update_note});
the default graph is the union of all named graphs; at most {max_rows} rows; timeout {timeout} s.</p>
<p class="lead">Views: <a href="/network/stakeholder-network">stakeholder network</a> &middot;
<a href="/network/state-objective">states and objectives</a> &middot;
<a href="/network/objective-concern">objectives and concerns</a> &middot;
<a href="/network/ego?focus=Objective%2013">ego network of Objective 13</a> &middot;
dossier: <a href="/report/objective/13">Objective 13</a> (also /report/state/NAME, /report/concern/NAME,
/report/stakeholder/NAME)</p>
<form id="form">
<p><label for="example">Named query</label><br>
<select id="example"><option value="">(write your own)</option>{options}</select></p>
<p id="question"></p>
<p><label for="query">SPARQL</label><br>
<textarea id="query" name="query" spellcheck="false">{default_query}</textarea></p>
<button type="submit">Run</button><span id="status"></span>
</form>
<div id="results"></div>
<script type="application/json" id="queries" nonce="{nonce}">{queries_json}</script>
<script nonce="{nonce}">
(function () {{
  "use strict";
  var queries = JSON.parse(document.getElementById("queries").textContent);
  var byName = {{}};
  queries.forEach(function (q) {{ byName[q.name] = q; }});
  var select = document.getElementById("example"), text = document.getElementById("query");
  var status = document.getElementById("status"), results = document.getElementById("results");
  select.addEventListener("change", function () {{
    var q = byName[select.value];
    document.getElementById("question").textContent = q ? q.question : "";
    if (q) {{ text.value = q.text; }}
  }});
  function cell(b) {{
    if (!b) {{ return ""; }}
    return b.type === "bnode" ? "_:" + b.value : b.value;
  }}
  function show(data) {{
    results.textContent = "";
    if (typeof data.boolean === "boolean") {{ status.textContent = " " + data.boolean; return; }}
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table"), head = table.createTHead().insertRow();
    vars.forEach(function (v) {{ var th = document.createElement("th"); th.textContent = v; head.appendChild(th); }});
    var body = table.createTBody();
    rows.forEach(function (r) {{
      var tr = body.insertRow();
      vars.forEach(function (v) {{ tr.insertCell().textContent = cell(r[v]); }});
    }});
    results.appendChild(table);
    status.textContent = " " + rows.length + " row" + (rows.length === 1 ? "" : "s");
  }}
  document.getElementById("form").addEventListener("submit", function (e) {{
    e.preventDefault();
    status.className = ""; status.textContent = " running…"; results.textContent = "";
    var started = Date.now();
    fetch("sparql", {{ method: "POST", headers: {{ "Content-Type": "application/sparql-query",
      "Accept": "application/sparql-results+json, text/turtle;q=0.5" }}, body: text.value }})
      .then(function (r) {{
        var type = r.headers.get("Content-Type") || "";
        return r.text().then(function (body) {{
          if (!r.ok) {{ throw new Error(r.status + ": " + body); }}
          if (type.indexOf("json") >= 0) {{ show(JSON.parse(body)); }}
          else {{ var pre = document.createElement("pre"); pre.textContent = body; results.appendChild(pre);
                  status.textContent = ""; }}
          status.textContent += " (" + ((Date.now() - started) / 1000).toFixed(2) + " s)";
        }});
      }})
      .catch(function (err) {{ status.className = "error"; status.textContent = " " + err.message; }});
  }});
}})();
</script>
</body></html>
"""

DEFAULT_QUERY = """PREFIX gcm: <https://w3id.org/gcmkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?concern ?label (COUNT(DISTINCT ?passage) AS ?passages)
WHERE {
  ?passage gcm:mentions ?concern .
  ?concern a gcm:Concern ; skos:prefLabel ?label .
}
GROUP BY ?concern ?label
ORDER BY DESC(?passages)
LIMIT 20
"""


def _script_json(value: object) -> str:
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(queries: list[dict], *, nonce: str, endpoint: str, max_rows: int, timeout: float,
           allow_update: bool) -> str:
    options = "".join(f'<option value="{html.escape(q["name"])}">{html.escape(q["name"])} '
                      f'&ndash; {html.escape(q["title"])}</option>' for q in queries)
    return _PAGE.format(
        nonce=html.escape(nonce), endpoint=html.escape(endpoint), options=options,
        update_note=html.escape(", updates allowed" if allow_update else ""),
        max_rows=html.escape(str(max_rows)), timeout=html.escape(f"{timeout:g}"),
        default_query=html.escape(DEFAULT_QUERY), queries_json=_script_json(queries))
