"""Human forms of parameters -> IRIs: `13`, "Objective 13", Portugal, PRT, "the U.K.", IOM, "child detention".

Names are read from the store itself (the reference graph and the stakeholders a build discovered in
documents), through the same backend the query will run on, so a remote endpoint resolves the same way.
An unknown name raises UnknownName with close matches; a name that fits two entities equally well
raises AmbiguousName.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from gcmkg.errors import AmbiguousName, QueryError, UnknownName
from gcmkg.ontology.namespace import ID_NS, PREFIXES, REFERENCE_GRAPH, objective_iri
from gcmkg.queries.backends import Backend, Solutions

# Which entity kinds (the IRI segment after id:) each parameter type accepts.
KINDS = {
    "objective": ("objective",), "state": ("state",), "stakeholder": ("stakeholder",), "concern": ("concern",),
    "actor": ("state", "stakeholder"),
    "region": ("region", "stakeholder"),  # an M49 region, or a grouping such as UNECE or the EU (regions.csv)
    "entity": ("objective", "state", "stakeholder", "concern", "principle", "compact"),
}
_RANK = {  # how strongly a property names its subject: a preferred name beats another name beats a hidden one
    "http://www.w3.org/2000/01/rdf-schema#label": 0, "http://www.w3.org/2004/02/skos/core#prefLabel": 0,
    "https://w3id.org/gcmkg/ontology#iso3": 0, "http://www.w3.org/2004/02/skos/core#notation": 0,
    "http://www.w3.org/2004/02/skos/core#altLabel": 1, "http://www.w3.org/2004/02/skos/core#hiddenLabel": 2,
}
_NAMES_QUERY = """
SELECT ?e ?p ?l ?g WHERE {
  GRAPH ?g { ?e ?p ?l }
  VALUES ?p { VALUES_HERE }
  FILTER (isIRI(?e) && STRSTARTS(STR(?e), "ID_NS_HERE"))
}""".replace("VALUES_HERE", " ".join(f"<{p}>" for p in _RANK)).replace("ID_NS_HERE", ID_NS)
_OBJECTIVE = re.compile(r"^(?:gcm )?(?:objectives?|obj|o)? ?(\d{1,2})$")


def normalise(name: str) -> str:
    """Case, accents, dots and a leading 'the' do not matter: 'the U.K.' -> 'uk', 'Türkiye' -> 'turkiye'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = text.replace(".", "").replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def kind_of(iri: str) -> str:
    """The entity kind of an id: IRI (objective, state, stakeholder, concern, ...)."""
    return iri[len(ID_NS):].split("/", 1)[0] if iri.startswith(ID_NS) else ""


@dataclass(frozen=True)
class _Name:
    iri: str
    rank: int
    label: str


class Resolver:
    """Resolves parameter values for one store or endpoint; the names are read once."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._index: dict[str, list[_Name]] | None = None
        self._labels: dict[str, str] = {}

    def _load(self) -> dict[str, list[_Name]]:
        if self._index is None:
            result = self.backend.execute(_NAMES_QUERY)
            if not isinstance(result, Solutions):
                raise QueryError("cannot read entity names from the store")
            index: dict[str, list[_Name]] = defaultdict(list)
            for e, p, label, g in result.rows:
                if e is None or label is None:
                    continue
                rank = _RANK[p.value] + (0 if g is not None and g.value == REFERENCE_GRAPH else 3)
                index[normalise(label.value)].append(_Name(e.value, rank, label.value))
                if _RANK[p.value] == 0 and p.value.endswith(("label", "prefLabel")):
                    self._labels.setdefault(e.value, label.value)
            self._index = dict(index)
        return self._index

    def label(self, iri: str) -> str | None:
        self._load()
        return self._labels.get(iri)

    def resolve(self, value: object, type_: str = "entity") -> ox.NamedNode | ox.Literal:
        """One parameter value as a term; terms pass through, strings are looked up by name."""
        if isinstance(value, (ox.NamedNode, ox.Literal)):
            return value
        if type_ not in KINDS:  # "literal", or a type this module does not know: the value as a string
            return ox.Literal(str(value))
        kinds = KINDS[type_]
        text = str(value).strip()
        iri = self._as_iri(text)
        if iri is not None:
            if kind_of(iri) not in kinds and type_ != "entity":
                raise UnknownName(type_, text, [])
            return ox.NamedNode(iri)
        index = self._load()
        key = normalise(text)
        if "objective" in kinds and (m := _OBJECTIVE.match(key)):
            iri = objective_iri(int(m.group(1)))
            if any(n.iri == iri for names in index.values() for n in names):
                return ox.NamedNode(iri)
        candidates = [n for n in index.get(key, []) if kind_of(n.iri) in kinds]
        if not candidates:
            raise UnknownName(type_ if type_ != "entity" else "name", text, self._choices(kinds))
        best = min(n.rank for n in candidates)
        iris = sorted({n.iri for n in candidates if n.rank == best})
        if len(iris) > 1:
            raise AmbiguousName(type_, text, [f"{self._labels.get(i, i)} <{i}>" for i in iris])
        return ox.NamedNode(iris[0])

    def _as_iri(self, text: str) -> str | None:
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if re.match(r"^https?://", text):
            try:
                return ox.NamedNode(text).value
            except ValueError:
                raise QueryError(f"not a valid IRI: {text!r}") from None
        prefix, _, local = text.partition(":")
        if prefix in PREFIXES and local and " " not in text:
            try:
                return ox.NamedNode(PREFIXES[prefix] + local).value
            except ValueError:
                raise QueryError(f"not a valid IRI: {text!r}") from None
        return None

    def _choices(self, kinds: tuple[str, ...]) -> list[str]:
        return sorted({n.label for names in self._load().values() for n in names
                       if kind_of(n.iri) in kinds and n.rank in (0, 1, 3, 4)})
