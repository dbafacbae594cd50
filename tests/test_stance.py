"""Stances (issue 8): the hand-checked set, negation and hedging, and the two stance queries on the sample corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gcmkg.extraction.records import STANCE_POLARITY, EntityRef
from gcmkg.extraction.stance import evaluate_stances, stances_of_text
from gcmkg.graph.kg import KnowledgeGraph

GOLD = Path(__file__).parent / "data" / "stance" / "gold.json"
SUPPORT = {"reports", "commits", "endorses"}


def test_hand_checked_set_is_large_and_mixed():
    items = json.loads(GOLD.read_text(encoding="utf-8"))
    assert len(items) >= 40
    assert sum(i["source"].startswith("corpus:") for i in items) >= 20
    assert {i["kind"] for i in items} >= {"reports", "commits", "urged", "recommends", "criticised", "concern",
                                          "endorses", "rejects", "abstains", "none"}


def test_stance_accuracy_on_the_hand_checked_set():
    report = evaluate_stances(GOLD)
    assert report.items >= 40
    assert report.accuracy >= 0.85, report.errors


def test_criticism_is_never_recorded_as_support():
    """For every item a reader marks as criticism or rejection, no supportive stance for that actor."""
    for item in json.loads(GOLD.read_text(encoding="utf-8")):
        if item["kind"] == "none" or STANCE_POLARITY[item["kind"]] != "negative":
            continue
        actor = EntityRef(*item["actor"].split(":", 1))
        found = {s.kind for s in stances_of_text(item["text"], item.get("heading", "")) if s.actor == actor}
        assert not found & SUPPORT, (item["id"], found)


@pytest.mark.parametrize("text, actor, kind", [
    ("Greece did not adopt alternatives to detention for children.", "GRC", "criticised"),
    ("Greece adopted alternatives to detention for children.", "GRC", "reports"),
    ("Italy has not introduced firewalls between immigration enforcement and health services.", "ITA", "criticised"),
    ("Italy introduced firewalls between immigration enforcement and health services.", "ITA", "reports"),
    ("Poland will not sign the Global Compact for Migration.", "POL", "rejects"),
])
def test_negation_turns_a_measure_into_criticism(text, actor, kind):
    found = {s.kind for s in stances_of_text(text) if s.actor == EntityRef("state", actor)}
    assert found == {kind}


def test_hedged_criticism_is_kept_and_marked():
    text = "Some stakeholders suggested that Croatia failed to ensure access to asylum at its borders."
    (stance,) = [s for s in stances_of_text(text) if s.actor == EntityRef("state", "HRV")]
    assert stance.kind == "criticised" and stance.polarity == "negative" and stance.hedged
    assert EntityRef("concern", "access-to-asylum") in stance.targets


def _rows(frame, **equal):
    return [r for r in frame.to_dict("records") if all(r.get(k) == v for k, v in equal.items())]


def test_objective_11_backers_separate_measures_from_concerns(sample_store):
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        frame = kg.query("objective-backers", objective=11)
    reporters = {r["actor"].rsplit("/", 1)[1]: r for r in _rows(frame, kind="reports a measure on",
                                                                  actor_type="state")}
    assert {"ARM", "ALB", "CAN", "MKD"} <= set(reporters)
    assert "Armenia" in reporters["ARM"]["latest_quote"] and "ICMPD" in reporters["ARM"]["latest_quote"]
    assert "Border and Migration Police" in reporters["ALB"]["latest_quote"]
    concerns = _rows(frame, kind="voices concern on")
    assert any("Human Rights Watch" in r["latest_quote"] for r in concerns)
    assert any("pushbacks" in r["via"] for r in concerns)
    assert all(r["polarity"] == "negative" for r in concerns)
    assert not {r["actor"] for r in concerns} & {r["actor"] for r in reporters.values()}


def test_state_stance_shows_the_recorded_vote_with_its_source(sample_store):
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        frame = kg.query("state-stance", state="USA")
    (vote,) = _rows(frame, target_type="compact", kind="rejects the compact")
    assert vote["polarity"] == "negative"
    assert vote["source"].startswith("https://")
    assert "voted against resolution 73/195" in vote["latest_quote"]
    assert "recorded vote on resolution 73/195" in vote["documents"]


def test_region_filter_keeps_only_states_of_the_region(sample_store):
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        south = kg.query("state-stance", region="Southern Europe")
        everyone = kg.query("state-stance")
        unece = kg.query("objective-backers", objective=11, region="UNECE")
    codes = {s.rsplit("/", 1)[1] for s in south["state"]}
    assert {"ITA", "PRT", "ALB", "MKD"} <= codes
    assert not codes & {"USA", "CAN", "ARM", "HUN"}
    assert len(everyone) > len(south)
    assert set(unece["actor_type"]) == {"state"}
    assert {"ARM", "ALB", "CAN", "MKD"} <= {a.rsplit("/", 1)[1] for a in unece["actor"]}


def test_every_stance_triple_is_attested_by_a_passage(sample_store):
    query = """
    SELECT (COUNT(*) AS ?n) (SUM(IF(BOUND(?text), 1, 0)) AS ?attested) WHERE {
      ?relation rdfs:subPropertyOf gcm:actsOn .
      GRAPH ?g { ?actor ?relation ?target }
      FILTER (STRSTARTS(STR(?g), "https://w3id.org/gcmkg/id/graph/document/"))
      OPTIONAL { GRAPH ?g { ?att rdf:subject ?actor ; rdf:predicate ?relation ; rdf:object ?target ;
                                 prov:wasDerivedFrom ?p . ?p gcm:text ?text } }
    }"""
    with KnowledgeGraph(sample_store, read_only=True) as kg:
        row = kg.sparql(query).iloc[0]
    assert row["n"] > 30
    assert row["attested"] == row["n"]
