"""Reference data (objectives, principles, states, stakeholders, concerns) read from the data files.

Records here are plain Python; `reference_quads` turns them into the reference named graph.
Everything is read once per process (`reference_data()` is cached).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from gcmkg.ontology.namespace import (
    COMPACT_IRI,
    DCTERMS,
    GCM,
    ID_NS,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    concern_iri,
    objective_iri,
    principle_iri,
    slugify,
    stakeholder_iri,
    state_iri,
)

DATA = Path(str(files("gcmkg.ontology") / "data"))
ONTOLOGY_FILE = Path(str(files("gcmkg.ontology") / "gcm.ttl"))
SHAPES_FILE = Path(str(files("gcmkg.ontology") / "shapes.ttl"))

STAKEHOLDER_TYPES = (
    "UNEntity", "TreatyBodyOrSpecialProcedure", "IntergovernmentalOrganisation", "CivilSocietyOrganisation",
    "TradeUnion", "LocalAuthority", "NationalHumanRightsInstitution", "PrivateSectorActor",
    "AcademicInstitution", "YouthOrganisation", "NationalPublicBody",
)


@dataclass(frozen=True)
class Objective:
    number: int
    title: str

    @property
    def iri(self) -> str:
        return objective_iri(self.number)


@dataclass(frozen=True)
class Principle:
    slug: str
    label: str
    alt_labels: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return principle_iri(self.slug)


@dataclass(frozen=True)
class State:
    iso3: str
    label: str
    status: str
    names: tuple[tuple[str, str], ...] = ()  # (name, kind): official, short, common, former, abbreviation
    adjectives: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return state_iri(self.iso3)


@dataclass(frozen=True)
class Stakeholder:
    slug: str
    type: str
    label: str
    alt_labels: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    context_aliases: tuple[str, ...] = ()  # short forms valid once the full name appeared in the document

    @property
    def iri(self) -> str:
        return stakeholder_iri(self.slug)


@dataclass(frozen=True)
class Concern:
    slug: str
    label: str
    alt_labels: tuple[str, ...] = ()
    objectives: tuple[int, ...] = ()
    broader: tuple[str, ...] = ()
    definition: str = ""

    @property
    def iri(self) -> str:
        return concern_iri(self.slug)


@dataclass
class ReferenceData:
    objectives: list[Objective] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)

    def state(self, iso3: str) -> State:
        return next(s for s in self.states if s.iso3 == iso3)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def load_objectives() -> list[Objective]:
    with open(DATA / "objectives.tsv", encoding="utf-8") as fh:
        return [Objective(int(r["number"]), r["title"].strip()) for r in csv.DictReader(fh, delimiter="\t")]


def load_principles() -> list[Principle]:
    with open(DATA / "guiding_principles.csv", encoding="utf-8") as fh:
        return [Principle(r["slug"], r["label"], _split(r["alt_labels"])) for r in csv.DictReader(fh)]


def load_states() -> list[State]:
    """UN member and observer states; names from pycountry plus the curated aliases and adjectives."""
    import pycountry

    aliases: dict[str, list[tuple[str, str]]] = {}
    with open(DATA / "state_aliases.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            aliases.setdefault(r["iso3"].strip().upper(), []).append((r["alias"].strip(), r["kind"].strip()))
    states = []
    with open(DATA / "un_states.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            iso3 = r["iso3"].strip().upper()
            names: dict[str, str] = {}
            country = pycountry.countries.get(alpha_3=iso3)
            if country is not None:
                for attr, kind in (("name", "short"), ("official_name", "official"), ("common_name", "common")):
                    value = getattr(country, attr, None)
                    if value and ", " not in value:  # skip inverted forms such as "Korea, Republic of"
                        names.setdefault(value, kind)
            adjectives = []
            for alias, kind in aliases.get(iso3, []):
                if kind == "adjective":
                    adjectives.append(alias)
                else:
                    names.setdefault(alias, kind)
            names.pop(r["name"].strip(), None)
            states.append(State(iso3, r["name"].strip(), r["status"].strip(), tuple(names.items()),
                                tuple(dict.fromkeys(adjectives))))
    return states


def load_stakeholders() -> list[Stakeholder]:
    with open(DATA / "stakeholders.csv", encoding="utf-8") as fh:
        return [
            Stakeholder(r["id"].strip(), r["type"].strip(), r["label"].strip(), _split(r.get("alt_labels")),
                        _split(r.get("acronyms")), _split(r.get("context_aliases")))
            for r in csv.DictReader(fh)
        ]


def load_concerns() -> list[Concern]:
    """The SKOS concern scheme (concerns.ttl)."""
    import pyoxigraph as ox

    by_subject: dict[str, dict[str, list]] = {}
    with open(DATA / "concerns.ttl", "rb") as fh:
        for triple in ox.parse(fh, format=ox.RdfFormat.TURTLE):
            s = triple.subject.value
            by_subject.setdefault(s, {}).setdefault(triple.predicate.value, []).append(triple.object)
    prefix = ID_NS + "concern/"
    concerns = []
    for s, props in sorted(by_subject.items()):
        if not s.startswith(prefix) or GCM.Concern not in {o.value for o in props.get(RDF + "type", [])}:
            continue
        objectives = tuple(sorted(int(o.value.rsplit("/", 1)[1]) for o in props.get(GCM.relatedObjective, [])))
        concerns.append(Concern(
            slug=s[len(prefix):],
            label=props[SKOS + "prefLabel"][0].value,
            alt_labels=tuple(o.value for o in props.get(SKOS + "altLabel", [])),
            objectives=objectives,
            broader=tuple(o.value[len(prefix):] for o in props.get(SKOS + "broader", [])),
            definition=next((o.value for o in props.get(SKOS + "definition", [])), ""),
        ))
    return concerns


@cache
def reference_data() -> ReferenceData:
    return ReferenceData(load_objectives(), load_principles(), load_states(), load_stakeholders(), load_concerns())


Triple = tuple[str, str, object]  # (subject IRI, predicate IRI, object IRI or Literal)


@dataclass(frozen=True)
class Literal:
    """A literal independent of any RDF library: value, and a language tag or a datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None


def reference_triples(ref: ReferenceData | None = None) -> list[Triple]:
    """The reference named graph: the compact, objectives, principles, states, stakeholders, concerns."""
    ref = ref or reference_data()
    t: list[Triple] = []
    en = lambda v: Literal(v, lang="en")  # noqa: E731
    t += [(COMPACT_IRI, RDF + "type", GCM.Compact),
          (COMPACT_IRI, SKOS + "prefLabel", en("Global Compact for Safe, Orderly and Regular Migration")),
          (COMPACT_IRI, SKOS + "altLabel", en("Global Compact for Migration")),
          (COMPACT_IRI, DCTERMS + "identifier", Literal("A/RES/73/195"))]
    for o in ref.objectives:
        number = Literal(str(o.number), datatype=XSD + "integer")
        t += [(o.iri, RDF + "type", GCM.Objective), (o.iri, GCM.number, number),
              (o.iri, SKOS + "prefLabel", en(o.title)), (o.iri, SKOS + "notation", Literal(str(o.number))),
              (o.iri, RDFS + "label", en(f"Objective {o.number}: {o.title}")),
              (o.iri, SKOS + "inScheme", COMPACT_IRI), (COMPACT_IRI, SKOS + "hasTopConcept", o.iri)]
    for p in ref.principles:
        t += [(p.iri, RDF + "type", GCM.GuidingPrinciple), (p.iri, SKOS + "prefLabel", en(p.label)),
              (p.iri, SKOS + "inScheme", COMPACT_IRI)]
        t += [(p.iri, SKOS + "altLabel", en(a)) for a in p.alt_labels]
    for s in ref.states:
        t += [(s.iri, RDF + "type", GCM.State), (s.iri, GCM.iso3, Literal(s.iso3)),
              (s.iri, RDFS + "label", en(s.label)),
              (s.iri, GCM.status, Literal(s.status))]
        t += [(s.iri, SKOS + "altLabel", en(name)) for name, _ in s.names]
        t += [(s.iri, SKOS + "hiddenLabel", en(a)) for a in s.adjectives]
    for h in ref.stakeholders:
        t += [(h.iri, RDF + "type", stakeholder_class(h.type)), (h.iri, RDFS + "label", en(h.label))]
        t += [(h.iri, SKOS + "altLabel", en(a)) for a in (*h.alt_labels, *h.acronyms)]
    concern_scheme = ID_NS + "concern-scheme"
    t += [(concern_scheme, RDF + "type", SKOS + "ConceptScheme"),
          (concern_scheme, SKOS + "prefLabel", en("GCM concern scheme"))]
    for c in ref.concerns:
        t += [(c.iri, RDF + "type", GCM.Concern), (c.iri, SKOS + "prefLabel", en(c.label)),
              (c.iri, SKOS + "inScheme", concern_scheme)]
        t += [(c.iri, SKOS + "altLabel", en(a)) for a in c.alt_labels]
        t += [(c.iri, GCM.relatedObjective, objective_iri(n)) for n in c.objectives]
        t += [(c.iri, SKOS + "broader", concern_iri(b)) for b in c.broader]
        if c.definition:
            t.append((c.iri, SKOS + "definition", en(c.definition)))
    t += grouping_triples() + vote_triples()  # issue 8: regions, groupings, the vote on 73/195
    return t


def stakeholder_class(type_name: str) -> str:
    """The class IRI of a stakeholder type; unknown types fall back to gcm:Stakeholder."""
    return getattr(GCM, type_name) if type_name in STAKEHOLDER_TYPES else GCM.Stakeholder


# ---------------------------------------------------------------- regions, groupings and the recorded vote

VOTE_SOURCE = ID_NS + "source/unga-73-195-vote"
VOTE_TITLE = ("United Nations General Assembly, recorded vote on resolution 73/195 (Global Compact for Safe, "
              "Orderly and Regular Migration), 19 December 2018")
_VOTE_KIND = {"against": ("rejectsCompact", "negative", "voted against"),
              "abstaining": ("abstainsOnCompact", "neutral", "abstained in the vote on"),
              "in favour": ("endorsesCompact", "positive", "voted in favour of")}


def region_iri(name: str) -> str:
    return f"{ID_NS}region/{slugify(name)}"


def grouping_triples() -> list[Triple]:
    """Each state's M49 region and sub-region (gcm:inRegion) and groupings (gcm:memberOf): regions.csv."""
    t: list[Triple] = []
    regions: dict[str, str | None] = {}
    with open(DATA / "regions.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            state = state_iri(r["iso3"])
            regions.setdefault(r["m49_region"], None)
            regions.setdefault(r["m49_subregion"], r["m49_region"])
            t += [(state, GCM.inRegion, region_iri(r["m49_region"])),
                  (state, GCM.inRegion, region_iri(r["m49_subregion"]))]
            t += [(state, GCM.memberOf, stakeholder_iri(slug)) for slug in _split(r["member_of"])]
    for name, broader in regions.items():
        iri = region_iri(name)
        t += [(iri, RDF + "type", GCM.Region), (iri, RDFS + "label", Literal(name, "en")),
              (iri, SKOS + "prefLabel", Literal(name, "en"))]
        if broader:
            t.append((iri, SKOS + "broader", region_iri(broader)))
    return t


def vote_triples() -> list[Triple]:
    """The recorded vote on A/RES/73/195 as stance triples, each attested by its row and source URL."""
    t: list[Triple] = [(VOTE_SOURCE, RDF + "type", GCM.Source),
                       (VOTE_SOURCE, DCTERMS + "title", Literal(VOTE_TITLE, "en")),
                       (VOTE_SOURCE, DCTERMS + "date", Literal("2018-12-19", datatype=XSD + "date")),
                       (VOTE_SOURCE, DCTERMS + "identifier", Literal("A/RES/73/195 recorded vote"))]
    with open(DATA / "unga_73_195_vote.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        prop, polarity, verb = _VOTE_KIND[r["vote"]]
        s, p = state_iri(r["iso3"]), getattr(GCM, prop)
        att = f"{ID_NS}attestation/reference/unga-73-195-vote/{r['iso3'].upper()}"
        resolution = r["resolution"].removeprefix("A/RES/")
        text = (f"{r['state']} {verb} resolution {resolution} (the Global Compact for Safe, Orderly and "
                f"Regular Migration) in the UN General Assembly on {r['date']}.")
        t += [(s, p, COMPACT_IRI), (att, RDF + "type", GCM.SourceAttestation), (att, RDF + "subject", s),
              (att, RDF + "predicate", p), (att, RDF + "object", COMPACT_IRI), (att, GCM.count, 1),
              (att, PROV + "wasDerivedFrom", VOTE_SOURCE), (att, DCTERMS + "isPartOf", VOTE_SOURCE),
              (att, GCM.text, Literal(text)), (att, GCM.polarity, Literal(polarity)),
              (att, GCM.hedged, Literal("false", datatype=XSD + "boolean")),
              (att, DCTERMS + "date", Literal(r["date"], datatype=XSD + "date")),
              (att, DCTERMS + "source", r["source"]), (VOTE_SOURCE, DCTERMS + "source", r["source"])]
    return t
