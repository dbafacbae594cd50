"""Practices (a measure an actor reports) and recommendations or commitments (a call or a pledge)."""

from __future__ import annotations

import re

from gcmkg.extraction.records import ACTOR_KINDS, EntityRef, Mention, PracticeRecord, StatementRecord
from gcmkg.model import Document

_MEASURE_VERBS = (
    r"\b(?:launched|introduced|established|adopted|"
    r"implemented|put in place|undertook|undertaken|instituted|created|set up|developed|initiated|enacted|"
    r"approved|piloted|opened|expanded|extended|provided|funded|supported|started|signed|ratified|"
    r"reported|cited|confirmed|noted their|highlighted the launch of|is establishing|are establishing|"
    r"is building|are building|is supporting|are supporting|has continued|continued|carried out|conducted|"
    r"granted|regularised|regularized|reformed|amended|passed)\b"
)
_MEASURE = re.compile(_MEASURE_VERBS, re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no longer|failed to|refused to|did not|has not|have not|without)\b",
                       re.IGNORECASE)
_CALL = re.compile(
    r"\b(?:should|must|ought to|are (?:urged|encouraged|called upon|invited|requested|recommended)|"
    r"is (?:urged|encouraged|recommended)|we (?:call on|urge|recommend|ask)|calls? (?:on|upon|for)|"
    r"recommend(?:s|ed)?|urges?|need to|needs to)\b",
    re.IGNORECASE,
)
_COMMIT = re.compile(r"\b(?:(?:we|I|it|they)\s+(?:commit|pledge|will)|committed to|pledged? to|pledges?|"
                     r"reaffirm(?:s|ed)? (?:its|their|the) commitment)\b", re.IGNORECASE)
_RECOMMENDATION_HEADING = re.compile(r"\brecommend|\bcalls? (?:to|for) action|\bwe call\b", re.IGNORECASE)
_IMPERATIVE = re.compile(
    r"^(?:\*\*\w+:?\*\*\s*)?(?:ensure|introduce|provide|guarantee|amend|eliminate|expand|end|establish|"
    r"exclusively use|use|adopt|develop|strengthen|promote|respect|improve|reform|address|keep|go beyond|"
    r"focus|recogni[sz]e|ratify|stop|protect|support|invest|include|increase|create|repeal|allow|remove)\b",
    re.IGNORECASE,
)
LABEL_CHARS = 160


def _label(text: str) -> str:
    text = re.sub(r"\*\*", "", text).strip()
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS].rsplit(" ", 1)[0] + " …"


_REPORTING_VERB = re.compile(r"\b(?:reported|cited|confirmed|noted|highlighted|described|presented|shared)\b",
                             re.IGNORECASE)
_MEASURE_NOUN = re.compile(
    r"\b(?:initiative|programme|program|project|policy|policies|law|legislation|measure|training|efforts?|launch|"
    r"introduc\w*|establish\w*|regulari[sz]\w*|campaign|strategy|plan|partnership|reform|support|mechanism|"
    r"service|scheme|approach|agreement|platform|system|fund|procedure|permit|collaboration)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.;:]|\b(?:that|which|who|whereas|while|whilst|but|although|because|if)\b")
SUBJECT_REACH = 80  # characters between the actor and its verb


def practices(document: Document, mentions: dict[int, list[Mention]], about: dict[int, set[EntityRef]],
              concern_objectives: dict[str, tuple[int, ...]]) -> list[PracticeRecord]:
    """A measure an actor reports: the actor is the subject of a measure verb ("Portugal has launched an
    initiative", "Italy, the Republic of Moldova and Portugal reported having instituted regularisation").

    The objectives are those the passage names or sits under, else the usual objectives of the concerns it
    raises; a practice with no objective at all is not recorded (the contract requires one)."""
    out = []
    for p in document.passages:
        if p.kind == "heading":
            continue
        verb = _MEASURE.search(p.text)
        if not verb or _CALL.search(p.text[:verb.start()]) \
                or _NEGATION.search(p.text[max(0, verb.start() - 25):verb.end()]):
            continue
        reporting = _REPORTING_VERB.fullmatch(verb.group().split()[-1])
        if reporting and not _MEASURE_NOUN.search(p.text[verb.end():verb.end() + 80]):
            continue
        actors = tuple(sorted({m.entity for m in mentions.get(p.index, []) if m.entity.kind in ACTOR_KINDS
                               and m.end <= verb.start() and verb.start() - m.end <= SUBJECT_REACH
                               and not _CLAUSE_BREAK.search(p.text[m.end:verb.start()])}))
        if not actors:
            continue
        entities = {m.entity for m in mentions.get(p.index, [])}
        context = entities | about.get(p.index, set())
        concerns = tuple(sorted(e for e in entities if e.kind == "concern"))
        objectives = {e for e in context if e.kind == "objective"}
        if not objectives:
            objectives = {EntityRef("objective", str(n)) for c in concerns for n in concern_objectives.get(c.key, ())}
        if not objectives:
            continue
        out.append(PracticeRecord(passage=p.index, label=_label(p.text), actors=actors,
                                  objectives=tuple(sorted(objectives)), concerns=concerns))
    return out


def statements(document: Document, mentions: dict[int, list[Mention]],
               about: dict[int, set[EntityRef]]) -> list[StatementRecord]:
    """Recommendations: calls to act ("should", "are urged to") and items under a Recommendations heading."""
    out = []
    for p in document.passages:
        if p.kind == "heading" or len(p.text) < 25:
            continue
        under_recommendations = any(_RECOMMENDATION_HEADING.search(document.sections[s].heading) for s in p.sections)
        text = p.text
        kind = None
        if _COMMIT.search(text) and not _CALL.search(text):
            kind = "commitment"
        elif _CALL.search(text) or (under_recommendations and (p.kind == "item" or _IMPERATIVE.match(text))):
            kind = "recommendation"
        if kind is None:
            continue
        entities = {m.entity for m in mentions.get(p.index, [])}
        context = entities | about.get(p.index, set())
        addressees = _addressees(text, mentions.get(p.index, []))
        out.append(StatementRecord(
            passage=p.index, kind=kind, text=re.sub(r"\*\*", "", text).strip(), addressees=addressees,
            objectives=tuple(sorted(e for e in context if e.kind == "objective")),
            concerns=tuple(sorted(e for e in context if e.kind == "concern")),
        ))
    return out


_ADDRESSING = re.compile(r"\b(?:urges?|urged|calls? (?:on|upon)|called (?:on|upon)|encourages?|encouraged|invites?|"
                         r"invited|requests?|requested)\b", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:should|must|ought to|needs? to|(?:is|are|were|was) (?:urged|encouraged|called upon|"
                    r"invited|requested|recommended))\b", re.IGNORECASE)
_SUBJECT_PREFIX = re.compile(r"^(?:\*\*[^*]*\*\*\s*)?(?:(?:the|all|both|each|other|several|some|member|and|,|"
                             r"[A-Z][\w'’.-]*)\s*)*$")


def _addressees(text: str, mentions: list[Mention]) -> tuple[EntityRef, ...]:
    """Whom a call addresses: the subject of "should"/"are urged to" ("Portugal and Spain should ..."),
    or the object of "urge"/"call on" ("we call on Greece to ..."). The speaker of "X recommended" is not."""
    modal = _MODAL.search(text)
    addressing = _ADDRESSING.search(text)
    found = set()
    for m in mentions:
        if m.entity.kind not in ACTOR_KINDS:
            continue
        subject = modal and m.end <= modal.start() and _SUBJECT_PREFIX.match(text[:m.start])
        if subject or (addressing and 0 <= m.start - addressing.end() <= 40):
            found.add(m.entity)
    return tuple(sorted(found))
