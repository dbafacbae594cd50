"""SHACL validation of a store against the contract's shapes (pySHACL over the union of all graphs)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from gcmkg.ontology.reference import SHAPES_FILE


@dataclass
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def validate_store(store: ox.Store) -> ValidationReport:
    from pyshacl import validate
    from rdflib import Graph

    data = Graph()
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, results, text = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    from rdflib.namespace import SH

    violations = sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))
    return ValidationReport(conforms=bool(conforms), violations=violations, text=str(text))
