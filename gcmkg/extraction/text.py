"""Tokens, stems and spans shared by the matchers."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import NamedTuple, TypeVar

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_STEMS: dict[str, str] = {}  # word -> stem, for the life of the process (vocabularies are small)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "person", "persons": "person",
              "minors": "minor", "labor": "labour", "centers": "centre", "center": "centre",
              # Snowball folds these into "nation"; a nationality is not a nation.
              "nationality": "nationality", "nationalities": "nationality"}
_UNSTEMMED = frozenset({"nationality", "documentation"})
# Words that carry no meaning of their own in a concern wording.
STOPWORDS = frozenset("""
a an and are as at be been being by for from has have in into is it its of on or the their this
those to was were which with within without who whose these that such all any our we they them also
other
""".split())
URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+\.(?:org|com|net|int|de|africa|info|eu)\b\S*")


_A = TypeVar("_A")
_R = TypeVar("_R")


def identity_cache(func: Callable[[_A], _R]) -> Callable[[_A], _R]:
    """`functools.cache` for a one-argument function, keyed by the argument's identity.

    The matchers are called once per passage with the same tuple of reference records; hashing a tuple of
    hundreds of frozen dataclasses on every call cost more than the matching itself.
    """
    memo: dict[int, tuple[_A, _R]] = {}

    @wraps(func)
    def wrapper(arg: _A) -> _R:
        hit = memo.get(id(arg))
        if hit is None or hit[0] is not arg:  # the stored argument keeps its id from being reused
            hit = memo[id(arg)] = (arg, func(arg))
        return hit[1]

    return wrapper


class Token(NamedTuple):
    """A word of a passage: its text, offsets and stem (a tuple: passages have many, creation must be cheap)."""

    text: str
    start: int
    end: int
    stem: str


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Lower-case Snowball stem, with irregular plurals and US spellings folded first."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR.get(w, w)
    if w in _UNSTEMMED:
        return w
    w = re.sub(r"iz(e|es|ed|ing|ation|ations)$", r"is\1", w)  # regularize -> regularise
    return _STEMMER.stemWord(w)


def tokens(text: str) -> list[Token]:
    return list(_tokens(text))


@lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[Token, ...]:
    """Cached: a passage is tokenised once although titles and concerns both read its tokens."""
    cache = _STEMS
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        s = cache.get(word)
        if s is None:
            s = cache[word] = stem(word)
        out.append(Token(word, m.start(), m.end(), s))
    return tuple(out)


def content_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a wording's content words, in order ("detention of children" -> detent, child)."""
    return tuple(stem(m.group()) for m in _TOKEN.finditer(phrase) if m.group().lower() not in STOPWORDS)


def url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def is_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")
