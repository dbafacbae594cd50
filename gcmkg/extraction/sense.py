"""What "GCM" means in a document: the Global Compact for Migration, or the Global Coalition on Migration.

A document that names the coalition and never ties "GCM" to the compact (no "Global Compact ... (GCM)",
no "GCM objective N") is the coalition's; so is one that defines "(GCM)" right after the coalition's name.
"""

from __future__ import annotations

import re

from gcmkg.model import Document

COMPACT = "compact"
COALITION = "coalition"

_COALITION_DEFINED = re.compile(r"Global Coalition on Migration\s*\(\s*GCM\s*\)|@GCMigration|gcmigration\.org",
                                re.IGNORECASE)
_COMPACT_DEFINED = re.compile(
    r"Global Compact (?:for|on) (?:Safe, Orderly and Regular |Safe, Regular and Orderly )?Migration\s*"
    r"[“\"(]+\s*GCM\s*[)”\"]|\bGCM\s+objectives?\s+\d|\(\s*[“\"]GCM[”\"]\s*\)|\bGCM objective",
    re.IGNORECASE,
)


def gcm_sense(document: Document) -> str:
    text = document.text
    compact = len(_COMPACT_DEFINED.findall(text))
    coalition = len(_COALITION_DEFINED.findall(text))
    names_coalition = "global coalition on migration" in text.lower()
    if coalition > compact or (names_coalition and compact == 0 and not _after_adoption(text)):
        return COALITION
    return COMPACT


def _after_adoption(text: str) -> bool:
    """Does the text speak of the compact as adopted (years 2018 onwards)?"""
    years = [int(y) for y in re.findall(r"\b(20[0-3]\d)\b", text)]
    return bool(years) and max(years) >= 2019
