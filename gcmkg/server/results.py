"""SPARQL results as bytes: JSON, XML, CSV and TSV for SELECT and ASK; Turtle, N-Triples, JSON-LD for graphs.

Written here rather than with `QuerySolutions.serialize` so that the endpoint can stop after
`max_rows` solutions (the cap on result rows) without reading the rest.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES, "application/ld+json": ox.RdfFormat.JSON_LD,
}
SOLUTION_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
SHORT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
               "ttl": "text/turtle", "ntriples": "application/n-triples", "nt": "application/n-triples",
               "jsonld": "application/ld+json"}


def negotiate(accept: str, offers: dict) -> str | None:
    """The offered media type the Accept header prefers (first offer for */* or no header); None if none fits."""
    ranges = []
    for part in ((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    best, best_key = None, None
    for order, offer in enumerate(offers):
        main = offer.split("/")[0]
        for media, q in ranges:
            specificity = 2 if media == offer else 1 if media == f"{main}/*" else 0 if media == "*/*" else -1
            if specificity < 0 or q <= 0:
                continue
            key = (q, specificity, -order)
            if best_key is None or key > best_key:
                best, best_key = offer, key
    return best


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return getattr(term, "value", str(term))


def _tsv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
        return str(ox.Literal(term.value))
    return str(term)


def solutions(variables: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in variables)] + ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return b"true\n" if value else b"false\n"


def graph(triples: list, fmt: ox.RdfFormat) -> bytes:
    return ox.serialize(triples, format=fmt)
