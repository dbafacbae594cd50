"""The named queries to time, with the parameter values each is timed with, as text plus bound terms.

Both engines run exactly the same SPARQL text with the same bound terms (Oxigraph `substitutions`,
rdflib `initBindings`), so the baseline ratio compares engines, not queries. The library's runner
(`KnowledgeGraph.query(name, **params)`), where it exists, is timed too, since that is what users call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

# Parameter values to time each query with; a query not listed here runs with its header's example, else none.
PARAMS: dict[str, dict[str, str]] = {
    "objective-concerns": {"objective": "13"},
    "concern-objectives": {"concern": "child detention"},
    "evidence": {"a": "Objective 13", "b": "child detention"},
}
SKIP_PREFIXES = ("viz-",)  # the viz server's internal queries are timed by the viz benchmarks, not here


@dataclass
class BenchQuery:
    name: str
    text: str
    params: dict[str, str] = field(default_factory=dict)
    bindings: dict[str, str] = field(default_factory=dict)  # variable -> IRI


def query_dir() -> Path:
    return Path(str(files("gcmkg") / "queries"))


def _example(text: str) -> dict[str, str]:
    """`# example: --objective 13 --a "Objective 13"` -> {"objective": "13", "a": "Objective 13"}."""
    m = re.search(r"^# example:(.*)$", text, re.MULTILINE)
    if not m:
        return {}
    return {k: (q or w) for k, q, w in re.findall(r"--([\w-]+)\s+(?:\"([^\"]*)\"|(\S+))", m.group(1))}


def resolve(value: str) -> str:
    """An entity IRI for a parameter value: an objective number or name, a concern, state or stakeholder name."""
    from gcmkg.ontology.namespace import concern_iri, objective_iri, stakeholder_iri, state_iri
    from gcmkg.ontology.reference import reference_data

    ref = reference_data()
    v = value.strip()
    m = re.fullmatch(r"(?:objective\s*)?(\d{1,2})", v, re.IGNORECASE)
    if m:
        return objective_iri(int(m.group(1)))
    low = v.lower()
    for c in ref.concerns:
        if low in {c.label.lower(), c.slug, *(a.lower() for a in c.alt_labels)}:
            return concern_iri(c.slug)
    for s in ref.states:
        if low in {s.label.lower(), s.iso3.lower(), *(n.lower() for n, _ in s.names)}:
            return state_iri(s.iso3)
    for h in ref.stakeholders:
        if low in {h.label.lower(), h.slug, *(a.lower() for a in (*h.alt_labels, *h.acronyms))}:
            return stakeholder_iri(h.slug)
    raise ValueError(f"cannot resolve {value!r} to an entity")


def bench_queries() -> list[BenchQuery]:
    """Every named query of the package (gcmkg/queries/*.rq) except the viz server's own."""
    out = []
    for path in sorted(query_dir().glob("*.rq")):
        name = path.stem
        if name.startswith(SKIP_PREFIXES):
            continue
        text = path.read_text(encoding="utf-8")
        params = PARAMS.get(name, _example(text))
        out.append(BenchQuery(name, text, params, {k: resolve(v) for k, v in params.items()}))
    return out


def run_ours(store, q: BenchQuery) -> int:
    """Run on a pyoxigraph store, materialising every row; returns the row count."""
    import pyoxigraph as ox

    from gcmkg.ontology.namespace import PREFIXES

    subs = {ox.Variable(k): ox.NamedNode(v) for k, v in q.bindings.items()} or None
    result = store.query(q.text, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs)
    return sum(1 for row in result for _ in [tuple(row)])


def run_runner(kg, q: BenchQuery) -> int | None:
    """Run through the library's named-query runner, if it exists; returns the row count or None."""
    runner = getattr(kg, "query", None)
    if runner is None:
        return None
    result = runner(q.name, **q.params)
    return len(result) if hasattr(result, "__len__") else sum(1 for _ in result)
