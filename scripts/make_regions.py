"""Regenerate gcmkg/ontology/data/regions.csv: M49 region and sub-region, EU and UN regional commissions.

Sources: M49 regions and EU-27 membership from the data table of country_converter (PyPI
`country_converter`, columns `continent`, `UNregion`, `EU27`), read directly as a TSV; UN regional
commission membership from scripts/regional_commissions.csv (a rule on M49 plus listed members, curated
from the commissions' published membership; see gcmkg/ontology/data/SOURCES.md).

    pip install country_converter && python scripts/make_regions.py
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "gcmkg" / "ontology" / "data"
EU_SLUG = "european-union"
M49_REGION = {"America": "Americas"}  # country_converter says "America" where M49 says "Americas"


def coco_table() -> dict[str, dict[str, str]]:
    """country_converter's table by ISO3, read as text so that no value (e.g. Namibia's "NA") is lost."""
    path = files("country_converter") / "country_data.tsv"
    with path.open(encoding="utf-8") as fh:
        return {r["ISO3"]: r for r in csv.DictReader(fh, delimiter="\t")}


def main() -> None:
    table = coco_table()
    with open(DATA / "un_states.csv", encoding="utf-8") as fh:
        states = list(csv.DictReader(fh))
    with open(ROOT / "scripts" / "regional_commissions.csv", encoding="utf-8") as fh:
        commissions = list(csv.DictReader(fh))
    rows = []
    for s in states:
        iso3, row = s["iso3"], table[s["iso3"]]
        region, subregion = M49_REGION.get(row["continent"], row["continent"]), row["UNregion"]
        member_of = []
        for c in commissions:
            listed = iso3 in c["extra_members"].split("|")
            by_rule = False
            if c["rule"] and s["status"] == "member":
                field, _, values = c["rule"].partition("=")
                by_rule = {"m49_region": region, "m49_subregion": subregion}[field] in values.split("|")
            if listed or by_rule:
                member_of.append(c["stakeholder"])
        if row["EU27"].strip():
            member_of.append(EU_SLUG)
        rows.append({"iso3": iso3, "m49_region": region, "m49_subregion": subregion,
                     "member_of": "|".join(member_of)})
    with open(DATA / "regions.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["iso3", "m49_region", "m49_subregion", "member_of"])
        writer.writeheader()
        writer.writerows(rows)
    groups = [(c["commission"], c["stakeholder"]) for c in commissions] + [("EU", EU_SLUG)]
    counts = {name: sum(slug in r["member_of"].split("|") for r in rows) for name, slug in groups}
    print(f"wrote {len(rows)} states to {DATA / 'regions.csv'}; members: {counts}")


if __name__ == "__main__":
    main()
