"""Typed records of what extraction found, validated before anything becomes RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal["state", "stakeholder", "objective", "concern", "principle", "compact"]
ENTITY_KINDS: tuple[str, ...] = ("state", "stakeholder", "objective", "concern", "principle", "compact")
ACTOR_KINDS: tuple[str, ...] = ("state", "stakeholder")  # who can report, commit, be urged or raise a concern


@dataclass(frozen=True, order=True)
class EntityRef:
    """A reference-data or discovered entity: ("state", "PRT"), ("objective", "13"), ("concern", "child-detention")."""

    kind: str
    key: str

    def __post_init__(self) -> None:
        if self.kind not in ENTITY_KINDS:
            raise ValueError(f"unknown entity kind {self.kind!r}")
        if self.kind == "objective" and not (self.key.isdigit() and 1 <= int(self.key) <= 23):
            raise ValueError(f"objective number out of range: {self.key!r}")


@dataclass(frozen=True)
class Mention:
    passage: int
    entity: EntityRef
    start: int  # offsets within the passage text
    end: int
    surface: str


@dataclass(frozen=True)
class NewStakeholder:
    """An organisation the gazetteer lacks, found in the text (a named body with an organisational head word)."""

    slug: str
    label: str
    type: str
    acronyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class PracticeRecord:
    passage: int
    label: str
    actors: tuple[EntityRef, ...]
    objectives: tuple[EntityRef, ...]
    concerns: tuple[EntityRef, ...]


@dataclass(frozen=True)
class StatementRecord:
    """A recommendation (a call to act) or a commitment (a pledge)."""

    passage: int
    kind: Literal["recommendation", "commitment"]
    text: str
    addressees: tuple[EntityRef, ...]
    objectives: tuple[EntityRef, ...]
    concerns: tuple[EntityRef, ...]


@dataclass(frozen=True)
class Relation:
    """A direct triple between entities (actor raisesConcern concern, ...) and the passages attesting it."""

    subject: EntityRef
    predicate: str  # a gcm: property local name
    object: EntityRef
    passages: tuple[int, ...]


STANCE_KINDS: tuple[str, ...] = (
    "reports", "commits", "urged", "recommends", "criticised", "concern", "endorses", "rejects", "abstains",
)
STANCE_PROPERTY = {  # stance kind -> gcm: property (sub-properties of gcm:actsOn)
    "reports": "reportsMeasureOn", "commits": "commitsTo", "urged": "urgedToActOn",
    "recommends": "recommendsActionOn", "criticised": "criticisedOn", "concern": "voicesConcernOn",
    "endorses": "endorsesCompact", "rejects": "rejectsCompact", "abstains": "abstainsOnCompact",
}
STANCE_POLARITY = {
    "reports": "positive", "commits": "positive", "endorses": "positive", "urged": "neutral",
    "recommends": "neutral", "abstains": "neutral", "criticised": "negative", "concern": "negative",
    "rejects": "negative",
}


@dataclass(frozen=True)
class StanceRecord:
    """An actor's typed relation to objectives, concerns or the compact, read from one passage (or table row).

    `kind` is one of STANCE_KINDS; `hedged` marks a stance reported as others' suggestion or allegation;
    `date` and `source` (a URL) come from structured sources, empty for text.
    """

    passage: int
    actor: EntityRef
    kind: str
    targets: tuple[EntityRef, ...]
    hedged: bool = False
    cue: str = ""
    date: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if self.kind not in STANCE_KINDS:
            raise ValueError(f"unknown stance kind {self.kind!r} (known: {', '.join(STANCE_KINDS)})")
        if self.actor.kind not in ACTOR_KINDS:
            raise ValueError(f"a stance needs a state or stakeholder actor, not {self.actor}")
        if not self.targets or any(t.kind not in ("objective", "concern", "compact") for t in self.targets):
            raise ValueError(f"stance targets must be objectives, concerns or the compact: {self.targets}")

    @property
    def polarity(self) -> str:
        return STANCE_POLARITY[self.kind]

    @property
    def predicate(self) -> str:
        return STANCE_PROPERTY[self.kind]


@dataclass
class Extraction:
    """Everything found in one document."""

    mentions: list[Mention] = field(default_factory=list)
    about: dict[int, set[EntityRef]] = field(default_factory=dict)
    creators: list[EntityRef] = field(default_factory=list)
    new_stakeholders: list[NewStakeholder] = field(default_factory=list)
    practices: list[PracticeRecord] = field(default_factory=list)
    statements: list[StatementRecord] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    stances: list[StanceRecord] = field(default_factory=list)
    gcm_sense: str = "compact"

    def mentioned(self, passage: int) -> set[EntityRef]:
        return {m.entity for m in self.mentions if m.passage == passage}
