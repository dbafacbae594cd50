"""States by any name ("Republic of Moldova", "the U.S.", "Türkiye"/"Turkey") and by adjectives that
designate the state ("Greek authorities", "the Swiss and Mexican governments", "Syrian refugees").

An adjective counts only before a noun that belongs to a state or its people, so languages
("interpretation in English, French and Russian") are not states.
"""

from __future__ import annotations

import re

from gcmkg.extraction.names import EXACT, NameHit, NameMatcher, is_acronym
from gcmkg.extraction.records import EntityRef
from gcmkg.extraction.text import identity_cache
from gcmkg.ontology.reference import State

_HEADS = (
    "government|governments|authorities|authority|administration|police|border|borders|border police|"
    "coast guard|coastguard|navy|army|military|armed forces|forces|troops|ministry|ministries|minister|"
    "ministers|president|presidency|prime minister|parliament|congress|senate|courts?|judiciary|officials?|"
    "state|nationals?|citizens?|citizenship|nationality|passports?|migrants?|immigrants?|emigrants?|"
    "refugees?|asylum[- ]seekers?|workers?|labou?r force|nurses?|doctors?|students?|people|population|"
    "communit(?:y|ies)|diaspora|diasporas|embassy|embassies|consulates?|consular|cities|city|municipalit(?:y|ies)|"
    "regions?|provinces?|territory|territories|law|laws|legislation|legislators?|constitution|economy|"
    "labou?r market|delegation|delegations|side|counterparts?|children|women|families|returnees|victims|"
    "men|youth|households?|families|agencies|agency|institutions?|ombudsman|ombudsperson|"
    "national human rights institution|capital|mainland|islands?|coast|shores?|waters|soil|"
    "co-facilitators?|facilitators?|presidency|chairmanship|pledges?|policy|policies|visa|visas|"
    "employers?|companies|firms|NGOs?|civil society|organisations?|organizations?|trade unions?|unions?"
)
_ADJECTIVE_TAIL = re.compile(
    r"^(?:\s*(?:,|and|or|&|/)\s*[A-Z][\w-]+)*"  # coordinated adjectives: "Swiss and Mexican"
    r"(?:\s+(?:federal|national|local|regional|state|central|border|migrant|irregular|undocumented|young|"
    r"unaccompanied|former|new|current|previous|competent|relevant|respective|two|both|many|some)){0,2}"
    rf"\s+(?:{_HEADS})\b",
)


@identity_cache
def state_matchers(states: tuple[State, ...]) -> tuple[NameMatcher, NameMatcher]:
    """(names matcher, adjectives matcher), built once per set of states."""
    names, adjectives = NameMatcher(), NameMatcher()
    for s in states:
        ref = EntityRef("state", s.iso3)
        names.add(s.label, ref)
        for name, kind in s.names:
            names.add(name, ref, EXACT if kind == "abbreviation" or is_acronym(name) else None)
        adjective_set = set(s.adjectives)
        for adj in s.adjectives:
            if adj.endswith("s") and adj[:-1] in adjective_set:
                names.add(adj, ref, EXACT)  # a plural demonym ("Syrians") names the people, no noun needed
            else:
                adjectives.add(adj, ref, EXACT)
    return names, adjectives


def find_states(text: str, states: tuple[State, ...]) -> list[NameHit]:
    names, adjectives = state_matchers(states)
    hits = names.find(text)
    taken = [(h.start, h.end) for h in hits]
    for hit in adjectives.find(text):
        if any(s < hit.end and hit.start < e for s, e in taken):
            continue
        if _ADJECTIVE_TAIL.match(text[hit.end:hit.end + 120]):
            hits.append(hit)
    return sorted(hits, key=lambda h: h.start)
