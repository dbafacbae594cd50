"""IRIs of the gcmkg vocabulary and of the resources a build creates.

`GCM.term` fails loudly for a term the ontology file does not declare (tests check the two agree),
so a misspelt property never silently produces an unqueryable triple.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

GCM_NS = "https://w3id.org/gcmkg/ontology#"
ID_NS = "https://w3id.org/gcmkg/id/"
ONTOLOGY_IRI = "https://w3id.org/gcmkg/ontology"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"

PREFIXES = {
    "gcm": GCM_NS, "id": ID_NS, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD,
    "skos": SKOS, "dcterms": DCTERMS, "prov": PROV, "org": ORG,
}

_TERMS = frozenset("""
Compact Objective GuidingPrinciple Concern Actor State Stakeholder UNEntity
TreatyBodyOrSpecialProcedure IntergovernmentalOrganisation CivilSocietyOrganisation TradeUnion
LocalAuthority NationalHumanRightsInstitution PrivateSectorActor AcademicInstitution
YouthOrganisation NationalPublicBody Document Section Passage Practice Statement Recommendation
Commitment Attestation number iso3 status text index startOffset endOffset passageKind heading
contentHash sourceHash mediaType gcmSense count inDocument nextPassage inSection subsectionOf headingPassage
mentions about relatedObjective concernLinkedToObjective implementedBy addressesObjective
addressesConcern addressedTo committedBy reportsPractice raisesConcern statedIn Source Region actsOn
actedOnBy reportsMeasureOn commitsTo urgedToActOn recommendsActionOn criticisedOn voicesConcernOn
endorsesCompact rejectsCompact abstainsOnCompact makesCommitment engagesObjective engagedBy inRegion
memberOf polarity hedged SourceAttestation Cooccurrence linkFrom linkTo passageCount windowCount examplePassage
exampleInNeighbour numberOfPassages numberOfConcerns numberOfStates numberOfStakeholders coversObjective
""".split())


class _Vocabulary:
    """Attribute access to declared gcm: terms only."""

    def __init__(self, base: str, terms: frozenset[str]):
        self._base, self._terms = base, terms

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._terms:
            raise AttributeError(f"gcm:{name} is not declared in the gcmkg ontology")
        value = self._base + name
        setattr(self, name, value)  # found by plain attribute lookup next time (the build asks millions of times)
        return value

    def __contains__(self, name: str) -> bool:
        return name in self._terms

    @property
    def terms(self) -> frozenset[str]:
        return self._terms


GCM = _Vocabulary(GCM_NS, _TERMS)


def slugify(text: str) -> str:
    """A stable, readable IRI segment: ASCII, lower case, hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@lru_cache(maxsize=4096)
def document_slug(identifier: str) -> str:
    """Document IRIs follow the file name, so the same file always gets the same IRI."""
    text = unicodedata.normalize("NFKD", identifier).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "document"


def objective_iri(n: int) -> str:
    return f"{ID_NS}objective/{n}"


def state_iri(iso3: str) -> str:
    return f"{ID_NS}state/{iso3.upper()}"


def stakeholder_iri(slug: str) -> str:
    return f"{ID_NS}stakeholder/{slug}"


def concern_iri(slug: str) -> str:
    return f"{ID_NS}concern/{slug}"


def principle_iri(slug: str) -> str:
    return f"{ID_NS}principle/{slug}"


def document_iri(identifier: str) -> str:
    return f"{ID_NS}document/{document_slug(identifier)}"


def document_graph_iri(identifier: str) -> str:
    return f"{ID_NS}graph/document/{document_slug(identifier)}"


def passage_iri(identifier: str, index: int) -> str:
    return f"{ID_NS}passage/{document_slug(identifier)}/{index}"


def section_iri(identifier: str, index: int) -> str:
    return f"{ID_NS}section/{document_slug(identifier)}/{index}"


COMPACT_IRI = f"{ID_NS}compact/gcm"
REFERENCE_GRAPH = f"{ID_NS}graph/reference"
ONTOLOGY_GRAPH = f"{ID_NS}graph/ontology"
INFERRED_GRAPH = f"{ID_NS}graph/inferred"
