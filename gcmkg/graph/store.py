"""The embedded, persistent Oxigraph store: opening it, and replacing one named graph in one transaction."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import StoreError, StoreFull, StoreLocked

DEFAULT_STORE = "gcmkg-store"
STORE_ENV = "GCMKG_STORE"


def store_path(path: str | os.PathLike | None = None) -> Path:
    """`--store DIR`, else $GCMKG_STORE, else ./gcmkg-store."""
    return Path(path or os.environ.get(STORE_ENV) or DEFAULT_STORE)


def open_store(path: str | os.PathLike | None = None, *, read_only: bool = False) -> ox.Store:
    location = store_path(path)
    try:
        if read_only:
            if not location.exists():
                raise StoreError(f"{location}: no store here; run 'gcmkg build' first")
            return open_read_only(location)
        location.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(location))
    except (OSError, RuntimeError) as exc:  # RuntimeError: e.g. read-only open of a store being created
        message = str(exc)
        if "lock" in message.lower() or "Resource temporarily unavailable" in message:
            raise StoreLocked(
                f"{location}: the store is in use by another process (a build or a server); "
                "wait for it to finish, or query it read-only"
            ) from None
        if isinstance(exc, PermissionError) or "Permission denied" in message or "Read-only" in message:
            raise StoreError(f"{location}: cannot write to the store directory (permission denied)") from None
        if "No space left" in message:
            raise StoreError(f"{location}: no space left on the device") from None
        raise StoreError(f"{location}: cannot open the store ({message.splitlines()[0]})") from None


def open_read_only(location: Path, attempts: int = 20) -> ox.Store:
    """`Store.read_only`, retried: beside a writer, a compaction can delete a file the open was about to read."""
    import time

    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(location))
        except (OSError, RuntimeError) as exc:
            transient = "No such file or directory" in str(exc) or "Column family not found" in str(exc)
            if not transient or attempt == attempts - 1:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


@contextmanager
def store_errors(template: str) -> Iterator[None]:
    """Turn a failed store operation into a one-line StoreError, `template` with "{problem}" filled in: StoreFull
    when the device is full; a SyntaxError is a value the N-Triples writer let through and the parser refused."""
    try:
        yield
    except OSError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "No space left" in message:
            raise StoreFull(template.replace("{problem}", "no space left on the device")) from None
        raise StoreError(template.replace("{problem}", message)) from None
    except SyntaxError as exc:
        raise StoreError(template.replace("{problem}", str(exc).splitlines()[0])) from None


def replace_graph(store: ox.Store, graph: str, content: list[ox.Quad] | bytes) -> None:
    """Make `graph` hold exactly `content` (quads, or N-Triples bytes) in one transaction, so a crash leaves
    the old graph or the new one.

    A graph the store does not hold yet is written with one transactional `load` (or `extend`), which skips
    the update's SPARQL parsing (about twice as fast, and a new document is most of a build); an existing one
    is dropped and re-inserted in a single SPARQL update.
    """
    with store_errors(f"cannot write graph {graph}: {{problem}}"):
        name = ox.NamedNode(graph)
        if content and not store.contains_named_graph(name):
            if isinstance(content, bytes):
                store.load(content, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
            else:
                store.extend([ox.Quad(q.subject, q.predicate, q.object, name) for q in content])
            return
        body = content if isinstance(content, bytes) else (ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in content],
            format=ox.RdfFormat.N_TRIPLES) if content else b"")
        store.update(f"DROP SILENT GRAPH <{graph}> ; "
                     f"INSERT DATA {{ GRAPH <{graph}> {{\n{body.decode()}\n}} }}")


# A bulk load is written as one RocksDB ingestion (all indexes at once, so it appears whole or not at all) as
# long as it holds fewer quads than Oxigraph's bulk-load batch (1,000,000); stay well under it.
BULK_LOAD_MAX_QUADS = 400_000


def add_new_graphs(store: ox.Store, graphs: list[tuple[str, bytes]]) -> None:
    """Add graphs the store does not hold yet, given as (graph IRI, N-Triples bytes as `rdf.ntriples` writes
    them), in one bulk load: about half the CPU per quad of a transactional load, and most of a build is new
    documents.

    Only for graphs absent from the store and for fewer than BULK_LOAD_MAX_QUADS quads in all (the caller
    checks both): Oxigraph then writes the whole load in one ingestion of every index, so a crash leaves all of
    it or none. Every line of `ntriples` output ends in " .\n" and literals escape their newlines, so the
    graph name goes in front of that ending.
    """
    body = b"".join(content.replace(b" .\n", f" <{graph}> .\n".encode()) for graph, content in graphs)
    with store_errors(f"cannot write graph {graphs[0][0]}: {{problem}}"):
        store.bulk_load(body, format=ox.RdfFormat.N_QUADS)


def remove_graph(store: ox.Store, graph: str) -> None:
    store.update(f"DROP SILENT GRAPH <{graph}>")
