"""Structured sources (issue 8): CSV and JSON tables with a TOML mapping become passages and stances."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gcmkg.errors import LoaderError
from gcmkg.extraction.records import EntityRef
from gcmkg.graph.kg import KnowledgeGraph
from gcmkg.loaders import load, loader_for

DATA = Path(__file__).parent / "data" / "tabular"


def test_csv_rows_become_passages_and_structured_stances():
    document = load(DATA / "pledges.csv")
    assert loader_for(DATA / "pledges.csv").name == "tabular"
    assert document.title == "Pledges and positions (test fixture)"
    assert len(document.passages) == 4
    assert all(document.text[p.start:p.end] == p.text for p in document.passages)
    first = document.passages[0].text
    assert first.startswith("Portugal commits to Objective 13") and "End the immigration detention" in first
    rows = document.structured_stances
    assert [(r.actor, r.kind) for r in rows] == [
        (("state", "PRT"), "commits"), (("state", "GBR"), "reports"),
        (("stakeholder", "international-organization-for-migration"), "commits"), (("state", "HUN"), "rejects")]
    assert rows[1].targets == (("objective", "11"), ("objective", "12"))
    assert rows[3].targets == (("compact", "gcm"),)
    assert rows[0].date == "2022-05-20" and rows[0].source.startswith("https://")


def test_json_coding_sheet_with_folder_defaults():
    document = load(DATA / "coding.json")
    assert document.media_type == "application/json"
    greece, mexico = document.structured_stances
    assert greece.kind == "criticised" and ("concern", "pushbacks-and-collective-expulsions") in greece.targets
    assert mexico.targets == (("objective", "4"), ("objective", "7"))
    assert greece.source == "https://example.org/coding-sheet"


def test_tables_build_into_the_graph_and_answer_the_stance_queries(tmp_path):
    with KnowledgeGraph(tmp_path / "store") as kg:
        report = kg.build([DATA])
        assert report.ok and sorted(report.built) == ["coding.json", "pledges.csv"]
        portugal = kg.query("state-stance", state="Portugal")
        backers = kg.query("objective-backers", objective=11)
    records = portugal.to_dict("records")
    (pledge,) = [r for r in records if r["kind"] == "commits to" and r["target_type"] == "objective"]
    assert pledge["target"].endswith("/objective/13")
    assert pledge["source"] == "https://example.org/imrf/pledges/portugal"
    assert "End the immigration detention of children" in pledge["latest_quote"]
    kinds = {(r["actor"].rsplit("/", 1)[1], r["kind"]) for r in backers.to_dict("records")}
    assert {("GBR", "reports a measure on"), ("GRC", "criticised on")} <= kinds


def _copy(tmp_path: Path, name: str, mapping: str | None) -> Path:
    table = tmp_path / name
    shutil.copy(DATA / "pledges.csv", table)
    if mapping is not None:
        (tmp_path / f"{table.stem}.mapping.toml").write_text(mapping, encoding="utf-8")
    return table


def test_a_table_without_mapping_names_the_file_it_needs(tmp_path):
    with pytest.raises(LoaderError, match=r"pledges\.mapping\.toml"):
        load(_copy(tmp_path, "pledges.csv", None))


@pytest.mark.parametrize("mapping, message", [
    ('kind = "commits"\n[columns]\nactor = "nation"\n', "'nation'"),
    ('kind = "supports"\n[columns]\nactor = "country"\n', "unknown stance kind 'supports'"),
    ('[columns]\nactor = "country"\n', "kind"),
    ('kind = "commits"\n[columns]\nactor = "country"\nobjectives = "url"\n', "row 2: 'https"),
    ('kind = [\n', "not a valid TOML mapping"),
])
def test_bad_mappings_and_rows_are_one_line_errors(tmp_path, mapping, message):
    with pytest.raises(LoaderError, match=message) as info:
        load(_copy(tmp_path, "pledges.csv", mapping))
    assert "\n" not in str(info.value)


def test_unknown_actor_names_the_row(tmp_path):
    table = tmp_path / "sheet.csv"
    table.write_text("who,what\nPortugal,13\nAtlantis,13\n", encoding="utf-8")
    (tmp_path / "mapping.toml").write_text('kind = "commits"\n[columns]\nactor = "who"\nobjectives = "what"\n')
    with pytest.raises(LoaderError, match="row 3: unknown actor 'Atlantis'"):
        load(table)


def test_stance_records_of_a_table_keep_date_and_source():
    from gcmkg.extraction.pipeline import get_extractor

    extraction = get_extractor().extract(load(DATA / "pledges.csv"))
    portugal = next(s for s in extraction.stances if s.actor == EntityRef("state", "PRT"))
    assert portugal.kind == "commits" and portugal.date == "2022-05-20"
    assert EntityRef("concern", "alternatives-to-detention") in portugal.targets
