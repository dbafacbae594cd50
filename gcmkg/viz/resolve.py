"""Names -> entity IRIs for `--focus`, `--state`, `--concern`, ... ("Objective 13", "Portugal", "PRT", "IOM").

A small resolver of its own: exact, case-insensitive matches against labels, other names, notations and ISO
codes in the store (query viz-resolve), then "Objective N" / "N" for objectives, then a full IRI.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from gcmkg.errors import UnknownName
from gcmkg.ontology.namespace import GCM, ID_NS, objective_iri
from gcmkg.viz.sparql import select

KINDS = {"state": GCM.State, "stakeholder": GCM.Stakeholder, "objective": GCM.Objective, "concern": GCM.Concern}
_OBJECTIVE = re.compile(r"^(?:(?:gcm\s+)?objective\s*)?(\d{1,2})$", re.IGNORECASE)


def resolve(store: ox.Store, name: str, kind: str | None = None) -> str:
    """The IRI of the one entity called `name` (of `kind`, if given); UnknownName lists close names otherwise."""
    text = " ".join(str(name).split())
    wanted = KINDS.get(kind) if kind else None
    if text.startswith(ID_NS):
        return text
    match = _OBJECTIVE.match(text)
    if match and kind in (None, "objective") and 1 <= int(match.group(1)) <= 23:
        return objective_iri(int(match.group(1)))
    rows = [r for r in select(store, "resolve", name=text.lower()) if wanted in (None, r["kind"])]
    if not rows and kind == "concern":  # a concern's slug, as in its IRI
        rows = [r for r in select(store, "resolve", name=text.lower().replace("-", " ")) if r["kind"] == wanted]
    entities = sorted({r["entity"] for r in rows})
    if len(entities) == 1:
        return entities[0]
    if len(entities) > 1:
        raise UnknownName(f"{kind or 'entity'} (ambiguous name; use one of these IRIs)", text, entities)
    raise UnknownName(kind or "entity", text, _names(store, wanted))


def _names(store: ox.Store, kind_iri: str | None) -> list[str]:
    """Labels of the entities the documents name, for the 'did you mean' of an unknown name."""
    return [r["label"] for r in select(store, "entities") if kind_iri in (None, r["kind"])]
