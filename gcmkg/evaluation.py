"""Score a store against human gold annotations (the format of docs/GOLD_FORMAT.md).

Researchers who annotate their own corpus use this to judge the graph: precision and recall per
entity type and per document, with every miss and false hit listed. The metrics follow the gold
format's definitions (one-to-one matching of stakeholders and concerns, links within one passage
or two neighbouring ones, "hard" links within three passages or through authorship).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import GcmkgError
from gcmkg.ontology.namespace import DCTERMS, GCM, RDF, RDFS, SKOS

MAX_PASSAGE_CHARS = 1000
STANCE_SET = "stances.json"  # a hand-checked stance set may sit beside the gold files
METRICS = ("objectives.p", "objectives.r", "states.p", "states.r", "stakeholders.p", "stakeholders.r",
           "concerns.r", "links.r", "links_evidence.r", "hard_links.r", "pairs.p", "pairs.r")


def norm_name(text: str) -> str:
    text = re.sub(r"[^\w]+", " ", str(text).lower()).strip()
    return re.sub(r"\s+", " ", re.sub(r"^the ", "", text))


def norm_text(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


@dataclass
class DocumentScore:
    document: str
    found: bool
    counts: dict[str, list[int]] = field(default_factory=dict)  # metric -> [hits, total]
    missed: dict[str, list[str]] = field(default_factory=dict)
    wrong: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class EvaluationReport:
    documents: list[DocumentScore]
    totals: dict[str, list[int]]

    def value(self, metric: str) -> float | None:
        hits, total = self.totals.get(metric, (0, 0))
        return hits / total if total else None

    @property
    def summary(self) -> dict[str, float | None]:
        return {m: self.value(m) for m in METRICS}

    def to_json(self) -> str:
        return json.dumps({"summary": self.summary, "documents": [d.__dict__ for d in self.documents]}, indent=2)


class _Graph:
    """What the scoring needs from the store, read once with a few SPARQL queries."""

    def __init__(self, store: ox.Store):
        q = lambda text: list(store.query(text, use_default_graph_as_union=True))  # noqa: E731
        self.labels: dict[str, list[str]] = defaultdict(list)
        label_query = (f"SELECT ?s ?l WHERE {{ VALUES ?p {{ <{RDFS}label> <{SKOS}prefLabel> <{SKOS}altLabel> }} "
                       "?s ?p ?l }")
        for row in q(label_query):
            self.labels[row["s"].value].append(row["l"].value)
        self.objective_no = {r["s"].value: int(r["n"].value)
                             for r in q(f"SELECT ?s ?n WHERE {{ ?s <{GCM.number}> ?n }}")}
        self.iso3 = {r["s"].value: r["c"].value.upper() for r in q(f"SELECT ?s ?c WHERE {{ ?s <{GCM.iso3}> ?c }}")}
        self.stakeholders = {r["s"].value for r in q(
            f"SELECT DISTINCT ?s WHERE {{ ?s <{RDF}type>/<{RDFS}subClassOf>* <{GCM.Stakeholder}> }}")}
        self.concerns = {r["s"].value for r in q(
            f"SELECT DISTINCT ?s WHERE {{ ?s <{RDF}type>/<{RDFS}subClassOf>* <{GCM.Concern}> }}")}
        self.docs = {Path(r["id"].value).name: r["d"].value for r in q(
            f"SELECT ?d ?id WHERE {{ ?d a <{GCM.Document}> ; <{DCTERMS}identifier> ?id }}")}
        self.creators: dict[str, set[str]] = defaultdict(set)
        for r in q(f"SELECT ?d ?c WHERE {{ ?d <{DCTERMS}creator> ?c }}"):
            self.creators[r["d"].value].add(r["c"].value)
        rows: dict[str, dict[str, tuple]] = defaultdict(dict)
        for r in q(f"SELECT ?p ?d ?i ?t WHERE {{ ?p <{GCM.inDocument}> ?d ; <{GCM.index}> ?i ; <{GCM.text}> ?t }}"):
            rows[r["d"].value][r["p"].value] = (int(r["i"].value), r["t"].value, set(), set())
        for prop, slot in ((GCM.mentions, 2), (GCM.about, 3)):
            for r in q(f"SELECT ?p ?d ?e WHERE {{ ?p <{GCM.inDocument}> ?d ; <{prop}> ?e }}"):
                entry = rows[r["d"].value].get(r["p"].value)
                if entry:
                    entry[slot].add(r["e"].value)
        self.passages = {d: [v[1:] for v in sorted(ps.values(), key=lambda v: v[0])] for d, ps in rows.items()}


def _concern_fits(labels: list[str], patterns: list[list[str]]) -> bool:
    for label in labels:
        words = re.findall(r"\w+", label.lower())
        if any(all(any(w.startswith(t.lower()) for w in words) for t in tokens) for tokens in patterns):
            return True
    return False


def _match_one_to_one(entities: list[str], entries: list, fits) -> dict[int, str]:
    owner: dict[str, int] = {}

    def augment(i: int, seen: set) -> bool:
        for e in entities:
            if e in seen or not fits(e, entries[i]):
                continue
            seen.add(e)
            if e not in owner or augment(owner[e], seen):
                owner[e] = i
                return True
        return False

    for i in range(len(entries)):
        augment(i, set())
    return {i: e for e, i in owner.items()}


def _score_document(g: _Graph, gold: dict) -> DocumentScore:
    name = gold["document"]
    doc = g.docs.get(Path(name).name)
    score = DocumentScore(name, doc is not None)
    passages = g.passages.get(doc, []) if doc else []
    mentioned = set().union(*(m for _, m, _ in passages)) if passages else set()
    touched = set().union(*(m | a for _, m, a in passages)) if passages else set()

    def add(metric: str, hits: int, total: int) -> None:
        c = score.counts.setdefault(metric, [0, 0])
        c[0] += hits
        c[1] += total

    def precision_recall(metric: str, found: set, required: set, acceptable: set) -> None:
        wrong = found - required - acceptable
        add(metric + ".p", len(found & required), len(found & required) + len(wrong))
        add(metric + ".r", len(found & required), len(required))
        score.missed[metric] = sorted(map(str, required - found))
        score.wrong[metric] = sorted(map(str, wrong))

    precision_recall("objectives", {g.objective_no[e] for e in mentioned if e in g.objective_no},
                     set(gold["objectives"]["required"]), set(gold["objectives"].get("acceptable", [])))
    precision_recall("states", {g.iso3[e] for e in mentioned if e in g.iso3},
                     set(gold["states"]["required"]), set(gold["states"].get("acceptable", [])))

    required, acceptable = gold["stakeholders"]["required"], gold["stakeholders"].get("acceptable", [])
    entries = required + acceptable
    fits = lambda e, names: any(norm_name(lab) in {norm_name(n) for n in names} for lab in g.labels.get(e, []))  # noqa: E731
    found_sh = sorted(e for e in mentioned if e in g.stakeholders)
    matched = _match_one_to_one(found_sh, entries, fits)
    correct = sum(1 for i in matched if i < len(required))
    wrong = [(g.labels.get(e) or [e])[0] for e in found_sh if e not in matched.values()
             and not (any(fits(e, n) for n in acceptable) and not any(fits(e, n) for n in required))]
    add("stakeholders.p", correct, correct + len(wrong))
    add("stakeholders.r", correct, len(required))
    score.missed["stakeholders"] = [required[i][0] for i in range(len(required)) if i not in matched]
    score.wrong["stakeholders"] = sorted(wrong)

    concerns = gold.get("concerns", [])
    found_c = sorted(e for e in touched if e in g.concerns)
    c_match = _match_one_to_one(found_c, [c["match"] for c in concerns],
                                lambda e, p: _concern_fits(g.labels.get(e, []), p))
    add("concerns.r", len(c_match), len(concerns))
    score.missed["concerns"] = [c["name"] for i, c in enumerate(concerns) if i not in c_match]

    def ends(end: dict) -> tuple[set, bool]:
        (kind, key), = end.items()
        if kind == "objective":
            return {e for e, n in g.objective_no.items() if n == int(key)}, True
        if kind == "state":
            return {e for e, c in g.iso3.items() if c == key.upper()}, False
        if kind == "stakeholder":
            i = next((i for i, n in enumerate(entries) if n[0] == key), None)
            return ({matched[i]} if i in matched else set()), False
        i = next((i for i, c in enumerate(concerns) if c["name"] == key), None)
        return ({c_match[i]} if i in c_match else set()), True

    def has(k: int, targets: set, about_counts: bool) -> bool:
        text, m, ab = passages[k]
        return len(text) <= MAX_PASSAGE_CHARS and bool(targets & (m | ab if about_counts else m))

    missed_links = []
    for link in gold.get("links", []):
        (a, a_about), (b, b_about) = ends(link["a"]), ends(link["b"])
        hard = bool(link.get("hard"))
        window, evidence = (3 if hard else 1), norm_text(link.get("evidence", ""))
        hit = hit_evidence = False
        for k in range(len(passages)):
            if not has(k, a, a_about):
                continue
            for j in range(max(0, k - window), min(len(passages), k + window + 1)):
                if has(j, b, b_about):
                    hit = True
                    if evidence and (evidence in norm_text(passages[k][0]) or evidence in norm_text(passages[j][0])):
                        hit_evidence = True
        if hard and not hit and doc:
            creators = g.creators.get(doc, set())
            hit = bool((creators & a and b & touched) or (creators & b and a & touched))
        if hard:
            add("hard_links.r", int(hit), 1)
        else:
            add("links.r", int(hit), 1)
            add("links_evidence.r", int(hit_evidence), 1)
        if not hit:
            missed_links.append(f"{link['a']} ~ {link['b']}")
    score.missed["links"] = missed_links

    pairs = set()
    for text, m, ab in passages:
        if len(text) <= MAX_PASSAGE_CHARS:
            states = {g.iso3[e] for e in m if e in g.iso3}
            objectives = {g.objective_no[e] for e in m | ab if e in g.objective_no}
            pairs |= {(s, o) for s in states for o in objectives}
    so = gold.get("state_objective_pairs", {"required": [], "acceptable": []})
    precision_recall("pairs", pairs, {tuple(x) for x in so["required"]}, {tuple(x) for x in so.get("acceptable", [])})
    return score


def evaluate(store: ox.Store, gold_dir: str | Path) -> EvaluationReport:
    """Score every document of `gold_dir` (one JSON file per document) against the store."""
    gold_dir = Path(gold_dir)
    files = sorted(p for p in gold_dir.glob("*.json") if p.name != STANCE_SET) if gold_dir.is_dir() else []
    if not files:
        raise GcmkgError(f"{gold_dir}: no gold files (*.json) found")
    golds = []
    for path in files:
        try:
            golds.append(json.loads(path.read_text(encoding="utf-8")))
            golds[-1]["document"]
        except (ValueError, KeyError, TypeError) as exc:
            raise GcmkgError(f"{path}: not a gold annotation file ({exc})") from None
    graph = _Graph(store)
    scores = [_score_document(graph, gold) for gold in golds]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in scores:
        for metric, (hits, total) in s.counts.items():
            totals[metric][0] += hits
            totals[metric][1] += total
    return EvaluationReport(scores, dict(totals))
