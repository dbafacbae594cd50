"""One exception hierarchy, so the CLI and the server can turn any library failure into one line.

Every message names the bad value (a file, a parameter) and, where there is a choice, lists the valid ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


class GcmkgError(Exception):
    """Base of every error gcmkg raises on purpose."""


class LoaderError(GcmkgError):
    """A file could not be read as a document (empty, binary, corrupt, wrong encoding, missing)."""

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class UnsupportedFormat(LoaderError):
    """No loader is registered for the file's type."""


class StoreError(GcmkgError):
    """The store could not be opened, read or written."""


class StoreFull(StoreError):
    """The device under the store has no space left: a build stops rather than fail every further document."""


class StoreLocked(StoreError):
    """Another process holds the store open for writing."""


class UnknownName(GcmkgError):
    """A name (query, parameter value, view, format) that is not known; lists close matches."""

    def __init__(self, kind: str, value: str, choices: Iterable[str]):
        self.kind, self.value = kind, value
        choices = sorted(set(choices))
        close = get_close_matches(value, choices, n=5, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}" if close else ""
        listing = ", ".join(choices[:30]) + (", ..." if len(choices) > 30 else "")
        super().__init__(f"unknown {kind} {value!r}{hint} (known: {listing})")


class UnknownQuery(UnknownName):
    def __init__(self, value: str, choices: Iterable[str]):
        super().__init__("query", value, choices)


class AmbiguousName(GcmkgError):
    """A name that fits more than one entity equally well; lists them."""

    def __init__(self, kind: str, value: str, candidates: Iterable[str]):
        self.kind, self.value = kind, value
        super().__init__(f"{kind} {value!r} is ambiguous: it names {', '.join(sorted(candidates))}; "
                         "give the full name or the IRI")


class QueryError(GcmkgError):
    """A SPARQL query is malformed, timed out or failed."""


class ValidationFailed(GcmkgError):
    """The graph does not satisfy the SHACL shapes of the contract."""


class OptionalDependencyMissing(GcmkgError):
    """An optional part needs an extra that is not installed."""

    def __init__(self, package: str, extra: str):
        super().__init__(f"this needs the '{package}' package: pip install 'gcmkg[{extra}]'")


class ReasonerUnavailable(GcmkgError):
    """A reasoner cannot run here (no Java runtime for HermiT, or the 'reason' extra is missing)."""


class OntologyInconsistent(GcmkgError):
    """The reasoner found the ontology (or the graph) logically inconsistent."""
