"""Issue 3: extraction that generalises. Floors on the sample gold, and behaviour on texts written for tests."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from gcmkg.evaluation import evaluate
from gcmkg.extraction.objectives import numbered_objectives
from gcmkg.extraction.pipeline import get_extractor
from gcmkg.extraction.records import EntityRef
from gcmkg.loaders import load
from gcmkg.loaders.segment import build_document
from gcmkg.loaders.text import text_to_blocks

DATA = Path(__file__).parent / "data"
FLOORS = {  # issue 3, on the sample documents
    "objectives.p": 0.95, "objectives.r": 0.95, "states.p": 0.9, "states.r": 0.9, "stakeholders.p": 0.8,
    "stakeholders.r": 0.8, "concerns.r": 0.8, "links.r": 0.85, "links_evidence.r": 0.75, "pairs.p": 0.8,
    "pairs.r": 0.9,
}


def extract_text(text: str, name: str = "t.txt"):
    doc = build_document(name, text_to_blocks(text))
    return doc, get_extractor().extract(doc)


def entities(extraction, kind: str, passage: int | None = None) -> set[str]:
    return {m.entity.key for m in extraction.mentions
            if m.entity.kind == kind and (passage is None or m.passage == passage)}


@pytest.fixture(scope="module")
def sample_report(sample_store: Path):
    return evaluate(ox.Store.read_only(str(sample_store)), DATA / "gold")


@pytest.mark.parametrize("metric, floor", sorted(FLOORS.items()))
def test_sample_gold_floor(sample_report, metric: str, floor: float) -> None:
    value = sample_report.value(metric)
    assert value is not None and value >= floor, (metric, value, [(d.document, d.missed, d.wrong)
                                                                   for d in sample_report.documents])


@pytest.mark.parametrize("text, expected", [
    ("Roundtable 3: Objectives 4, 8, 9, 10, 11, 13, 21", {4, 8, 9, 10, 11, 13, 21}),
    ("Labour rights: Objectives 6 (decent work); 7 (reduce vulnerabilities in migration)", {6, 7}),
    ("(GCM objectives 8 and 11)", {8, 11}),
    ("(GCM objectives 17)", {17}),
    ("as outlined in GCM objective 8.", {8}),
    ("Objectives 1 to 3 concern data", {1, 2, 3}),
    ("under SDG 10, Goal 5 and Target 10.7", set()),
    ("our twin objectives this year as (1) broadening", set()),
    ("Objective 24 does not exist", set()),
])
def test_objective_numbers(text: str, expected: set[int]) -> None:
    assert {h.number for h in numbered_objectives(text)} == expected


def test_objective_named_by_its_title_is_context_not_mention() -> None:
    _, x = extract_text("States reaffirmed that they use migration detention only as a measure of last resort.\n")
    assert entities(x, "objective") == set()
    assert EntityRef("objective", "13") in x.about[0]


@pytest.mark.parametrize("text, expected", [
    ("The Croatian police and Greek authorities returned migrants.", {"HRV", "GRC"}),
    ("A draft by the Swiss and Mexican governments.", {"CHE", "MEX"}),
    ("Venezuelan migrants and Syrian refugees arrived.", {"VEN", "SYR"}),
    ("Interpretation was available in English, French and Russian.", set()),
    ("The New York Declaration and the Chisinau Agreement were recalled.", set()),
    ("Trade unions in the U.S. and the UK organised.", {"USA", "GBR"}),
    ("Türkiye and Turkey are one state; so are the Republic of Moldova and Moldova.", {"TUR", "MDA"}),
    ("Building a wall along the U.S.-Mexican border.", {"USA", "MEX"}),
    ("Papua New Guinea, Guinea-Bissau and Niger signed.", {"PNG", "GNB", "NER"}),
    ("a turkey and a chad are not states", set()),
])
def test_state_names_and_adjectives(text: str, expected: set[str]) -> None:
    _, x = extract_text(text + "\n")
    assert entities(x, "state") == expected


def test_stakeholders_acronyms_and_discovery() -> None:
    _, x = extract_text(
        "The European Youth Information and Counselling Agency (ERYICA) and the IOM met the UNHCR.\n\n"
        "Later ERYICA and the Ghana Trades Union Congress (GTUC) spoke; the GTUC asked for more.\n")
    first = entities(x, "stakeholder", 0)
    iom = "international-organization-for-migration"
    unhcr = "office-of-the-united-nations-high-commissioner-for-refugees"
    assert {iom, unhcr} <= first
    eryica = {k for k in first if "youth-information" in k}
    assert len(eryica) == 1
    second = entities(x, "stakeholder", 1)
    assert eryica <= second and "ghana-trades-union-congress" in second and "trades-union-congress" not in second
    gtuc = next(h for h in x.new_stakeholders if h.slug == "ghana-trades-union-congress")
    assert gtuc.type == "TradeUnion" and gtuc.acronyms == ("GTUC",)


def test_short_forms_refer_back_only_after_the_full_name() -> None:
    _, x = extract_text("The Special Rapporteur spoke first.\n\n"
                        "The United Nations Special Rapporteur on the Human Rights of Migrants visited.\n\n"
                        "The Special Rapporteur called for an end to child detention.\n")
    assert entities(x, "stakeholder", 0) == set()
    assert entities(x, "stakeholder", 1) == entities(x, "stakeholder", 2) != set()


@pytest.mark.parametrize("text, concern", [
    ("Yet children continue to be detained across the region.", "child-detention"),
    ("addressing the growing use of immigration detention, particularly of children", "child-detention"),
    ("Both states undertook regularizations of undocumented workers.", "regularisation"),
    ("reports of push-backs at the land border", "pushbacks-and-collective-expulsions"),
])
def test_concern_wordings_match_inflections(text: str, concern: str) -> None:
    _, x = extract_text(text + "\n")
    assert concern in entities(x, "concern")


def test_organisation_names_do_not_signal_concerns() -> None:
    _, x = extract_text("The Office of the United Nations High Commissioner for Human Rights spoke.\n")
    assert entities(x, "concern") == set()


def test_headings_govern_until_the_next_heading_or_a_gap() -> None:
    text = ("II. Implementation\n\nObjective 11 - borders\n\n- Pushbacks were reported.\n- Recommendations:\n"
            " - Portugal should monitor borders.\n\nObjective 13 – detention\n\nSpain spoke.\n\n\n\n"
            "Italy spoke after an excerpt gap.\n")
    doc, x = extract_text(text)
    by_text = {p.text: p.index for p in doc.passages}
    assert EntityRef("objective", "11") in x.about[by_text["Portugal should monitor borders."]]
    assert EntityRef("objective", "13") in x.about[by_text["Spain spoke."]]
    assert EntityRef("objective", "11") not in x.about[by_text["Spain spoke."]]
    assert by_text["Italy spoke after an excerpt gap."] not in x.about


def test_a_paragraph_opened_by_an_objective_is_about_it() -> None:
    doc, x = extract_text("This roundtable will consider GCM objective 7 on vulnerabilities. It will discuss "
                          "access to legal assistance.\n")
    assert EntityRef("objective", "7") in x.about[1]


def test_hard_wrapped_text_is_rejoined_into_sentences() -> None:
    doc, _ = extract_text("Albania, Canada and North Macedonia cited continued training and capacity\n"
                          "building of Border and Migration Police with the support of IOM. Sweden\n"
                          "reported a fast track programme.\n")
    assert [p.text for p in doc.passages] == [
        "Albania, Canada and North Macedonia cited continued training and capacity building of Border and "
        "Migration Police with the support of IOM.", "Sweden reported a fast track programme."]


def test_gcm_means_the_coalition_in_its_own_texts() -> None:
    _, coalition = extract_text("Statement of the Global Coalition on Migration (GCM), 2017\n\n"
                                "GCM calls for firewalls.\n")
    _, compact = extract_text("The Global Compact for Safe, Orderly and Regular Migration (GCM) was adopted in "
                              "2018.\n\nGCM objective 4 concerns legal identity.\n")
    assert coalition.gcm_sense == "coalition" and compact.gcm_sense == "compact"
    assert "global-coalition-on-migration" in entities(coalition, "stakeholder", 1)
    assert entities(coalition, "compact") == set() and entities(compact, "compact")


def test_national_review_fixture() -> None:
    doc = load(DATA / "extraction" / "national_review.txt")
    x = get_extractor().extract(doc)
    assert x.creators == [EntityRef("state", "GHA")]
    practices = {(a.key, o.key) for p in x.practices for a in p.actors for o in p.objectives}
    assert ("GHA", "6") in practices and ("GHA", "20") in practices
    assert {"NGA", "NER", "SAU", "QAT", "LBN", "KWT"} <= entities(x, "state")
    recs = [s for s in x.statements if s.kind == "recommendation"]
    assert any(EntityRef("objective", "6") in s.objectives for s in recs)
    types = {h.label: h.type for h in x.new_stakeholders}
    assert types.get("Bank of Ghana") == "NationalPublicBody"


def test_rapporteur_report_fixture() -> None:
    doc = load(DATA / "extraction" / "rapporteur_report.txt")
    x = get_extractor().extract(doc)
    assert entities(x, "state") == {"HRV", "GRC", "VEN", "COL", "PER", "MEX", "TUR"}
    addressed = {a.key for s in x.statements for a in s.addressees}
    assert addressed == {"GRC", "TUR"}
    assert [[a.key for a in p.actors] for p in x.practices] == [["MEX"]]
    detention = next(p.index for p in doc.passages if p.text.startswith("Children continue to be detained"))
    assert EntityRef("objective", "13") in x.about[detention]
    assert EntityRef("concern", "child-detention") in {m.entity for m in x.mentions if m.passage == detention}


def test_evaluate_command_reports_per_document_and_stances(sample_store: Path, run_cli) -> None:
    ok = run_cli("evaluate", DATA / "gold", "--store", sample_store, "--stances", DATA / "stance" / "gold.json",
                 "--min", "links.r=0.85", "--min", "stances.accuracy=0.85")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "000_cd71f0e0803553b0.txt" in ok.stdout and "stances: accuracy" in ok.stdout
    strict = run_cli("evaluate", DATA / "gold", "--store", sample_store, "--min", "links_evidence.r=0.999")
    assert strict.returncode == 1 and "below floor: links_evidence.r" in strict.stdout
    bad = run_cli("evaluate", DATA / "loaders", "--store", sample_store)
    assert bad.returncode == 1 and "no gold files" in bad.stderr and "Traceback" not in bad.stderr


DEVSET_FLOORS = {  # a blind second development set in six other genres (tests/data/devset/README.md)
    "objectives.p": 0.9, "objectives.r": 0.9, "states.p": 0.9, "states.r": 0.9, "stakeholders.p": 0.8,
    "stakeholders.r": 0.8, "concerns.r": 0.8, "links.r": 0.75, "hard_links.r": 0.8, "pairs.p": 0.8, "pairs.r": 0.9,
}


@pytest.fixture(scope="module")
def devset_report(tmp_path_factory):
    from gcmkg.graph.kg import KnowledgeGraph

    store = tmp_path_factory.mktemp("devset") / "store"
    with KnowledgeGraph(store) as kg:
        report = kg.build([DATA / "devset"], reason=False)
        assert not report.failed, report.failed
        return evaluate(kg.store, DATA / "devset")


@pytest.mark.parametrize("metric, floor", sorted(DEVSET_FLOORS.items()))
def test_devset_floor(devset_report, metric: str, floor: float) -> None:
    value = devset_report.value(metric)
    assert value is not None and value >= floor, (metric, value)


def test_authors_from_imprint_line_and_signatories_not_from_mentions() -> None:
    _, imprint = extract_text("No fees for work\n\n"
                              "International Trade Union Confederation (ITUC), Brussels, June 2022\n\n"
                              "The report was prepared with data from the ILO.\n")
    assert [c.key for c in imprint.creators] == ["international-trade-union-confederation"]
    _, signed = extract_text("We call on States to end child detention.\n\nSignatories:\n\n"
                             "Migrant Forum in Asia\n\nInternational Detention Coalition (IDC)\n")
    assert {c.key for c in signed.creators} == {"migrant-forum-in-asia", "international-detention-coalition"}
    _, neither = extract_text("The Nepal Labour Migration Report 2020, prepared by the ministry with the ILO, is "
                              "the main source.\n")
    assert neither.creators == []


def test_extraction_is_the_same_in_every_process() -> None:
    """Records (not only the RDF) must not depend on hash randomisation: workers and reruns agree."""
    import os
    import subprocess
    import sys

    script = ("from gcmkg.loaders import load; from gcmkg.extraction.pipeline import get_extractor; "
              "from gcmkg.graph.kg import sample_corpus; import sys; "
              "d = load(sorted(sample_corpus().glob('*.txt'))[1]); x = get_extractor().extract(d); "
              "about = [(k, sorted(v)) for k, v in sorted(x.about.items())]; "
              "sys.stdout.write(repr((x.mentions, about, x.creators, x.practices, x.statements)))")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1
