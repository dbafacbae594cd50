"""gcm:about: the objectives and concerns a passage is about through its headings or the block that opens it.

A heading governs what follows until the next heading of the same or a higher level, or an excerpt
gap; a list item with sub-items governs them; a paragraph whose first sentence names an objective
("This roundtable will further consider GCM objective 7 ...") governs the rest of the paragraph.
"""

from __future__ import annotations

from gcmkg.extraction.records import EntityRef
from gcmkg.model import Document

CONTEXT_KINDS = ("objective", "concern")


def about(document: Document, mentioned: dict[int, set[EntityRef]],
          paraphrased: dict[int, set[EntityRef]] | None = None) -> dict[int, set[EntityRef]]:
    """Context of every passage. `paraphrased` holds objectives a passage names by title, not by number:
    the passage (and, for a heading, its section) is about them."""
    paraphrased = paraphrased or {}
    result: dict[int, set[EntityRef]] = {}
    first_of_paragraph: dict[int, int] = {}
    for p in document.passages:
        first_of_paragraph.setdefault(p.paragraph, p.index)
    for p in document.passages:
        context: set[EntityRef] = set(paraphrased.get(p.index, ()))
        for section_index in p.sections:
            heading = document.sections[section_index].passage
            context |= {e for e in mentioned.get(heading, ()) if e.kind in CONTEXT_KINDS}
            context |= paraphrased.get(heading, set())
        opener = first_of_paragraph[p.paragraph]
        if opener != p.index and p.kind == "sentence":
            context |= {e for e in mentioned.get(opener, ()) if e.kind == "objective"}
        context -= mentioned.get(p.index, set())
        if context:
            result[p.index] = context
    return result
