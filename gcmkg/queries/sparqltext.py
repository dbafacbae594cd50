"""Reading SPARQL text without executing it: its form, its keywords, and where to bind parameters.

A small lexer skips comments, string literals and IRIs, so a keyword inside a literal (a passage that
says "SERVICE") is never taken for the keyword. Parameters are bound by a VALUES block built from
pyoxigraph terms (whose serialisation escapes them), placed at the top of the query's WHERE group: the
same text then runs on the embedded store and on any SPARQL 1.1 endpoint.

A line of a query may start with `#+name ` (after indentation): it is a comment unless parameter `name`
is bound, and then it becomes part of the query. Lines `#@values` mark where the VALUES block goes when it
must not open the top-level WHERE group: inside a sub-select that aggregates, or in each branch of a UNION,
so that evaluation starts from the bound values (engines evaluate a sub-select or a UNION before joining it
with what surrounds it). A query thus starts from a bound parameter's index
entries (`#+objective GRAPH ?g { ?s gcm:addressesObjective ?objective }`) instead of filtering every
row with `FILTER(!BOUND(?objective) || EXISTS {...})`, and the text as written is the unbound form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from gcmkg.errors import QueryError

_TOKEN = re.compile(r'''
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_:][A-Za-z0-9_\-.:\u00b7\u00c0-\uffff]*)
  | (?P<other>\S)
''', re.VERBOSE | re.DOTALL)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH".split())
REMOTE_KEYWORDS = frozenset({"SERVICE", "LOAD"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, comments dropped."""
    for m in _TOKEN.finditer(query):
        if m.lastgroup != "comment":
            yield Token(m.lastgroup, m.group(), m.start())


def keywords(query: str) -> list[str]:
    """Bare words of the query in upper case (keywords, prefixed names), in order."""
    return [t.text.upper() for t in tokens(query) if t.kind == "word"]


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE for a query; UPDATE for an update; '' when neither is found."""
    for word in keywords(query):
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return "UPDATE"
    return ""


def remote_access(query: str) -> set[str]:
    """SERVICE and LOAD keywords used by a query or update (each makes the engine fetch a URL)."""
    return REMOTE_KEYWORDS.intersection(keywords(query))


def declared_prefixes(query: str) -> set[str]:
    """Prefixes the query declares itself (PREFIX p: <...>)."""
    toks = list(tokens(query))
    return {toks[i + 1].text.rstrip(":") for i, t in enumerate(toks[:-1])
            if t.kind == "word" and t.text.upper() == "PREFIX"}


def with_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """The query with PREFIX lines for the project's prefixes it uses but does not declare."""
    declared = declared_prefixes(query)
    used = {t.text.split(":", 1)[0] for t in tokens(query) if t.kind == "word" and ":" in t.text}
    missing = [p for p in prefixes if p in used and p not in declared]
    return "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in missing) + query


def _where_brace(query: str) -> int:
    """Offset just after the '{' that opens the query's top-level WHERE group."""
    depth, form, after_where = 0, "", False
    for t in tokens(query):
        upper = t.text.upper()
        if t.kind == "word" and not form and upper in QUERY_FORMS:
            form = upper
        elif t.kind == "word" and upper == "WHERE" and depth == 0:
            after_where = True
        elif t.text == "{":
            if depth == 0 and form and (after_where or form != "CONSTRUCT"):
                return t.start + 1
            depth += 1
        elif t.text == "}":
            depth -= 1
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def term_text(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    """A term as SPARQL text; pyoxigraph validates IRIs and escapes literals."""
    if isinstance(term, ox.BlankNode):
        raise QueryError("a parameter cannot be a blank node")
    return str(term)


_WHEN_BOUND = re.compile(r"^([ \t]*)#\+([A-Za-z_][A-Za-z0-9_]*)[ \t]", re.MULTILINE)


_VALUES_MARKER = re.compile(r"^[ \t]*#@values[ \t]*$", re.MULTILINE)


def when_bound(query: str, bound: set[str] | frozenset[str] | Mapping[str, object]) -> str:
    """The query with its `#+name ` lines made live for each bound parameter name (others stay comments)."""
    return _WHEN_BOUND.sub(lambda m: m.group(1) if m.group(2) in bound else m.group(0), query)


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with `VALUES (?a ?b) { (term term) }` opening its WHERE group; unbound names are left free.

    `#+name ` lines are made live for the bound names first (see the module's docstring).
    """
    if not bindings:
        return query
    query = when_bound(query, bindings)
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"invalid parameter name {name!r}")
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(term_text(t) for t in bindings.values())
    if _VALUES_MARKER.search(query):
        return _VALUES_MARKER.sub(lambda m: f"  VALUES ({names}) {{ ({values}) }}", query)
    at = _where_brace(query)
    return f"{query[:at]}\n  VALUES ({names}) {{ ({values}) }}\n{query[at:]}"


def strip_comments(query: str) -> str:
    """The query without its comments (some clients guess a query's form from any word in its text)."""
    spans = [m.span() for m in _TOKEN.finditer(query) if m.lastgroup == "comment"]
    out, at = [], 0
    for start, end in spans:
        out.append(query[at:start])
        at = end
    return "".join(out) + query[at:]
