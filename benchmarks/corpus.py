"""A deterministic synthetic GCM corpus: N plain-text documents shaped like the real regional reviews.

Each document is about 20 KB: a title, a date, a byline ("Summary report from ..."), objective headings
with official titles ("Objective 13 – Use migration detention ..."), roundtable blocks
("Roundtable 3: Objectives 4, 8, 9"), bullets, "Recommendations:" items and practice sentences
("Portugal has launched an initiative to ..."). State, organisation and concern names come from the
project's reference data, states about twice as often as organisations, as in the real reviews.

Document i depends only on (seed, i), so a 100-document corpus is the first 100 files of a 1,000-document
one and the same seed always gives the same bytes.

    python benchmarks/corpus.py OUT_DIR --docs 100 [--seed 2018]
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_SEED = 2018
TARGET_BYTES = 20_000

_OPENERS = [
    "Participants noted that", "Several Member States reported that", "Stakeholders stressed that",
    "It was acknowledged that", "Many delegations observed that", "Civil society representatives warned that",
    "The discussion highlighted that", "Speakers recalled that", "A number of participants underlined that",
]
_CLAIMS = [
    "{concern} remains a pressing challenge across the region, particularly for those in vulnerable situations",
    "progress on {concern} has been uneven since the adoption of the Compact, despite renewed commitments",
    "{state} and {state2} continue to cooperate on {concern} through bilateral agreements and joint training",
    "the {adj} authorities have expanded programmes on {concern} over the past two years",
    "{org} has documented cases of {concern} in {state} and called for independent investigations",
    "measures on {concern} need sustained funding, clear mandates and independent monitoring to be effective",
    "data on {concern} remain scarce and poorly disaggregated by sex, age and migration status",
]
_PLAIN = [
    "implementation at the national level needs to factor in concrete ways to make commitments operational",
    "the pandemic had a lasting effect on mobility and on the capacity of public services to respond",
    "local governments are often the first responders and need a seat at the table when policies are designed",
    "partnerships between public authorities, employers and communities had produced tangible results",
    "reporting on implementation should be regular, inclusive and based on reliable evidence",
    "many of the challenges identified were shared across sub-regions despite their different profiles",
]
_PRACTICE_VERBS = [
    "has launched an initiative to", "introduced a programme to", "adopted a national action plan to",
    "established a task force to", "has set up a pilot project to", "developed a strategy to",
]
_PRACTICE_AIMS = [
    "improve access to {concern} for migrants in rural areas, with a specific focus on reaching vulnerable individuals",
    "address {concern} through community-based services delivered together with local partners",
    "reduce {concern} in cooperation with {org} and municipal authorities",
    "provide legal assistance on {concern} to migrant workers and their families",
]
_RECOMMENDATIONS = [
    "States should end {concern} and report on progress in the next review.",
    "Member States should ensure that {concern} is addressed with the support of {org}.",
    "Governments should allocate resources to address {concern}, in line with Objective {n}.",
    "More transparent governance and independent monitoring, including by national human rights institutions.",
    "Introduce safeguards so that children and families can access protection and regular pathways.",
    "Strengthen cooperation with {org} to monitor the situation at borders and in reception facilities.",
]
_FILLER = [
    "The region covers countries of origin, transit and destination with very different migration profiles.",
    "Several sub-regions had rarely been heard in global gatherings on migration until now, which made the "
    "exchange particularly valuable.",
    "Participants called for a whole-of-government approach that brings together ministries, local authorities "
    "and communities.",
    "The review offered an opportunity to take stock of achievements and gaps since 2018 and to plan the next "
    "steps.",
    "Contributions were received from a wide range of stakeholders ahead of the meeting and are summarised "
    "below.",
    "Delegations welcomed the exchange of experiences and lessons learned, and asked for a follow-up meeting "
    "next year.",
    "Speakers agreed that more needs to be done to translate commitments into concrete results on the ground.",
]
_TOPICS = [
    "General discussion", "Children:", "Labour rights", "Gender-responsive approaches", "Regional cooperation",
    "Data and evidence", "Role of local authorities", "Next steps", "Key messages", "Challenges and gaps",
]
CAST = {"states": 12, "orgs": 8, "concerns": 10}  # names one document draws on, the first ones more often


@dataclass(frozen=True)
class Vocabulary:
    """Names drawn from the reference data."""

    objectives: tuple[tuple[int, str], ...]
    state_names: tuple[str, ...]
    state_adjectives: tuple[str, ...]
    org_names: tuple[str, ...]
    org_acronyms: tuple[str, ...]
    concerns: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    from gcmkg.ontology.reference import reference_data

    ref = reference_data()
    return Vocabulary(
        objectives=tuple((o.number, o.title) for o in ref.objectives),
        state_names=tuple(s.label for s in ref.states),
        state_adjectives=tuple(a for s in ref.states for a in s.adjectives),
        org_names=tuple(h.label for h in ref.stakeholders),
        org_acronyms=tuple(a for h in ref.stakeholders for a in h.acronyms),
        concerns=tuple(a for c in ref.concerns for a in (c.label, *c.alt_labels)),
    )


class _Writer:
    def __init__(self, rng: random.Random, vocab: Vocabulary):
        self.rng, self.v = rng, vocab
        # A document dwells on a small cast of states, organisations and concerns, as real reviews do.
        self.states = rng.sample(vocab.state_names, CAST["states"])
        self.adjectives = rng.sample(vocab.state_adjectives, CAST["states"] // 2)
        self.orgs = rng.sample(vocab.org_names, CAST["orgs"])
        self.acronyms = rng.sample(vocab.org_acronyms, CAST["orgs"] // 2)
        self.concerns = rng.sample(vocab.concerns, CAST["concerns"])

    def pick(self, names: list[str]) -> str:
        """Earlier names of the cast come up more often (a rough Zipf law)."""
        return names[min(int(self.rng.paretovariate(1.2)) - 1, len(names) - 1)]

    def fill(self, template: str, objective: int | None = None) -> str:
        r = self.rng
        org = self.pick(self.acronyms) if r.random() < 0.4 else self.pick(self.orgs)
        return template.format(
            state=self.pick(self.states), state2=self.pick(self.states), adj=self.pick(self.adjectives),
            org=org, concern=self.pick(self.concerns), n=objective or r.randint(1, 23))

    def sentence(self, objective: int | None = None) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return r.choice(_FILLER)
        if roll < 0.6:
            return f"{r.choice(_OPENERS)} {r.choice(_PLAIN)}."
        text = f"{r.choice(_OPENERS)} {self.fill(r.choice(_CLAIMS), objective)}"
        if r.random() < 0.15:
            text += f", as noted under Objective {r.randint(1, 23)}"
        return text + "."

    def practice(self) -> str:
        r = self.rng
        actor = self.pick(self.states) if r.random() < 0.7 else f"The {self.pick(self.orgs)}"
        return f"{actor} {r.choice(_PRACTICE_VERBS)} {self.fill(r.choice(_PRACTICE_AIMS))}."

    def paragraph(self, objective: int | None = None) -> str:
        parts = [self.sentence(objective) for _ in range(self.rng.randint(2, 5))]
        if self.rng.random() < 0.3:
            parts.insert(self.rng.randrange(len(parts) + 1), self.practice())
        return " ".join(parts)

    def block(self, objective: int | None) -> list[str]:
        r = self.rng
        lines = [self.paragraph(objective), ""]
        lines += [f"- {self.sentence(objective)}" for _ in range(r.randint(2, 4))]
        lines.append("")
        if r.random() < 0.6:
            lines.append("Recommendations:")
            lines += [f" - {self.fill(r.choice(_RECOMMENDATIONS), objective)}" for _ in range(r.randint(2, 3))]
            lines.append("")
        lines += [self.paragraph(objective), ""]
        return lines


def document(index: int, seed: int = DEFAULT_SEED, target_bytes: int = TARGET_BYTES) -> tuple[str, str]:
    """(file name, text) of synthetic document `index`; depends only on (seed, index)."""
    rng = random.Random(f"{seed}:{index}")
    v = vocabulary()
    w = _Writer(rng, v)
    region = rng.choice(["UNECE", "Africa", "Asia-Pacific", "Arab", "Latin America and the Caribbean"])
    year = rng.choice([2020, 2021, 2024, 2025])
    author = w.pick(w.orgs)
    lines = [f"Regional Review of the Global Compact for Safe, Orderly and Regular Migration in the {region} region",
             "", f"{rng.randint(1, 28)} November {year}", "",
             f"Summary report from {author}", "", "I. Introduction", ""]
    lines += [w.paragraph(), "", w.paragraph(), ""]
    roundtable = 0
    while sum(len(line) + 1 for line in lines) < target_bytes:
        roll = rng.random()
        if roll < 0.6:
            lines += [rng.choice(_TOPICS), ""]
            lines += w.block(None)
        elif roll < 0.7:
            roundtable += 1
            objectives = sorted(rng.sample(range(1, 24), rng.randint(2, 4)))
            lines += [f"Roundtable {roundtable}: Objectives {', '.join(map(str, objectives))}", ""]
            lines += w.block(None)
        else:
            number, title = rng.choice(v.objectives)
            dash = rng.choice(["–", ":", "-"])
            lines += [f"Objective {number} {dash} {title}" if dash != ":" else f"Objective {number}: {title}", ""]
            lines += w.block(number)
    text = "\n".join(lines) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{index:05d}_{digest}.txt", text


def write_corpus(out: str | Path, count: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write documents 0..count-1 into `out` (created); returns their paths. Existing identical files are kept."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        name, text = document(i, seed)
        path = out / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write the documents into")
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.docs, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
