"""Extraction of one document: mentions, context, authorship, practices, statements and direct relations.

`Extractor` holds the gazetteers (built once per process); `extract(document)` is pure: the same
document always gives the same records, which is what makes rebuilds idempotent.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import cached_property

from gcmkg.extraction import authorship, context, stance, statements
from gcmkg.extraction.concerns import find_concerns
from gcmkg.extraction.names import ANY_CASE, EXACT, NameMatcher
from gcmkg.extraction.objectives import numbered_objectives, objective_ref, titled_objectives
from gcmkg.extraction.records import ACTOR_KINDS, EntityRef, Extraction, Mention, NewStakeholder, Relation
from gcmkg.extraction.sense import COALITION, gcm_sense
from gcmkg.extraction.stakeholders import city_of, discover, find_cities, gazetteer_matchers, new_stakeholder
from gcmkg.extraction.states import find_states
from gcmkg.extraction.text import inside, tokens, url_spans
from gcmkg.model import Document
from gcmkg.ontology.namespace import slugify
from gcmkg.ontology.reference import DATA, ReferenceData, reference_data

EXTRACTOR_VERSION = "3"
_FUNCTION_WORDS = frozenset("""
The A An In On At By For From With Within And Or Of To As Both While Whilst Under Through Since Following
According Where When Its Their Our His Her Dear Yet But Also Moreover However Furthermore Including Like Via
""".split())  # part of each document's content hash: a new extractor rebuilds every document
_COMPACT_NAME = re.compile(r"\bGlobal Compact (?:for|on) (?:Safe, (?:Orderly and Regular|Regular and Orderly) )?"
                           r"Migration\b|\bGlobal Compact for Migration\b", re.IGNORECASE)
_GCM = re.compile(r"\bGCM\b")
_GENERIC_PRINCIPLE_LABELS = {"human rights", "sustainable development", "international cooperation"}
COALITION_LABEL = "Global Coalition on Migration"


class Extractor:
    def __init__(self, reference: ReferenceData | None = None):
        self.ref = reference or reference_data()
        self.states = tuple(self.ref.states)
        self.stakeholders = tuple(self.ref.stakeholders)
        self.concerns = tuple(self.ref.concerns)
        self.objectives = tuple(self.ref.objectives)
        self._known_slugs = {h.slug for h in self.stakeholders}

    @cached_property
    def principles(self) -> NameMatcher:
        matcher = NameMatcher()
        for p in self.ref.principles:
            for name in (p.label, *p.alt_labels):
                if name.lower() not in _GENERIC_PRINCIPLE_LABELS:
                    matcher.add(name, EntityRef("principle", p.slug), ANY_CASE)
        return matcher

    @cached_property
    def cities(self) -> dict[str, str]:
        state_names = {s.label for s in self.states} | {n for s in self.states for n, _ in s.names}
        with open(DATA / "cities.csv", encoding="utf-8") as fh:
            return {r["name"]: r["country_iso3"] for r in csv.DictReader(fh) if r["name"] not in state_names}

    @cached_property
    def coalition(self) -> EntityRef | None:
        slug = next((h.slug for h in self.stakeholders if h.label == COALITION_LABEL), slugify(COALITION_LABEL))
        return EntityRef("stakeholder", slug)

    @cached_property
    def _short_forms(self) -> frozenset[str]:
        return frozenset(_normalise(re.sub(r"^the\s+", "", a, flags=re.IGNORECASE))
                         for h in self.stakeholders for a in h.context_aliases)

    @cached_property
    def _full_names(self) -> dict[str, EntityRef]:
        names = {}
        for h in self.stakeholders:
            for name in (h.label, *h.alt_labels):
                names[_normalise(name)] = EntityRef("stakeholder", h.slug)
        return names

    def _completion(self, name: str) -> EntityRef | None:
        """The one gazetteer body whose full name starts with `name` (three words or more), if any."""
        key = _normalise(name)
        if len(key.split()) < 3:
            return None
        matches = {ref for full, ref in self._full_names.items() if full.startswith(key + " ")}
        return matches.pop() if len(matches) == 1 else None

    @staticmethod
    def _city(discovered: dict[str, NewStakeholder], city: str, name: str = "") -> EntityRef:
        """One node per city, whatever the text calls its government ("City of X", "X City Council")."""
        slug = slugify(city)
        known = discovered.get(slug)
        names = tuple(dict.fromkeys((*(known.acronyms if known else ()), f"City of {city}", *([name] if name else []))))
        discovered[slug] = NewStakeholder(slug, city, "LocalAuthority", names)
        return EntityRef("stakeholder", slug)

    @cached_property
    def _state_words(self) -> frozenset[str]:
        words = {s.label for s in self.states} | {n for s in self.states for n, _ in s.names}
        return frozenset(words | {a for s in self.states for a in s.adjectives})

    @cached_property
    def _concern_objectives(self) -> dict[str, tuple[int, ...]]:
        return {c.slug: c.objectives for c in self.concerns}

    def _qualified_by_state(self, text: str, start: int) -> bool:
        """'Ghana Trades Union Congress' is not the UK's 'Trades Union Congress': a state name right before
        a gazetteer name makes it another, national body."""
        window = text[max(0, start - 60):start]
        two = re.search(r"([A-Z][\w'’-]*\s+[A-Z][\w'’-]*)\s+$", window)
        one = re.search(r"([A-Z][\w'’-]*)\s+$", window)
        if not one:
            return False
        if one.group(1) in self._state_words or (two and two.group(1) in self._state_words):
            return True
        # "African Migration Observatory" is not the "Migration Observatory": a capitalised word inside a sentence
        # (not its first word, not a function word, not an acronym) that runs into a known name makes another name.
        word, prefix = one.group(1), window[:one.start()]
        sentence_start = not prefix.strip() or re.search(r"[.;:!?(\"“]\s*$", prefix)
        return (not sentence_start and word not in _FUNCTION_WORDS and not word.isupper()
                and not _headline(text))  # in "GCM Endorses Action Committee Response" every word is capitalised

    def extract(self, document: Document) -> Extraction:
        result = Extraction(gcm_sense=gcm_sense(document))
        full, short = gazetteer_matchers(self.stakeholders)
        seen_stakeholders: set[EntityRef] = set()
        discovered: dict[str, NewStakeholder] = {}
        local_acronyms = NameMatcher()
        paraphrased: dict[int, set[EntityRef]] = {}  # objectives named by title, not number: context only

        for p in document.passages:
            text = p.text
            urls = url_spans(text)
            found: list[Mention] = []

            def add(start: int, end: int, entity: EntityRef, found: list[Mention] = found, text: str = text,
                    p_index: int = p.index) -> None:
                found.append(Mention(p_index, entity, start, end, text[start:end]))

            shouting = _mostly_capitals(text)  # "WHO WE ARE", "ABOUT US": acronyms are words here
            for hit in find_states(text, self.states):
                if not inside(urls, hit.start, hit.end) and not (shouting and hit.mode == EXACT):
                    add(hit.start, hit.end, hit.entity)
            stakeholder_hits = [h for h in full.find(text) if (not inside(urls, h.start, h.end) or h.mode == EXACT)
                                and not (shouting and h.mode == EXACT)
                                and not self._qualified_by_state(text, h.start)]
            for hit in stakeholder_hits:
                add(hit.start, hit.end, hit.entity)
                seen_stakeholders.add(hit.entity)
            for hit in short.find(text):
                if (hit.entity in seen_stakeholders and _refers_back(text, hit.start, hit.end)
                        and not any(h.start <= hit.start < h.end for h in stakeholder_hits)):
                    add(hit.start, hit.end, hit.entity)
            for hit in local_acronyms.find(text):
                add(hit.start, hit.end, hit.entity)
            known_spans = [(m.start, m.end) for m in found if m.entity.kind == "stakeholder"]
            for start, end, name, acronym in discover(text, known_spans, self.cities):
                item = new_stakeholder(name, acronym, self._state_words)
                same = self._full_names.get(_normalise(name))
                if same is not None:  # a known body written with other punctuation or spelling
                    add(start, end, same)
                    continue
                truncated = self._completion(name) if not text[end:].strip(" .,;:") else None
                if truncated is not None:  # a known name cut short at the end of a passage (a line break)
                    add(start, end, truncated)
                    continue
                if item.slug in self._known_slugs or _normalise(name) in self._short_forms:
                    continue  # a known body, or a short form ("Special Rapporteur") that needs its antecedent
                city = city_of(name, self.cities)
                if city:  # "Freetown City Council", "Greater Amman Municipality": the city itself
                    add(start, end, self._city(discovered, city, name))
                    continue
                discovered.setdefault(item.slug, item)
                ref = EntityRef("stakeholder", item.slug)
                add(start, end, ref)
                if acronym:
                    local_acronyms.add(acronym, ref, EXACT)
            for start, end, city in find_cities(text, self.cities):
                if not any(s < end and start < e for s, e in known_spans):
                    add(start, end, self._city(discovered, city))
            for m in _GCM.finditer(text):
                if result.gcm_sense == COALITION:
                    add(m.start(), m.end(), self.coalition)
                else:
                    add(m.start(), m.end(), EntityRef("compact", "gcm"))
            for m in _COMPACT_NAME.finditer(text):
                add(m.start(), m.end(), EntityRef("compact", "gcm"))
            for hit in numbered_objectives(text):
                add(hit.start, hit.end, objective_ref(hit.number))
            if result.gcm_sense != COALITION:
                numbered = {m.entity for m in found if m.entity.kind == "objective"}
                paraphrased[p.index] = {objective_ref(h.number) for h in titled_objectives(text, self.objectives)
                                        if objective_ref(h.number) not in numbered}
            names = [(m.start, m.end) for m in found
                     if m.entity.kind == "state" or m.entity.key in self._known_slugs]
            words = [t for t in tokens(text) if not inside(names, t.start, t.end)]  # names are not concerns
            for hit in find_concerns(words, self.concerns):
                add(hit.start, hit.end, hit.entity)
            for hit in self.principles.find(text):
                add(hit.start, hit.end, hit.entity)
            result.mentions += _dedupe(found)

        result.new_stakeholders = sorted(discovered.values(), key=lambda s: s.slug)
        by_passage: dict[int, list[Mention]] = defaultdict(list)
        for m in result.mentions:
            by_passage[m.passage].append(m)
        mentioned = {i: {m.entity for m in ms} for i, ms in by_passage.items()}
        result.about = context.about(document, mentioned, paraphrased)
        spans = {i: [(m.start, m.end, m.entity) for m in ms] for i, ms in by_passage.items()}
        result.creators = authorship.creators(document, mentioned, spans)
        result.practices = statements.practices(document, by_passage, result.about, self._concern_objectives)
        result.statements = statements.statements(document, by_passage, result.about)
        result.stances = stance.stances(document, by_passage, result.about)
        result.relations = _relations(document, mentioned, result)
        return result


def _refers_back(text: str, start: int, end: int) -> bool:
    """A short form ("the Network", "the Special Rapporteur") refers back only as a name of its own: after "the"
    or "its", not inside a longer name ("the National Network for Safe Migration")."""
    before, after = text[max(0, start - 12):start], text[end:end + 40]
    return bool(re.search(r"(?:^|\b(?:the|The|its|Its|this|This|that|That))\s*$", before)) and not re.match(
        r"\s+(?:of|for|on|in|against|to|de)\s+(?:the\s+)?[A-Z]", after)


def _headline(text: str) -> bool:
    """Title case: most words start with a capital, so a capital says nothing about names."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


_LOWER = re.compile(r"[a-z]+")
_UPPER = re.compile(r"[A-Z]+")


def _mostly_capitals(text: str) -> bool:
    if _LOWER_RUN.search(text):  # any lower-case word: not shouting (nearly every passage)
        return False
    upper = sum(len(m) for m in _UPPER.findall(text))
    lower = sum(len(m) for m in _LOWER.findall(text))
    return len(text.split()) >= 3 and upper + lower >= 10 and upper > 0.6 * (upper + lower)


_LOWER_RUN = re.compile(r"[a-z]{3,}(?:\s+[a-z]{3,}){2}")


_SPELLINGS = {"defence": "defense", "organisation": "organization", "organisations": "organizations",
              "centre": "center", "labour": "labor", "programme": "program", "counselling": "counseling"}


def _normalise(name: str) -> str:
    """A name's key: lower case, punctuation and "the" dropped, British spellings folded to American."""
    words = re.sub(r"[^\w]+", " ", name.lower()).split()
    return " ".join(_SPELLINGS.get(w, w) for w in words if w != "the")


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per entity and place; the first of overlapping mentions of the same entity wins."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if not any(o.entity == m.entity and o.start < m.end and m.start < o.end for o in out):
            out.append(m)
    return out


def _relations(document: Document, mentioned: dict[int, set[EntityRef]], result: Extraction) -> list[Relation]:
    """Direct triples, each with the passages attesting it."""
    evidence: dict[tuple[EntityRef, str, EntityRef], set[int]] = defaultdict(set)
    concern_passages: dict[EntityRef, set[int]] = defaultdict(set)
    for p in document.passages:
        entities = mentioned.get(p.index, set())
        contextual = entities | result.about.get(p.index, set())
        actors = [e for e in entities if e.kind in ACTOR_KINDS]
        concerns = [e for e in entities if e.kind == "concern"]
        for c in concerns:
            concern_passages[c].add(p.index)
            for a in actors:
                evidence[(a, "raisesConcern", c)].add(p.index)
        for c in (e for e in contextual if e.kind == "concern"):
            for o in (e for e in contextual if e.kind == "objective"):
                evidence[(c, "concernLinkedToObjective", o)].add(p.index)
    for creator in result.creators:
        for c, passages in concern_passages.items():
            evidence[(creator, "raisesConcern", c)].update(passages)
    for speaker, quote, attribution in authorship.attributions(document, mentioned):
        for q in quote:
            for c in (e for e in mentioned.get(q, set()) if e.kind == "concern"):
                evidence[(speaker, "raisesConcern", c)].update({q, attribution})
    return [Relation(s, p, o, tuple(sorted(ps))) for (s, p, o), ps in sorted(evidence.items())]


_EXTRACTOR: Extractor | None = None


def get_extractor() -> Extractor:
    """One extractor per process: the gazetteers are built once."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR
