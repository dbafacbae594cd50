"""Typed records of what extraction found, validated before anything becomes RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal["state", "stakeholder", "objective", "concern", "principle", "compact"]
ENTITY_KINDS: tuple[str, ...] = ("state", "stakeholder", "objective", "concern", "principle", "compact")


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
    gcm_sense: str = "compact"

    def mentioned(self, passage: int) -> set[EntityRef]:
        return {m.entity for m in self.mentions if m.passage == passage}
