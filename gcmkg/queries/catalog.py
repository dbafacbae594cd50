"""The named queries: `gcmkg/queries/<name>.rq` files and what their header comments declare.

A header is the comment block at the top of the file:

    # title: Concerns linked to an objective
    # question: Which concerns do the documents link to objective N ...?
    # param: objective objective optional -- a GCM objective, e.g. 13
    # example: --objective 13
    # lists: actors, objectives

`param` gives the variable name, its type (objective, state, stakeholder, concern, actor, entity,
literal; any other type is bound as a literal), whether it is required, and a description.
`lists` names the columns that hold "; "-separated
lists (sorted after the query runs, since GROUP_CONCAT's order differs between engines).
Files named `viz-*.rq` are the views' internal queries and are not listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from gcmkg.errors import QueryError, UnknownQuery

QUERY_DIR = Path(str(files("gcmkg") / "queries"))
PARAM_TYPES = ("objective", "state", "stakeholder", "concern", "actor", "entity", "literal", "region")
_PARAM = re.compile(r"^(\w+)\s+(\w+)\s+(required|optional)\s+--\s+(.*)$")
_INTERNAL_PREFIX = "viz-"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    text: str
    params: tuple[Param, ...] = ()
    example: str = ""
    lists: tuple[str, ...] = ()
    notes: str = field(default="", compare=False)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; "
                         f"it takes: {', '.join('--' + p.name for p in self.params) or 'no parameters'}")


def parse(name: str, text: str) -> NamedQuery:
    """A named query from its file text; the header must give a title and a question."""
    fields: dict[str, list[str]] = {}
    notes = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = re.match(r"^(title|question|param|example|lists):\s*(.*)$", body)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
        elif body:
            notes.append(body)
    if "title" not in fields or "question" not in fields:
        raise QueryError(f"{name}.rq: the header must have '# title:' and '# question:' lines")
    params = []
    for spec in fields.get("param", []):
        m = _PARAM.match(spec)
        if not m:
            raise QueryError(f"{name}.rq: bad '# param:' line {spec!r} "
                             f"(expected 'NAME TYPE required|optional -- description', TYPE one of {PARAM_TYPES})")
        params.append(Param(m.group(1), m.group(2), m.group(3) == "required", m.group(4)))
    lists = tuple(c.strip() for spec in fields.get("lists", []) for c in spec.split(",") if c.strip())
    return NamedQuery(name, fields["title"][0], " ".join(fields["question"]), text, tuple(params),
                      (fields.get("example") or [""])[0], lists, " ".join(notes))


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq") if not p.stem.startswith(_INTERNAL_PREFIX))


@cache
def _load(name: str, mtime: float) -> NamedQuery:
    return parse(name, (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8"))


def get(name: str) -> NamedQuery:
    """The named query `name`; UnknownQuery lists the known names."""
    path = QUERY_DIR / f"{name}.rq"
    if name.startswith(_INTERNAL_PREFIX) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not path.is_file():
        raise UnknownQuery(name, names())
    return _load(name, path.stat().st_mtime)


def all_queries() -> list[NamedQuery]:
    return [get(n) for n in names()]


def is_query_name(text: str) -> bool:
    """Whether `text` looks like a query name rather than SPARQL."""
    return re.fullmatch(r"[a-z0-9][a-z0-9-]*", text.strip()) is not None
