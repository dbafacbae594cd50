"""Who backs what: typed stances of states and stakeholders towards objectives, concerns and the compact.

Co-mention says who is *near* an objective; a stance says how an actor stands to it, read from cue words
around the actor's mention in one passage:

* ``reports``: a practice or measure is reported ("Albania ... cited continued training of Border Police");
* ``commits``: a pledge ("Germany reiterated its commitment to ...");
* ``urged``: the actor is the addressee of a recommendation ("States should ...", "calls on Greece to");
* ``recommends``: the actor calls on others ("The Special Rapporteur's call on Member States");
* ``criticised``: the actor is criticised or alleged to violate ("the US-led weakening of the draft",
  "a measure it did not adopt");
* ``concern``: the actor voices a concern or criticism ("Human Rights Watch has documented the use of force");
* ``endorses`` / ``rejects`` / ``abstains``: the actor's position on the compact itself (statements, votes).

Criticism wins: in a passage that criticises, negates a measure or alleges a violation, no actor other
than the critic gets a supportive stance, so a criticism is never recorded as support. Hedged wording
("some stakeholders suggested") keeps the stance but marks it ``hedged``.

Structured sources (gcmkg.loaders.tabular) carry their stances as rows; those are taken as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gcmkg.extraction.records import ACTOR_KINDS, STANCE_KINDS, EntityRef, Mention, StanceRecord
from gcmkg.model import Document

TARGET_KINDS = ("objective", "concern", "compact")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _alt(*parts: str) -> re.Pattern[str]:
    return _rx("|".join(parts))


# The compact itself: votes, adoption, endorsement, rejection.
_VOTE_AGAINST = _alt(
    r"\bvot(?:ed|es|ing) (?:no|against)\b", r"\b(?:withdr[ea]w\w*|pull(?:ed|s)? out) (?:from|of)\b",
    r"\b(?:did|does|do|would|will) not (?:\w+ ){0,2}(?:adopt|sign|endorse|join|support|accept)\b",
    r"\b(?:refused|declined|decided not) to (?:adopt|sign|endorse|join|support)\b", r"\brejected\b",
    r"\bdissociat\w+ (?:itself|themselves) from\b", r"\bstayed away from\b")
_VOTE_ABSTAIN = _alt(r"\babstain\w*", r"\babstention\b")
_VOTE_FOR = _alt(r"\bvot(?:ed|es|ing) (?:yes|in favou?r)\b", r"\b(?:endorsed|adopted|signed up to)\b",
                 r"\b(?:welcom|support|join|champion)\w* the (?:global )?(?:compact|GCM)\b")
# Fault: the actor concerned is criticised or alleged to violate.
_FAULT = _alt(
    r"\bfail(?:ed|s|ure)? to\b", r"\bviolat\w+", r"\balleg\w+", r"\baccus\w+", r"\bweaken\w*",
    r"\bbacktrack\w*", r"\bscapegoat\w*", r"\binsisted on\b", r"\bwould make [\w ]{0,20}worse\b",
    r"\bmakes? (?:it|this|the situation) worse\b", r"\bcriticis\w+", r"\bcriticiz\w+", r"\bcondemn\w+",
    r"\bdenounc\w+", r"\bblam\w+", r"\bunlawful\w*", r"\babus\w+", r"\bill-treat\w+",
    r"\btarget (?:and|or) \w+",
    r"\bbuilding a (?:massive )?wall\b", r"\brefusing entry\b", r"\bsuspending admission\b", r"\bban\b",
    r"\bden(?:ied|ies|y)\b", r"\b(?:did|does|do|has|have|had) not (?:yet )?\w+", r"\bnever \w+ed\b")
# Voice: the actor in subject position raises the concern (it is the critic, not the criticised).
_VOICE = _alt(
    r"\bexpress(?:ed|es)? (?:\w+ ){0,2}concerns?\b", r"\brais(?:ed|es|ing) (?:\w+ ){0,2}concerns?\b",
    r"\b(?:is|are|was|were|remains?|remained) (?:\w+ )?concerned\b", r"\bvoic(?:ed|es) (?:\w+ )?concerns?\b",
    r"\b(?:has |have )?documented\b", r"\bdenounc(?:ed|es)\b", r"\bcondemn(?:ed|s)\b", r"\bwarn(?:ed|s)\b",
    r"\bdeplor(?:ed|es)\b", r"\bregrets?\b", r"\bcriticis(?:ed|es)\b", r"\bcriticiz(?:ed|es)\b",
    r"\bprotest(?:ed|s)\b")
_PASSIVE_VOICE = _rx(r"\b(?:is|are|was|were|been|being) (?:\w+ )?"
                     r"(?:criticis|criticiz|condemn|denounc|accus)\w*")
# Calls: the actor before an active call recommends; after it, or before a modal, it is urged.
_CALL_ACTIVE = _alt(
    r"\b(?:urg(?:es?|ed|ing)|calls? (?:on|upon|for)|called (?:on|upon|for)|recommend(?:s|ed)?)\b",
    r"\b(?:encourag(?:es?|ed)|invit(?:es?|ed)|appeal(?:s|ed)? to|ask(?:s|ed)?)\b", r"['’]s call on\b")
_CALL_PASSIVE = _alt(
    r"\b(?:is|are|was|were|be|been) (?:\w+ )?(?:urged|encouraged|called upon|called on|invited|requested|"
    r"recommended|asked)\b", r"\b(?:should|must|ought to|needs? to|has to|have to)\b")
_COMMIT = _alt(
    r"\bcommit(?:s|ted)? (?:itself |themselves )?to\b", r"\bpledg(?:e|es|ed)\b",
    r"\b(?:reiterated|reaffirmed|renewed|confirmed) (?:its|their) commitment\b", r"\bcommitted to\b",
    r"\bwill (?:continue|support|provide|establish|implement|launch|fund|invest|work|ensure|develop|"
    r"strengthen|track|send)\b")
_MEASURE = _alt(
    r"\b(?:launched|introduced|established|adopted|implemented|put in place|undertook|undertaken)\b",
    r"\binstituted\b",
    r"\b(?:created|set up|developed|initiated|enacted|approved|piloted|opened|expanded|extended|provided)\b",
    r"\b(?:funded|supported|started|signed|ratified|reported|cited|confirm(?:s|ed)|noted their)\b",
    r"\b(?:highlighted the launch|is establishing|are establishing|is building|are building|is supporting)\b",
    r"\b(?:are supporting|has continued|continued|carried out|conducted|granted|regulari[sz]ed|reformed)\b",
    r"\b(?:amended|passed|published|organi[sz]ed|facilitated|mobili[sz]ing|monitoring|tackle|improve)\b",
    r"\b(?:strengthen\w*|moderni[sz]ation|capacity building|training|programme|program|project)\b",
    r"\b(?:initiative|approach|partnership|good example|announced|funding|financed|allocated|invest(?:s|ed))\b")
_NEGATION = _alt(r"\b(?:not|never|no longer|failed to|refused to|did not|has not|have not|had not|without)\b",
                 r"\b(?:neither|nor|lack(?:s|ed|ing)? of)\b")
_HEDGE = _alt(r"\bsuggest\w*", r"\bsome (?:stakeholders|participants|countries|states|member states)\b",
              r"\bit was (?:noted|suggested|claimed|alleged)\b", r"\breportedly\b", r"\balleg\w+",
              r"\bclaim\w*",
              r"\b(?:may|might|could|would)\b")
# A state named as a place, not as an actor: "in Italy", "across the U.S.", "the border ... with Iran".
_PLACE_BEFORE = _alt(
    r"(?:\b(?:in|into|across|within|to|from|towards|throughout|at|outside|inside|of origin in)(?: the)?)\s*$",
    r"\bborders? (?:of (?:the )?\w+ )?with(?: the)?\s*$", r"\b(?:countries|of)\s*$")
_GROUPING_AFTER = _alt(
    r"^\s*(?:['’]s\s+)?(?:region|member states|countries|states|area|citizens|nationals|cities|city)\b",
    r"^\s*(?:['’]s\s+)?(?:municipalit\w+|civil society|NGOs?|organi[sz]ations|migrants|workers|refugees)\b",
    r"^\s*(?:['’]s\s+)?(?:borders?(?!\s+(?:police|guards?|officials|officers|authorities|agency))|conventions?)\b",
    r"^\s*(?:['’]s\s+)?(?:standards|instruments|treaties|visa)\b")
_STAKEHOLDER_PLACE_BEFORE = _rx(r"\b(?:in|across|within|throughout|outside|inside)(?: the)?\s*$")
_LIST_GLUE = re.compile(r"^\s*(?:,|and|or|, and|as well as)?\s*(?:the\s+)?$", re.IGNORECASE)
_HYPOTHETICAL = _alt(r"^\s*if\b", r"\bif (?:states|governments|countries)\b", r"\bwould\b")
_WINDOW = 80  # characters between an actor and the cue that governs it


@dataclass(frozen=True)
class _Cue:
    kind: str
    start: int
    end: int
    text: str


def _cues(text: str) -> list[_Cue]:
    found = []
    for kind, rx in (("vote-against", _VOTE_AGAINST), ("abstain", _VOTE_ABSTAIN), ("vote-for", _VOTE_FOR),
                     ("fault", _FAULT), ("voice", _VOICE), ("passive-voice", _PASSIVE_VOICE),
                     ("call", _CALL_ACTIVE), ("called", _CALL_PASSIVE), ("commit", _COMMIT),
                     ("measure", _MEASURE)):
        found += [_Cue(kind, m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
    return sorted(found, key=lambda c: c.start)


def _is_place(text: str, m: Mention) -> bool:
    """A state named as where something happens ("in Italy", "(Belgium/Europe)"), or any actor named as a
    modifier ("the UNECE region", "ILO conventions", "the Italian cities of ...")."""
    before, after = text[max(0, m.start - 40):m.start], text[m.end:m.end + 30]
    if _GROUPING_AFTER.match(after):
        return True
    depth = text[:m.start].count("(") - text[:m.start].count(")")
    if m.entity.kind != "state":
        acronym_only = text[m.start - 1:m.start] == "(" and text[m.end:m.end + 1] == ")"
        return (depth > 0 and not acronym_only) or bool(_STAKEHOLDER_PLACE_BEFORE.search(before))
    return depth > 0 or bool(_PLACE_BEFORE.search(before))


def _criticised_place(text: str, m: Mention, cues: list[_Cue]) -> _Cue | None:
    """A state named as the place of a practice someone criticises ("concern about ... in Greece")."""
    if m.entity.kind != "state" or not re.search(r"\bin (?:the )?$", text[max(0, m.start - 10):m.start]):
        return None
    before = [c for c in cues if c.kind in ("voice", "fault") and 0 <= m.start - c.end <= _WINDOW
              and not re.search(r"[:;]", text[c.end:m.start])]
    return max(before, key=lambda c: c.end, default=None)


def _near(text: str, cues: list[_Cue], kinds: Iterable[str], m: Mention, *, side: str) -> _Cue | None:
    """The closest cue of these kinds: side="after" when the cue follows the actor (the actor is its subject),
    side="before" when it precedes the actor (the actor is its object or agent)."""
    kinds = set(kinds)
    if side == "after":
        options = [c for c in cues if c.kind in kinds and 0 <= c.start - m.end <= _WINDOW
                   and not re.search(r"[:;]", text[m.end:c.start])]
        return min(options, key=lambda c: c.start, default=None)
    options = [c for c in cues if c.kind in kinds and 0 <= m.start - c.end <= _WINDOW
               and not re.search(r"[:;]", text[c.end:m.start])]
    return max(options, key=lambda c: c.end, default=None)


def _negated(text: str, cue: _Cue) -> bool:
    return bool(_NEGATION.search(text[max(0, cue.start - 25):cue.start]))


_AFTER_KIND = {  # a cue that follows the actor (the actor is its subject) -> the actor's stance
    "passive-voice": "criticised", "voice": "concern", "fault": "criticised", "call": "recommends",
    "called": "urged", "commit": "commits", "measure": "reports",
}
_PRIORITY = {"passive-voice": 0, "voice": 1, "fault": 2, "called": 3, "call": 4, "commit": 5, "measure": 6}
_SUPPORTIVE = ("reports", "commits", "endorses")
_ATTRIBUTION = _rx(r"\b(?:according to|said|says|reported by)(?: the)?\s*$")
_CALL_OBJECT_GAP = 6  # "calls on Greece", "urged the EU": the call's object follows it at once


def classify(text: str, mention: Mention, cues: list[_Cue], *,
             compact_spans: tuple[tuple[int, int], ...] = ()) -> tuple[str, str] | None:
    """The stance kind of one actor mention in a passage, with the cue that decided it, or None.

    The nearest cue after the actor decides (the actor is its subject); failing that, the nearest cue
    before it (the actor is its object or agent). In a passage that criticises or negates, a supportive
    reading is dropped, so a criticism is never recorded as support.
    """
    critical = any(c.kind in ("fault", "voice", "passive-voice") for c in cues) or any(
        c.kind in ("measure", "commit") and _negated(text, c) for c in cues)
    if compact_spans:
        decided = _on_compact(text, mention, cues, compact_spans, critical)
        if decided:
            return decided
    if _ATTRIBUTION.search(text[max(0, mention.start - 30):mention.start]) and critical:
        return "concern", "according to"
    call_before = _near(text, cues, ("call",), mention, side="before")
    if call_before is not None and mention.start - call_before.end <= _CALL_OBJECT_GAP:
        return "urged", call_before.text
    first_call = min((c.start for c in cues if c.kind in ("call", "called")), default=len(text))
    usable = [c for c in cues if c.kind not in ("measure", "commit") or c.start < first_call]
    after = [c for c in usable if c.kind in _AFTER_KIND and 0 <= c.start - mention.end <= _WINDOW
             and not re.search(r"[:;]", text[mention.end:c.start])]
    if after:
        cue = min(after, key=lambda c: (c.start, _PRIORITY[c.kind]))
        kind = _AFTER_KIND[cue.kind]
        if cue.kind in ("measure", "commit") and _negated(text, cue):
            return "criticised", f"not {cue.text}"
        if kind not in _SUPPORTIVE:
            return kind, cue.text
        if not critical and not _HYPOTHETICAL.search(text):
            return kind, cue.text
    before = _near(text, usable, ("fault", "voice", "passive-voice", "call"), mention, side="before")
    if before is not None:
        return ("urged" if before.kind == "call" else "criticised"), before.text
    measure = _near(text, usable, ("measure",), mention, side="before")
    if measure is not None and not critical and not _HYPOTHETICAL.search(text):
        return "reports", measure.text  # "was launched by X", "with the support of X"
    return None


def _on_compact(text: str, mention: Mention, cues: list[_Cue], compact_spans: tuple[tuple[int, int], ...],
                critical: bool) -> tuple[str, str] | None:
    """Votes and positions on the compact itself; a commitment to the compact is an endorsement."""
    if (c := _near(text, cues, ("vote-against",), mention, side="after")) is not None:
        return "rejects", c.text
    abstain = _near(text, cues, ("abstain",), mention, side="after")
    if (c := abstain or _near(text, cues, ("abstain",), mention, side="before")) is not None:
        return "abstains", c.text
    favour = _near(text, cues, ("vote-for",), mention, side="after")
    favour = favour or _near(text, cues, ("vote-for",), mention, side="before")
    if favour is not None and not critical and not _negated(text, favour):
        return "endorses", favour.text
    commit = _near(text, cues, ("commit",), mention, side="after")
    if commit is not None and not _negated(text, commit) and any(
            0 <= start - commit.end <= 12 for start, _ in compact_spans):
        return "endorses", commit.text
    return None


def _targets(document: Document, index: int, mentions: dict[int, list[Mention]],
             about: dict[int, set[EntityRef]]) -> tuple[EntityRef, ...]:
    """Objectives and concerns of the passage (named or by context), the compact if named, and the concerns
    of the previous sentence of the same paragraph (what "this", "such training" refer back to)."""
    own = {m.entity for m in mentions.get(index, ()) if m.entity.kind in TARGET_KINDS}
    found = own | {e for e in about.get(index, ()) if e.kind in TARGET_KINDS}
    passage = document.passages[index]
    if index > 0 and not passage.first_in_paragraph:
        previous = document.passages[index - 1]
        if previous.paragraph == passage.paragraph:
            found |= {m.entity for m in mentions.get(index - 1, ()) if m.entity.kind == "concern"}
    return tuple(sorted(found))


def stances(document: Document, mentions_by_passage: dict[int, list[Mention]],
            about: dict[int, set[EntityRef]]) -> list[StanceRecord]:
    """Every stance in a document: from its structured rows when it has them, else from its passages."""
    rows = getattr(document, "structured_stances", None)
    if rows is not None:
        return [StanceRecord(passage=r.passage, actor=EntityRef(*r.actor), kind=r.kind,
                             targets=tuple(EntityRef(*t) for t in r.targets), cue="table row",
                             date=r.date, source=r.source) for r in rows]
    out: list[StanceRecord] = []
    for p in document.passages:
        if p.kind == "heading":
            continue
        mentions = mentions_by_passage.get(p.index, [])
        actors = [m for m in sorted(mentions, key=lambda m: m.start) if m.entity.kind in ACTOR_KINDS]
        if not actors:
            continue
        targets = _targets(document, p.index, mentions_by_passage, about)
        if not targets:
            continue
        compact_spans = tuple((m.start, m.end) for m in mentions if m.entity.kind == "compact")
        cues = _cues(p.text)
        hedged = bool(_HEDGE.search(p.text))
        seen: set[EntityRef] = set()
        previous_place: Mention | None = None
        for m in actors:
            listed = previous_place is not None and _LIST_GLUE.match(p.text[previous_place.end:m.start])
            if listed or _is_place(p.text, m):  # "in the United Kingdom, Portugal and Germany": all places
                previous_place = m
                if m.entity not in seen and (cue := _criticised_place(p.text, m, cues)) is not None:
                    seen.add(m.entity)  # "concern about the detention of children in the United States"
                    out.append(StanceRecord(passage=p.index, actor=m.entity, kind="criticised", targets=targets,
                                            hedged=hedged, cue=cue.text))
                continue
            previous_place = None
            if m.entity in seen:
                continue
            seen.add(m.entity)
            decided = classify(p.text, m, cues, compact_spans=compact_spans)
            if decided is None:
                continue
            kind, cue = decided
            on_compact = kind in ("endorses", "rejects", "abstains")
            chosen = (EntityRef("compact", "gcm"),) if on_compact else targets
            out.append(StanceRecord(passage=p.index, actor=m.entity, kind=kind, targets=chosen,
                                    hedged=hedged and kind not in ("concern",), cue=cue))
    return out


# ---------------------------------------------------------------------- evaluation on a hand-checked set

@dataclass
class StanceReport:
    """Accuracy of `stances` on a hand-checked set: an item is right when the actor gets the expected kind
    (or, for kind "none", no stance at all) and the expected target is among its targets."""

    items: int = 0
    correct: int = 0
    errors: list[dict] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [correct, items]

    @property
    def accuracy(self) -> float:
        return self.correct / self.items if self.items else 0.0

    def to_dict(self) -> dict:
        return {"items": self.items, "correct": self.correct, "accuracy": round(self.accuracy, 4),
                "by_kind": self.by_kind, "errors": self.errors}


def _passage_document(text: str, heading: str) -> Document:
    """A one-paragraph document (an optional heading, then the passage) segmented like any loaded text."""
    from gcmkg.loaders.segment import build_document
    from gcmkg.model import Block, BlockKind

    blocks = [Block(BlockKind.HEADING, heading, level=2)] if heading else []
    blocks.append(Block(BlockKind.PARAGRAPH, text))
    return build_document("stance-item.txt", blocks)


def stances_of_text(text: str, heading: str = "") -> list[StanceRecord]:
    """Stances the full extraction pipeline finds in one passage (under an optional heading)."""
    from gcmkg.extraction.pipeline import get_extractor

    document = _passage_document(text, heading)
    return get_extractor().extract(document).stances


def evaluate_stances(gold_path: str | Path) -> StanceReport:
    """Score the stance extractor on a hand-checked JSON set (see tests/data/stance/README.md)."""
    items = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    report = StanceReport()
    for item in items:
        found = stances_of_text(item["text"], item.get("heading", ""))
        actor = EntityRef(*item["actor"].split(":", 1))
        expected = item["kind"]
        if expected != "none" and expected not in STANCE_KINDS:
            raise ValueError(f"{gold_path}: unknown kind {expected!r} in item {item.get('id')}")
        mine = [s for s in found if s.actor == actor]
        if expected == "none":
            ok = not mine
        else:
            target = EntityRef(*item["target"].split(":", 1))
            ok = any(s.kind == expected and target in s.targets for s in mine)
        counts = report.by_kind.setdefault(expected, [0, 0])
        counts[1] += 1
        report.items += 1
        if ok:
            report.correct += 1
            counts[0] += 1
        else:
            report.errors.append({"id": item.get("id"), "actor": item["actor"], "expected": expected,
                                  "found": sorted({s.kind for s in mine}) or ["none"]})
    return report
