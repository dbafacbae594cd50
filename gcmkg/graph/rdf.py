"""Records -> RDF quads in a document's named graph. The only place extraction output becomes RDF."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from gcmkg.extraction.records import EntityRef, Extraction
from gcmkg.graph.links import link_triples, summary_triples
from gcmkg.model import Document
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
    document_graph_iri,
    document_iri,
    document_slug,
    objective_iri,
    passage_iri,
    principle_iri,
    section_iri,
    stakeholder_iri,
    state_iri,
)
from gcmkg.ontology.reference import Literal, stakeholder_class

_INTEGER = ox.NamedNode(XSD + "integer")
_TYPE = ox.NamedNode(RDF + "type")


_IRI_OF_KIND = {
    "state": state_iri, "stakeholder": stakeholder_iri, "objective": lambda k: objective_iri(int(k)),
    "concern": concern_iri, "principle": principle_iri, "compact": lambda _: COMPACT_IRI,
}


def entity_iri(ref: EntityRef) -> str:
    return _IRI_OF_KIND[ref.kind](ref.key)


def term(value: object) -> ox.NamedNode | ox.Literal:
    if isinstance(value, Literal):
        if value.lang:
            return ox.Literal(value.value, language=value.lang)
        if value.datatype:
            return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype))
        return ox.Literal(value.value)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=_INTEGER)
    return ox.NamedNode(str(value))


def triples_to_quads(triples: list[tuple[str, str, object]], graph: str) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), term(o), g) for s, p, o in triples]


_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@lru_cache(maxsize=1 << 16)  # predicates, entities and passages recur through a document's triples
def _iri(value: str) -> str:
    """`<iri>`; a character N-Quads forbids in an IRI (from a source's URL column, say) is percent-encoded."""
    if _IRI_FORBIDDEN.search(value):
        value = _IRI_FORBIDDEN.sub(lambda m: quote(m.group(), safe=""), value)
    return f"<{value}>"


def _object(value: object) -> str:
    if isinstance(value, Literal):
        text = f'"{value.value.translate(_LITERAL_ESCAPES)}"'
        if value.lang:
            return f"{text}@{value.lang}"
        return f"{text}^^{_iri(value.datatype)}" if value.datatype else text
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    return _iri(str(value))


def ntriples(triples: list[tuple[str, str, object]]) -> bytes:
    """The triples as N-Triples, written directly: what build workers send the writing process. Building a
    pyoxigraph term per value and pickling the quads across processes cost ten times more than this text,
    which the store parses in Rust."""
    return "".join(f"{_iri(s)} {_iri(p)} {_object(o)} .\n" for s, p, o in triples).encode("utf-8", "replace")


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def document_quads(document: Document, extraction: Extraction, content_hash: str) -> list[ox.Quad]:
    """Every triple of one document, as quads of its own named graph."""
    return triples_to_quads(document_triples(document, extraction, content_hash),
                            document_graph_iri(document.identifier))


def stored_triples(document: Document, extraction: Extraction, content_hash: str) -> list[tuple[str, str, object]]:
    """What a build stores in a document's graph: its triples and the summaries derived from them
    (gcmkg.graph.links)."""
    triples = document_triples(document, extraction, content_hash)
    return triples + link_triples(triples, document_slug(document.identifier)) + summary_triples(triples)


def document_triples(document: Document, extraction: Extraction,
                     content_hash: str) -> list[tuple[str, str, object]]:
    """Every triple of one document (subject and predicate IRIs; objects IRIs, Literals or integers)."""
    ident = document.identifier
    slug = document_slug(ident)
    doc = document_iri(ident)
    t: list[tuple[str, str, object]] = [
        (doc, RDF + "type", GCM.Document),
        (doc, DCTERMS + "identifier", Literal(ident)),
        (doc, DCTERMS + "title", Literal(document.title or ident)),
        (doc, GCM.contentHash, Literal(content_hash)),
        (doc, GCM.mediaType, Literal(document.media_type)),
        (doc, GCM.gcmSense, Literal(extraction.gcm_sense)),
    ]
    t += [(doc, DCTERMS + "creator", entity_iri(c)) for c in extraction.creators]
    for s in document.sections:
        sec = section_iri(ident, s.index)
        t += [(sec, RDF + "type", GCM.Section), (sec, DCTERMS + "isPartOf", doc), (sec, GCM.index, s.index),
              (sec, GCM.heading, Literal(s.heading)), (sec, GCM.headingPassage, passage_iri(ident, s.passage))]
        if s.parent is not None:
            t.append((sec, GCM.subsectionOf, section_iri(ident, s.parent)))
    for p in document.passages:
        pas = passage_iri(ident, p.index)
        t += [(pas, RDF + "type", GCM.Passage), (pas, GCM.inDocument, doc), (pas, GCM.index, p.index),
              (pas, GCM.text, Literal(p.text)), (pas, GCM.startOffset, p.start), (pas, GCM.endOffset, p.end),
              (pas, GCM.passageKind, Literal(p.kind))]
        if p.sections:
            t.append((pas, GCM.inSection, section_iri(ident, p.sections[-1])))
        if p.index + 1 < len(document.passages):
            t.append((pas, GCM.nextPassage, passage_iri(ident, p.index + 1)))
    for m in extraction.mentions:
        t.append((passage_iri(ident, m.passage), GCM.mentions, entity_iri(m.entity)))
    for index, refs in extraction.about.items():
        t += [(passage_iri(ident, index), GCM.about, entity_iri(r)) for r in sorted(refs)]
    for h in extraction.new_stakeholders:
        iri = stakeholder_iri(h.slug)
        t += [(iri, RDF + "type", stakeholder_class(h.type)), (iri, RDFS + "label", Literal(h.label, lang="en"))]
        t += [(iri, SKOS + "altLabel", Literal(a, lang="en")) for a in h.acronyms]
    for pr in extraction.practices:
        iri = f"{ID_NS}practice/{slug}/{pr.passage}"
        t += [(iri, RDF + "type", GCM.Practice), (iri, RDFS + "label", Literal(pr.label, lang="en")),
              (iri, GCM.statedIn, passage_iri(ident, pr.passage)),
              (iri, PROV + "wasDerivedFrom", passage_iri(ident, pr.passage))]
        t += [(iri, GCM.implementedBy, entity_iri(a)) for a in pr.actors]
        t += [(entity_iri(a), GCM.reportsPractice, iri) for a in pr.actors]
        t += [(iri, GCM.addressesObjective, entity_iri(o)) for o in pr.objectives]
        t += [(iri, GCM.addressesConcern, entity_iri(c)) for c in pr.concerns]
    for st in extraction.statements:
        iri = f"{ID_NS}recommendation/{slug}/{st.passage}"
        cls = GCM.Commitment if st.kind == "commitment" else GCM.Recommendation
        t += [(iri, RDF + "type", cls), (iri, GCM.text, Literal(st.text)),
              (iri, GCM.statedIn, passage_iri(ident, st.passage)),
              (iri, PROV + "wasDerivedFrom", passage_iri(ident, st.passage))]
        link = GCM.committedBy if st.kind == "commitment" else GCM.addressedTo
        t += [(iri, link, entity_iri(a)) for a in st.addressees]
        t += [(iri, GCM.addressesObjective, entity_iri(o)) for o in st.objectives]
        t += [(iri, GCM.addressesConcern, entity_iri(c)) for c in st.concerns]
    for rel in extraction.relations:
        s, p, o = entity_iri(rel.subject), getattr(GCM, rel.predicate), entity_iri(rel.object)
        att = f"{ID_NS}attestation/{slug}/{_short_hash(s, p, o)}"
        t += [(s, p, o), (att, RDF + "type", GCM.Attestation), (att, RDF + "subject", s),
              (att, RDF + "predicate", p), (att, RDF + "object", o), (att, GCM.count, len(rel.passages)),
              (att, DCTERMS + "isPartOf", doc)]
        t += [(att, PROV + "wasDerivedFrom", passage_iri(ident, i)) for i in rel.passages]
    stances: dict[tuple[str, str, str], list] = {}  # issue 8: one attestation per stance triple and document
    for st in extraction.stances:
        for target in st.targets:
            key = (entity_iri(st.actor), getattr(GCM, st.predicate), entity_iri(target))
            stances.setdefault(key, []).append(st)
    for (s, p, o), records in stances.items():
        att = f"{ID_NS}attestation/{slug}/{_short_hash(s, p, o)}"
        passages = sorted({r.passage for r in records})
        hedged = Literal(str(all(r.hedged for r in records)).lower(), datatype=XSD + "boolean")
        t += [(s, p, o), (att, RDF + "type", GCM.Attestation), (att, RDF + "subject", s),
              (att, RDF + "predicate", p), (att, RDF + "object", o), (att, GCM.count, len(passages)),
              (att, DCTERMS + "isPartOf", doc), (att, GCM.polarity, Literal(records[0].polarity)),
              (att, GCM.hedged, hedged)]
        t += [(att, PROV + "wasDerivedFrom", passage_iri(ident, i)) for i in passages]
        dates = sorted({r.date for r in records} - {""})
        t += [(att, DCTERMS + "date", Literal(d, datatype=XSD + "date")) for d in dates]
        t += [(att, DCTERMS + "source", u) for u in sorted({r.source for r in records}) if u]
    return t
