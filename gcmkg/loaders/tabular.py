"""Structured sources: CSV, TSV or JSON tables of stances (pledge lists, vote records, coding sheets).

A table is not prose, so it enters the graph in two ways at once, both through the usual one-way flow
(loader -> Document -> extraction -> records -> RDF):

* each row becomes a passage, a sentence rendered from the row ("Portugal commits to Objective 13
  (child detention): ..."), so the row is quotable evidence with its own passage IRI;
* each row also becomes a structured stance (`TabularDocument.structured_stances`), which
  `gcmkg.extraction.stance.stances` takes as it is instead of reading cue words.

A small TOML mapping file says which column holds what. It sits beside the table as
`<table stem>.mapping.toml`, or as `mapping.toml` for every table of the folder:

    title = "Pledges made at the IMRF 2022"      # optional; else the file name
    kind = "commits"                              # a fixed stance kind for every row, or:
    [columns]
    actor = "country"                             # required: a state (name or ISO3) or a stakeholder
    kind = "position"                             # a column of stance kinds (or values mapped below)
    objectives = "objectives"                     # "13", "Objective 13", "4; 13"
    concerns = "themes"                           # concern names, "; "-separated
    date = "date"                                 # ISO date, YYYY-MM-DD
    source = "url"                                # the row's source URL
    text = "pledge"                               # the row's own words, quoted in its sentence
    [kinds]                                       # cell value -> stance kind
    "yes" = "endorses"
    "no" = "rejects"

Stance kinds: reports, commits, urged, recommends, criticised, concern, endorses, rejects, abstains.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import ClassVar

from gcmkg.errors import LoaderError
from gcmkg.extraction.records import STANCE_KINDS
from gcmkg.loaders.base import decode_text, read_bytes
from gcmkg.model import Document, Passage

COMPACT_KINDS = ("endorses", "rejects", "abstains")
_PHRASE = {
    "reports": "reports a measure on", "commits": "commits to", "urged": "is urged to act on",
    "recommends": "recommends action on", "criticised": "is criticised regarding",
    "concern": "voices concern regarding", "endorses": "endorses", "rejects": "rejects",
    "abstains": "abstains on",
}
_SPLIT = re.compile(r"\s*[;|]\s*|\s*,\s*(?=(?:objective\s*)?\d)", re.IGNORECASE)


@dataclass(frozen=True)
class TabularStance:
    """One row's stance, resolved to reference entities as (kind, key) pairs."""

    passage: int
    actor: tuple[str, str]
    kind: str
    targets: tuple[tuple[str, str], ...]
    date: str = ""
    source: str = ""


@dataclass
class TabularDocument(Document):
    """A Document whose passages are rendered rows, carrying the rows' stances as structured records."""

    structured_stances: list[TabularStance] = field(default_factory=list)


@dataclass(frozen=True)
class Mapping:
    actor: str
    kind_column: str = ""
    kind: str = ""
    objectives: str = ""
    concerns: str = ""
    date: str = ""
    source: str = ""
    text: str = ""
    title: str = ""
    kinds: dict[str, str] = field(default_factory=dict)
    default_source: str = ""
    default_date: str = ""


def mapping_path(table: Path) -> Path | None:
    for candidate in (table.with_name(f"{table.stem}.mapping.toml"), table.with_name("mapping.toml")):
        if candidate.is_file():
            return candidate
    return None


def read_mapping(table: Path) -> Mapping:
    path = mapping_path(table)
    if path is None:
        raise LoaderError(table, f"a table needs a mapping file ({table.stem}.mapping.toml or mapping.toml "
                                 "beside it) saying which column is the actor, the kind, the objectives")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoaderError(path, f"not a valid TOML mapping: {exc}") from None
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not columns.get("actor"):
        raise LoaderError(path, "the mapping needs [columns] actor = \"<column name>\"")
    kinds = {str(k).strip().casefold(): str(v) for k, v in raw.get("kinds", {}).items()}
    fixed = str(raw.get("kind", ""))
    for kind in (*kinds.values(), *([fixed] if fixed else [])):
        if kind not in STANCE_KINDS:
            raise LoaderError(path, f"unknown stance kind {kind!r} (known: {', '.join(STANCE_KINDS)})")
    if not fixed and not columns.get("kind"):
        raise LoaderError(path, "the mapping needs a fixed kind = \"...\" or a [columns] kind column")
    return Mapping(actor=columns["actor"], kind_column=columns.get("kind", ""), kind=fixed,
                   objectives=columns.get("objectives", ""), concerns=columns.get("concerns", ""),
                   date=columns.get("date", ""), source=columns.get("source", ""),
                   text=columns.get("text", ""),
                   title=str(raw.get("title", "")), kinds=kinds, default_source=str(raw.get("source", "")),
                   default_date=str(raw.get("date", "")))


def read_rows(path: Path) -> list[dict[str, str]]:
    text = decode_text(path, read_bytes(path))
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoaderError(path, f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
        rows = data.get("rows") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise LoaderError(path, "JSON must be a list of objects, or {\"rows\": [...]}")
        return [{str(k): "" if v is None else "; ".join(map(str, v)) if isinstance(v, list) else str(v)
                 for k, v in r.items()} for r in rows]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


class _Names:
    """Reference entities by every name a table might use: ISO3, label, alias, slug, acronym."""

    def __init__(self) -> None:
        from gcmkg.ontology.reference import reference_data

        ref = reference_data()
        self.actors: dict[str, tuple[str, str]] = {}
        self.labels: dict[tuple[str, str], str] = {}
        for s in ref.states:
            for name in (s.iso3, s.label, *(n for n, _ in s.names)):
                self.actors.setdefault(_key(name), ("state", s.iso3))
            self.labels[("state", s.iso3)] = s.label
        for h in ref.stakeholders:
            for name in (h.slug, h.label, *h.alt_labels, *h.acronyms):
                self.actors.setdefault(_key(name), ("stakeholder", h.slug))
            self.labels[("stakeholder", h.slug)] = h.label
        self.concerns: dict[str, tuple[str, str]] = {}
        for c in ref.concerns:
            for name in (c.slug, c.label, *c.alt_labels):
                self.concerns.setdefault(_key(name), ("concern", c.slug))
            self.labels[("concern", c.slug)] = c.label


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold().replace(".", "")).strip().removeprefix("the ")


def _cell(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip() if column else ""


class TabularLoader:
    """CSV, TSV and JSON tables of stances, read with a TOML mapping file (see the module docstring)."""

    name: ClassVar[str] = "tabular"
    suffixes: ClassVar[tuple[str, ...]] = (".csv", ".tsv", ".json")
    media_type: ClassVar[str] = "text/csv"

    def load(self, path: Path) -> TabularDocument:
        mapping = read_mapping(path)
        rows = read_rows(path)
        if not rows:
            raise LoaderError(path, "no rows in the table")
        missing = [c for c in (mapping.actor, mapping.kind_column, mapping.objectives, mapping.concerns,
                               mapping.date, mapping.source, mapping.text) if c and c not in rows[0]]
        if missing:
            raise LoaderError(path, f"column(s) {', '.join(map(repr, missing))} named in the mapping are "
                                    f"not in the table (it has: {', '.join(rows[0])})")
        names = _Names()
        sentences, stances = [], []
        for n, row in enumerate(rows):
            stance = self._stance(path, mapping, names, row, n)
            sentences.append(self._sentence(names, stance, _cell(row, mapping.text)))
            stances.append(stance)
        text, passages, offset = "", [], 0
        for i, sentence in enumerate(sentences):
            end = offset + len(sentence)
            passages.append(Passage(index=i, text=sentence, start=offset, end=end, kind="item", paragraph=i))
            text += sentence + "\n"
            offset += len(sentence) + 1
        media = "application/json" if path.suffix.lower() == ".json" else self.media_type
        return TabularDocument(identifier=path.name, title=mapping.title or path.stem, text=text,
                               passages=passages, media_type=media, source=str(path),
                               structured_stances=stances)

    @staticmethod
    def _stance(path: Path, mapping: Mapping, names: _Names, row: dict[str, str], n: int) -> TabularStance:
        where = f"row {n + 2 if path.suffix.lower() != '.json' else n + 1}"
        actor_name = _cell(row, mapping.actor)
        actor = names.actors.get(_key(actor_name))
        if actor is None:
            raise LoaderError(path, f"{where}: unknown actor {actor_name!r} (a UN state by name or ISO3 "
                                    "code, or a stakeholder of the gazetteer)")
        value = _cell(row, mapping.kind_column)
        kind = mapping.kinds.get(value.casefold(), value) if value else mapping.kind
        if kind not in STANCE_KINDS:
            raise LoaderError(path, f"{where}: unknown stance kind {value!r} (known: "
                                    f"{', '.join(STANCE_KINDS)}; or map it in the [kinds] mapping table)")
        targets: list[tuple[str, str]] = []
        for item in filter(None, _SPLIT.split(_cell(row, mapping.objectives))):
            m = re.fullmatch(r"(?:gcm\s+)?(?:objective\s*)?(\d{1,2})", item.strip(), re.IGNORECASE)
            if not m or not 1 <= int(m.group(1)) <= 23:
                raise LoaderError(path, f"{where}: {item!r} is not a GCM objective (1 to 23)")
            targets.append(("objective", str(int(m.group(1)))))
        for item in filter(None, re.split(r"\s*[;|]\s*", _cell(row, mapping.concerns))):
            concern = names.concerns.get(_key(item))
            if concern is None:
                raise LoaderError(path, f"{where}: unknown concern {item!r}")
            targets.append(concern)
        if kind in COMPACT_KINDS:
            targets = [("compact", "gcm")]
        if not targets:
            raise LoaderError(path, f"{where}: no objective or concern for a {kind!r} stance")
        day = _cell(row, mapping.date) or mapping.default_date
        if day:
            try:
                day = Date.fromisoformat(day).isoformat()
            except ValueError:
                raise LoaderError(path, f"{where}: {day!r} is not an ISO date (YYYY-MM-DD)") from None
        return TabularStance(n, actor, kind, tuple(dict.fromkeys(targets)), day,
                             _cell(row, mapping.source) or mapping.default_source)

    @staticmethod
    def _sentence(names: _Names, stance: TabularStance, quote: str) -> str:
        """The row as a sentence that names its actor and targets, so mention extraction finds them too."""
        def label(ref: tuple[str, str]) -> str:
            if ref[0] == "objective":
                return f"Objective {ref[1]}"
            if ref[0] == "compact":
                return "the Global Compact for Safe, Orderly and Regular Migration"
            return names.labels.get(ref, ref[1])

        targets = ", ".join(label(t) for t in stance.targets)
        sentence = f"{label(stance.actor)} {_PHRASE[stance.kind]} {targets}"
        if stance.date:
            sentence += f" ({stance.date})"
        return sentence + (f": {quote.rstrip('.')}." if quote else ".")
