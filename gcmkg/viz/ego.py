"""The ego network: every entity linked to one focus entity in the documents, and the links among them."""

from __future__ import annotations

from gcmkg.viz.evidence import Evidence, Link

AMONG_MIN_WINDOWS = 2  # links among neighbours need this many windows, so the focus's own links stay legible


def ego_links(evidence: Evidence, focus: str, must: set[str], kinds: set[str]) -> dict[tuple[str, str], Link]:
    """Links of `focus` to entities of `kinds`, plus the stronger links among those neighbours (same windows rule)."""
    star = {pair: link for pair, link in evidence.links(None, must, None).items() if focus in pair}
    neighbours = {n for pair in star for n in pair if n != focus and evidence.entities[n].kind in kinds}
    keep = neighbours | {focus}
    star = {pair: link for pair, link in star.items() if set(pair) <= keep}
    among = {pair: link for pair, link in evidence.links(None, must, neighbours).items()
             if link.windows >= AMONG_MIN_WINDOWS}
    return {**among, **star}
