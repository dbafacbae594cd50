"""Stakeholders: the gazetteer, short forms that refer back to a body already named, and discovery of
organisations the gazetteer lacks (an organisational head word, or an acronym introduced in parentheses).

Discovery is deliberately strict: a capitalised phrase needs a head word such as Network, Committee
or Agency, and never swallows a body the gazetteer knows.
"""

from __future__ import annotations

import re
from functools import cache

from gcmkg.extraction.names import EXACT, NameMatcher
from gcmkg.extraction.records import EntityRef, NewStakeholder
from gcmkg.ontology.namespace import slugify
from gcmkg.ontology.reference import Stakeholder

HEAD_TYPES: dict[str, str] = {
    "network": "CivilSocietyOrganisation", "coalition": "CivilSocietyOrganisation",
    "alliance": "CivilSocietyOrganisation", "association": "CivilSocietyOrganisation",
    "platform": "CivilSocietyOrganisation", "foundation": "CivilSocietyOrganisation",
    "federation": "CivilSocietyOrganisation", "forum": "CivilSocietyOrganisation",
    "consortium": "CivilSocietyOrganisation", "committee": "CivilSocietyOrganisation",
    "society": "CivilSocietyOrganisation", "movement": "CivilSocietyOrganisation",
    "caucus": "CivilSocietyOrganisation", "collective": "CivilSocietyOrganisation",
    "watch": "CivilSocietyOrganisation", "trust": "CivilSocietyOrganisation",
    "agency": "IntergovernmentalOrganisation", "commission": "IntergovernmentalOrganisation",
    "office": "IntergovernmentalOrganisation", "organization": "IntergovernmentalOrganisation",
    "organisation": "IntergovernmentalOrganisation", "secretariat": "IntergovernmentalOrganisation",
    "council": "IntergovernmentalOrganisation", "bank": "IntergovernmentalOrganisation",
    "fund": "IntergovernmentalOrganisation", "programme": "IntergovernmentalOrganisation",
    "task force": "IntergovernmentalOrganisation", "taskforce": "IntergovernmentalOrganisation",
    "working group": "IntergovernmentalOrganisation", "group": "IntergovernmentalOrganisation",
    "institute": "AcademicInstitution", "university": "AcademicInstitution", "centre": "AcademicInstitution",
    "center": "AcademicInstitution", "observatory": "AcademicInstitution", "school": "AcademicInstitution",
    "rapporteur": "TreatyBodyOrSpecialProcedure", "ombudsman": "NationalHumanRightsInstitution",
    "ombudsperson": "NationalHumanRightsInstitution", "union": "TradeUnion", "confederation": "TradeUnion",
    "mission": "IntergovernmentalOrganisation",
    "réseau": "CivilSocietyOrganisation",
    "coalición": "CivilSocietyOrganisation",
    "asociación": "CivilSocietyOrganisation",
    "fundación": "CivilSocietyOrganisation",
    "instituto": "AcademicInstitution",
    "consejo": "IntergovernmentalOrganisation",
    "comisión": "IntergovernmentalOrganisation",
    "oficina": "IntergovernmentalOrganisation",
    "observatorio": "AcademicInstitution",
    "chamber": "PrivateSectorActor", "congress": "TradeUnion", "municipality": "LocalAuthority",
    "city council": "LocalAuthority",
}
_HEAD = re.compile(r"\b(" + "|".join(sorted(HEAD_TYPES, key=len, reverse=True)) + r")s?\b", re.IGNORECASE)
_CONNECTORS = {"of", "on", "for", "the", "and", "to", "in", "&", "de", "du", "des", "la", "against", "with",
               "del", "el", "los", "las", "y", "con", "para", "por", "et", "pour", "da", "do", "dos", "das", "e"}
# Networks named in Spanish, French or Portuguese ("Red Jesuita con Migrantes", "Réseau ...", "Rede ...").
_FOREIGN_NETWORK = re.compile(r"^(?:Red|Réseau|Rede)\s+\w+\s+\w+")
_CAP_WORD = r"(?:[A-Z][\w'’.-]*|[A-Z]{2,})"
_PHRASE = re.compile(
    rf"{_CAP_WORD}(?:\s+(?:(?:of|on|for|the|and|to|in|&|de|du|des|la|against|with|del|el|los|las|y|con|para|por|et|"
    rf"pour|da|do|dos|das|e)\s+)*(?:{_CAP_WORD}|\d{{1,3}}\b))*")
_INTRODUCED_ACRONYM = re.compile(r"[“\"]?\s*\(\s*([A-Z][A-Za-z0-9&-]{1,11})\s*\)")
# Capitalised words that open sentences or name roles, never the start of an organisation's name.
_LEADING_NOISE = {
    "The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "Within", "Members", "Member", "Leaders",
    "Speakers", "Representatives", "Director", "Coordinator", "International Coordinator", "Advocacy",
    "Comments", "Statement", "Report", "Summary", "Rapporteur", "Moderators", "Moderator", "Ms", "Mr", "Dr",
    "Both", "Several", "Some", "Many", "All", "Each", "Every", "Our", "Their", "This", "These", "That",
    "Those", "Such", "Through", "Under", "Via", "As", "And", "Also", "While", "Whilst", "Where", "When",
    "Yet", "But", "Upcoming", "New", "Its", "His", "Her", "Dear", "Excellencies", "Thank", "Support",
    "Eastern", "Western", "Central", "Pacific", "Time", "Standard", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
}
# A name followed by a floor, a street or a plaza is a venue, not an actor.
_ADDRESS_AFTER = re.compile(r"^[,\s]+\d+\w*\s+(?:Floor|Plaza|Street|Avenue|Road|Ave|St)\b|^[,\s]+\d{1,5}\s+[A-Z]\w+\s+"
                            r"(?:Plaza|Street|Avenue|Road)\b")
# Phrases with a head word that are events, documents or places rather than organisations.
_NOT_ORGANISATIONS = re.compile(
    r"\b(?:Declaration|Compact|Agenda|Summit|Conference|Convention|Protocol|Plan|Strategy|Report|Review|"
    r"Brief|Briefing|Statement|Session|Dialogue|Plaza|Floor|Street|Avenue|Road|Building|Hall|Day|Week|"
    r"Programme of Action|Principles|Guidelines|Framework|Resolution|Act|Pact|Charter|Process)\b"
)


@cache
def gazetteer_matchers(stakeholders: tuple[Stakeholder, ...]) -> tuple[NameMatcher, NameMatcher]:
    """(names and acronyms, short forms valid only after the body was named in the document)."""
    full, short = NameMatcher(), NameMatcher()
    for h in stakeholders:
        ref = EntityRef("stakeholder", h.slug)
        full.add(h.label, ref)
        full.add_all(h.alt_labels, ref)
        for acronym in h.acronyms:
            full.add(acronym, ref, EXACT)
        for alias in h.context_aliases:
            short.add(re.sub(r"^the\s+", "", alias, flags=re.IGNORECASE), ref)
    return full, short


def guess_type(name: str, state_words: frozenset[str] = frozenset()) -> str:
    """The stakeholder class a discovered name most likely has, from its words."""
    lowered = name.lower()
    if re.search(r"\b(?:united nations|un)\b", name, re.IGNORECASE) and "rapporteur" not in lowered:
        return "UNEntity"
    if re.search(r"\b(?:city|municipal|mayor|town|county|borough)", lowered):
        return "LocalAuthority"
    if re.search(r"\b(?:youth|young)\b", lowered):
        return "YouthOrganisation"
    if re.search(r"\b(?:trades? unions?|workers|labou?r unions?)", lowered):
        return "TradeUnion"
    if re.search(r"\bcommittee (?:on|against) the\b|\brapporteur\b", lowered):
        return "TreatyBodyOrSpecialProcedure"
    if re.search(r"\b(?:national human rights|ombuds)", lowered):
        return "NationalHumanRightsInstitution"
    if re.search(r"\b(?:national|ministry|ministerio|minist[eè]re|federal|central bank|government of)\b", lowered) \
            or any(w in state_words for w in re.findall(r"[A-Z][\w'’-]+", name)):
        return "NationalPublicBody"
    if _FOREIGN_NETWORK.match(name):
        return "CivilSocietyOrganisation"
    heads = _HEAD.findall(name)
    return HEAD_TYPES.get(heads[-1].lower(), "CivilSocietyOrganisation") if heads else "CivilSocietyOrganisation"


def discover(text: str, known: list[tuple[int, int]], places: dict[str, str] | frozenset[str] = frozenset()
             ) -> list[tuple[int, int, str, str]]:
    """(start, end, name, acronym) of organisation names in `text` not overlapping `known` spans.
    A trailing "in <city>" ("African Migration Observatory in Rabat") is where the body is, not its name."""
    found = []
    for m in _PHRASE.finditer(text):
        words = [(m.start() + w.start(), m.start() + w.end(), w.group()) for w in re.finditer(r"\S+", m.group())]
        for run in _runs(words, known):
            while run and run[-1][2].lower() in _CONNECTORS:
                run = run[:-1]
            for i in range(len(run) - 1):
                if run[i][2] in ("in", "at") and " ".join(w for _, _, w in run[i + 1:]).rstrip(".,;:") in places:
                    run = run[:i]
                    break
            found += _organisation(text, run)
    return found


def _runs(words: list[tuple[int, int, str]], known: list[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
    """Split a capitalised phrase at known names and at sentence ends ("... on Libya. Libya ...")."""
    runs: list[list[tuple[int, int, str]]] = [[]]
    for word in words:
        s, e, w = word
        if any(ks < e and s < ke for ks, ke in known):
            runs.append([])
            continue
        runs[-1].append(word)
        if w.endswith(".") and len(w) > 3 and not re.fullmatch(r"(?:[A-Z]\.)+", w):
            runs.append([])
    return [r for r in runs if r]


def _organisation(text: str, words: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """(start, end, name, acronym) when a run of capitalised words is an organisation's name."""
    possessive = [i for i, w in enumerate(words) if re.search(r"['’]s$", w[2])]
    if possessive:  # "GCM's Knowledge Platform": the name starts after the owner
        words = words[possessive[-1] + 1:]
    while words and (words[0][2].strip(".,") in _LEADING_NOISE or words[0][2].lower() in _CONNECTORS
                     or words[0][2].isdigit()):
        words.pop(0)
    while words and words[-1][2].lower() in _CONNECTORS:
        words.pop()
    if words and words[-1][2].isdigit() and not _HEAD.search(words[-2][2] if len(words) > 1 else ""):
        words.pop()
    if len(words) < 2:
        return []
    start, end = words[0][0], words[-1][1]
    name = text[start:end].rstrip(".,;:’'")
    end = start + len(name)
    if not (_HEAD.search(name) or _FOREIGN_NETWORK.match(name)) or _NOT_ORGANISATIONS.search(name):
        return []
    if _ADDRESS_AFTER.match(text[end:end + 40]):
        return []
    if all(w.isupper() for _, _, w in words if w.lower() not in _CONNECTORS):
        return []  # an all-caps heading, not a name
    acronym = ""
    intro = _INTRODUCED_ACRONYM.match(text[end:end + 20])
    if intro:
        acronym = intro.group(1)
    return [(start, end, name, acronym)]


def new_stakeholder(name: str, acronym: str, state_words: frozenset[str] = frozenset()) -> NewStakeholder:
    return NewStakeholder(slug=slugify(name), label=name, type=guess_type(name, state_words),
                          acronyms=(acronym,) if acronym else ())


def find_cities(text: str, cities: dict[str, str]) -> list[tuple[int, int, str]]:
    """Cities that act: named where the passage speaks of cities or municipalities."""
    # lower-case context words only: "Kuwait City" is a name, not a passage about cities
    if not re.search(r"\b(?:cit(?:y|ies)|municipal\w*|mayors?|towns?|local authorit\w*|local governments?)\b", text):
        return []
    hits = []
    for m in re.finditer(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?", text):
        for candidate in (m.group(), m.group().split()[0]):
            if candidate in cities and not re.match(
                    r"\s+(?:Declaration|Agreement|Process|Convention|Plan|Summit|Action|Principles|Compact)",
                    text[m.start() + len(candidate):]):
                hits.append((m.start(), m.start() + len(candidate), candidate))
                break
    return hits


_CITY_GOVERNMENT = re.compile(
    r"^(?:(?:The\s+)?(?:City|Municipality|Mayor|Government|Town|County) of\s+(?P<a>.+?)|(?:Greater\s+)?(?P<b>.+?)\s+"
    r"(?:City Council|City Hall|City Government|Municipality|Metropolitan Municipality|Municipal Council|"
    r"Metropolitan Council|District Government|Town Council|County Council))$")


def city_of(name: str, cities: dict[str, str]) -> str | None:
    """The city whose government a name designates ("Freetown City Council" -> Freetown), if it is a known city."""
    m = _CITY_GOVERNMENT.match(name)
    city = m and (m.group("a") or m.group("b"))
    return city if city in cities else None


__all__ = ["city_of", "discover", "find_cities", "gazetteer_matchers", "guess_type",
           "new_stakeholder"]
