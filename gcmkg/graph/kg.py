"""The library's front door: `KnowledgeGraph(store).build(paths)`, `.export()`, `.stats()`, `.validate()`.

The CLI and the server only call these methods.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from gcmkg.errors import GcmkgError, LoaderError, StoreError, StoreFull, UnknownName
from gcmkg.graph.rdf import ntriples, stored_triples, triples_to_quads
from gcmkg.graph.store import (
    BULK_LOAD_MAX_QUADS,
    add_new_graphs,
    open_store,
    remove_graph,
    replace_graph,
    store_errors,
    store_path,
)
from gcmkg.ontology.namespace import (
    DCTERMS,
    GCM,
    GCM_NS,
    ID_NS,
    ONTOLOGY_GRAPH,
    PREFIXES,
    RDFS,
    REFERENCE_GRAPH,
    document_graph_iri,
    document_iri,
)
from gcmkg.ontology.reference import DATA, ONTOLOGY_FILE, Literal, reference_triples

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": None, "rdfxml": ox.RdfFormat.RDF_XML,
}
SUFFIX_FORMATS = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld",
                  ".json": "jsonld", ".rdf": "rdfxml", ".owl": "rdfxml"}
_VERSION_PREDICATE = DCTERMS + "hasVersion"


def sample_corpus() -> Path:
    """The five bundled GCM documents (the demo corpus)."""
    return Path(str(files("gcmkg") / "corpus" / "documents"))


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line problem)
    passages: int = 0
    triples: int = 0
    entities: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class Stats:
    documents: int
    passages: int
    triples: int
    graphs: int
    entities: dict[str, int]
    links: dict[str, int]


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to build (folders walked, hidden and unsupported files there skipped), and paths that failed.

    In a folder, a table (.csv, .tsv, .json) is a source only when a mapping file says how to read it; other
    tables there (gold annotations, spreadsheets) are not documents. A table named explicitly must have one."""
    from gcmkg.loaders import supported_suffixes
    from gcmkg.loaders.tabular import TabularLoader, mapping_path

    suffixes = set(supported_suffixes())
    files_, failed = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files_ += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                             and not any(part.startswith(".") for part in p.relative_to(path).parts)
                             and (p.suffix.lower() not in TabularLoader.suffixes or mapping_path(p) is not None))
        elif path.is_file():
            files_.append(path)
        else:
            failed.append((str(path), "no such file or directory"))
    return list(dict.fromkeys(files_)), failed


@dataclass(frozen=True)
class Extracted:
    """What a build worker sends the writing process for one document: small, and the graph as N-Triples."""

    identifier: str
    passages: int
    entities: frozenset[tuple[str, str]]  # (kind, key) of every entity mentioned
    content_hash: str
    graph: bytes  # the document's named graph
    inferred: bytes | None  # its inferred graph (None: not reasoned)


def _extract_one(path: str, max_file_mb: float | None = None, reference_version: str = "",
                 reason: bool = False, source_hash: str | None = None) -> tuple[str, Extracted | str]:
    """Load, extract and serialise one file (and, with `reason`, its inferences): (path, Extracted) or
    (path, error message). Runs in the worker processes, so the writing process only writes."""
    from gcmkg.extraction.pipeline import EXTRACTOR_VERSION, get_extractor
    from gcmkg.loaders import load
    from gcmkg.loaders.base import max_file_size

    try:
        with max_file_size(max_file_mb):
            document = load(path)
        extraction = get_extractor().extract(document)
    except LoaderError as exc:
        return path, exc.problem
    except GcmkgError as exc:
        return path, str(exc)
    content_hash = hashlib.sha256(
        f"{EXTRACTOR_VERSION}\x1f{reference_version}\x1f{document.content_hash}".encode()).hexdigest()
    triples = stored_triples(document, extraction, content_hash)
    if source_hash:
        triples.append((document_iri(document.identifier), GCM.sourceHash, Literal(source_hash)))
    inferred = None
    if reason:
        from gcmkg.ontology.reasoning import infer_document

        inferred = ntriples(infer_document(triples))
    return path, Extracted(document.identifier, len(document.passages),
                           frozenset((m.entity.kind, m.entity.key) for m in extraction.mentions),
                           content_hash, ntriples(triples), inferred)


def _extract_batch(batch: list[tuple[str, str | None]], max_file_mb: float | None, reference_version: str,
                   reason: bool) -> list[tuple[str, Extracted | str]]:
    """`_extract_one` for a few files: one round trip to a worker process for several documents."""
    return [_extract_one(path, max_file_mb, reference_version, reason, source_hash) for path, source_hash in batch]


def _write_document(store: ox.Store, report: BuildReport, path: str, outcome: Extracted, reason: bool) -> None:
    """Replace one document's graph (and its inferred graph) in transactions; a failure is reported for this
    file only, except a full disk, which stops the build."""
    from gcmkg.ontology.reasoning import inferred_graph_iri

    graph = document_graph_iri(outcome.identifier)
    try:
        replace_graph(store, graph, outcome.graph)
        if outcome.inferred:
            replace_graph(store, inferred_graph_iri(graph), outcome.inferred)
        elif reason:
            remove_graph(store, inferred_graph_iri(graph))
    except StoreFull:
        raise
    except StoreError as exc:
        report.failed.append((path, str(exc)))
        return
    report.built.append(outcome.identifier)
    report.triples += outcome.graph.count(b"\n")


class _NewGraphs:
    """Documents the store does not hold yet, gathered a few at a time and written in one bulk load
    (gcmkg.graph.store.add_new_graphs); documents already stored are replaced one by one instead."""

    DOCUMENTS = 8

    def __init__(self, store: ox.Store, report: BuildReport):
        self.store, self.report = store, report
        self.items: list[tuple[str, Extracted]] = []
        self.identifiers: set[str] = set()
        self.quads = 0
        self.loaded = 0  # documents bulk-loaded so far

    def offer(self, path: str, outcome: Extracted) -> bool:
        """Take a new document into the next bulk load; False (not taken) for a document the store already
        holds, one already waiting in this batch, or one too large for a bulk load."""
        size = outcome.graph.count(b"\n") + (outcome.inferred.count(b"\n") if outcome.inferred else 0)
        if outcome.identifier in self.identifiers or size >= BULK_LOAD_MAX_QUADS:
            return False
        if self.store.contains_named_graph(ox.NamedNode(document_graph_iri(outcome.identifier))):
            return False
        if self.quads + size >= BULK_LOAD_MAX_QUADS:
            self.write()
        self.items.append((path, outcome))
        self.identifiers.add(outcome.identifier)
        self.quads += size
        if len(self.items) >= self.DOCUMENTS:
            self.write()
        return True

    def write(self) -> None:
        if not self.items:
            return
        from gcmkg.ontology.reasoning import inferred_graph_iri

        items, self.items, self.identifiers, self.quads = self.items, [], set(), 0
        graphs = []
        for _, outcome in items:
            graph = document_graph_iri(outcome.identifier)
            graphs.append((graph, outcome.graph))
            if outcome.inferred:
                graphs.append((inferred_graph_iri(graph), outcome.inferred))
        try:
            add_new_graphs(self.store, graphs)
        except StoreFull:
            raise
        except StoreError:
            # One bad document fails the load: write each on its own (replacing whatever got in), so only
            # that one is reported.
            for path, outcome in items:
                _write_document(self.store, self.report, path, outcome, reason=False)
            return
        self.loaded += len(items)
        for _, outcome in items:
            self.report.built.append(outcome.identifier)
            self.report.triples += outcome.graph.count(b"\n")


class KnowledgeGraph:
    """A persistent GCM knowledge graph in an embedded Oxigraph store."""

    def __init__(self, store: str | Path | None = None, *, read_only: bool = False):
        self.path = store_path(store)
        self.read_only = read_only
        self.store = open_store(self.path, read_only=read_only)

    def close(self) -> None:
        try:
            self._flush()
        finally:
            del self.store
            self.__dict__.pop("_resolver", None)  # it holds the store too: keep it and the lock stays taken

    def _flush(self) -> None:
        """Write buffered changes; a full disk or a lost device becomes a StoreError, not an OSError."""
        if self.read_only:
            return
        with store_errors(f"{self.path}: cannot write the store ({{problem}})"):
            self.store.flush()

    def _optimize(self) -> None:
        """Compact the store (RocksDB's full compaction); a full disk becomes a StoreError."""
        with store_errors(f"{self.path}: cannot compact the store ({{problem}})"):
            self.store.optimize()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            self.close()
        except StoreError:
            if exc_type is None:  # never hide the error that is already on its way out
                raise

    # ------------------------------------------------------------------ build
    def build(self, paths: Iterable[str | Path] | None = None, *,
              progress: Callable[[Iterable], Iterator] | None = None, workers: int = 1,
              force: bool = False, max_file_mb: float | None = None, reason: bool = True) -> BuildReport:
        """Load, extract and store each document in its own named graph; unchanged documents are skipped.

        A file that cannot be read is reported in `BuildReport.failed` and the others still build;
        new documents are written in bulk loads of a few (one ingestion each) and a changed document's graph is
        replaced in one transaction, so the store never holds half a document.
        Files over `max_file_mb` megabytes (default: loaders.base.DEFAULT_MAX_FILE_MB) are refused unread.
        """

        started = time.perf_counter()
        report = BuildReport()
        reference_version = _reference_version()  # reads every data file: once per build
        self.ensure_reference(reference_version)
        files_, report.failed = expand_paths([sample_corpus()] if paths is None else paths)
        known = self._content_hashes()
        # Hash the file bytes before loading: an unchanged file is neither read by a loader nor extracted.
        known_sources = {} if force else self._hashes(GCM.sourceHash)
        sources, todo = {}, []
        for f in files_:
            with contextlib.suppress(OSError):  # an unreadable file: the loader reports the problem
                sources[str(f)] = _source_hash(f, reference_version)
            if not force and str(f) in sources and known_sources.get(f.name) == sources[str(f)]:
                report.unchanged.append(f.name)
            else:
                todo.append(str(f))
        from gcmkg.ontology.reasoning import materialise_if_needed

        results = self._extract_all(todo, workers, max_file_mb, reference_version, reason, sources)
        batch = _NewGraphs(self.store, report)
        for path, outcome in (progress(results) if progress else results):
            if isinstance(outcome, str):
                report.failed.append((path, outcome))
                continue
            report.passages += outcome.passages
            report.entities.update(kind for kind, _ in outcome.entities)
            if not force and known.get(outcome.identifier) == outcome.content_hash:
                report.unchanged.append(outcome.identifier)
                continue
            if batch.offer(path, outcome):  # a new document: written with the next few in one bulk load
                continue
            batch.write()  # a document seen twice in one build is written after the first, never beside it
            _write_document(self.store, report, path, outcome, reason)
        batch.write()
        # Bulk loads leave many small files, which made queries up to twice as slow until compacted. A full
        # compaction costs time in proportion to the whole store, so it runs only when this build loaded at
        # least a fifth of it: the cost stays in proportion to what was loaded. Smaller additions are left to
        # RocksDB's own background compaction.
        if batch.loaded and batch.loaded * 5 >= len(known) + batch.loaded:
            self._optimize()
        if reason:  # what the reference data alone imply (documents were reasoned in the workers)
            materialise_if_needed(self.store, changed=bool(report.built), documents=[])  # the reference's
        self._flush()
        report.seconds = time.perf_counter() - started
        return report

    def _extract_all(self, paths: list[str], workers: int, max_file_mb: float | None = None,
                     reference_version: str = "", reason: bool = False,
                     sources: dict[str, str] | None = None) -> Iterator[tuple[str, Extracted | str]]:
        n = len(paths)
        source_hashes = [(sources or {}).get(p) for p in paths]
        if workers > 1 and n > 1:
            from collections import deque
            from concurrent.futures import ProcessPoolExecutor
            from itertools import islice

            # Batches of a few documents, and only a few batches in flight: the workers extract faster than
            # the store is written, so submitting everything at once (pool.map) piled up every finished
            # document's graph in this process (7 GB at 2,000 of 10,000 documents).
            size = max(1, min(8, n // (workers * 8)))
            batches = iter([list(zip(paths[i:i + size], source_hashes[i:i + size], strict=True))
                            for i in range(0, n, size)])
            with ProcessPoolExecutor(max_workers=workers) as pool:
                def submit(batch: list[tuple[str, str | None]]):
                    return pool.submit(_extract_batch, batch, max_file_mb, reference_version, reason)

                pending = deque(submit(b) for b in islice(batches, workers * 3))
                while pending:
                    done = pending.popleft().result()
                    pending.extend(submit(b) for b in islice(batches, 1))
                    yield from done
        else:
            for path, source_hash in zip(paths, source_hashes, strict=True):
                yield _extract_one(path, max_file_mb, reference_version, reason, source_hash)

    def ensure_reference(self, version: str | None = None) -> None:
        """Load the ontology and the reference data into their named graphs when they changed."""
        version = version or _reference_version()
        current = self.store.query(
            f"SELECT ?v WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ <{REFERENCE_GRAPH}> <{_VERSION_PREDICATE}> ?v }} }}")
        if any(row["v"].value == version for row in current):
            return
        with open(ONTOLOGY_FILE, "rb") as fh:
            ontology = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ONTOLOGY_GRAPH))
                        for t in ox.parse(fh, format=ox.RdfFormat.TURTLE)]
        replace_graph(self.store, ONTOLOGY_GRAPH, ontology)

        triples = reference_triples() + [(REFERENCE_GRAPH, _VERSION_PREDICATE, Literal(version))]
        replace_graph(self.store, REFERENCE_GRAPH, triples_to_quads(triples, REFERENCE_GRAPH))

    def _content_hashes(self) -> dict[str, str]:
        return self._hashes(GCM.contentHash)

    def _hashes(self, predicate: str) -> dict[str, str]:
        """Document identifier -> the value of `predicate` (gcm:contentHash or gcm:sourceHash)."""
        rows = self.store.query(
            f"SELECT ?id ?h WHERE {{ GRAPH ?g {{ ?d a <{GCM.Document}> ; <{DCTERMS}identifier> ?id ; "
            f"<{predicate}> ?h }} }}")
        return {row["id"].value: row["h"].value for row in rows}

    def remove(self, identifier: str) -> None:
        """Forget one document (its whole named graph)."""
        from gcmkg.ontology.reasoning import inferred_graph_iri

        remove_graph(self.store, document_graph_iri(identifier))
        remove_graph(self.store, inferred_graph_iri(document_graph_iri(identifier)))

    def documents(self) -> list[str]:
        rows = self.store.query(f"SELECT ?id WHERE {{ GRAPH ?g {{ ?d a <{GCM.Document}> ; "
                                f"<{DCTERMS}identifier> ?id }} }} ORDER BY ?id")
        return [row["id"].value for row in rows]

    # ------------------------------------------------------------------ export, stats
    def export(self, path: str | Path, format: str | None = None) -> int:
        """Write every graph (ontology, reference data, documents) to one file; returns the quad count."""
        path = Path(path)
        name = format or SUFFIX_FORMATS.get(path.suffix.lower(), "nquads")
        if name not in EXPORT_FORMATS:
            raise UnknownName("export format", name, EXPORT_FORMATS)
        tmp = path.with_name(path.name + ".part")
        try:
            count = 0
            if name == "jsonld":
                from rdflib import Dataset

                ds = Dataset()
                ds.parse(data=self.store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
                count = len(ds)
                for prefix, iri in PREFIXES.items():
                    ds.bind(prefix, iri)
                ds.serialize(tmp, format="json-ld")
            else:
                fmt = EXPORT_FORMATS[name]
                quads = list(self.store)
                count = len(quads)
                if fmt.supports_datasets:
                    data = ox.serialize(quads, format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TRIG else None)
                else:  # a graph format: the union of all graphs
                    data = ox.serialize({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, format=fmt,
                                        prefixes=PREFIXES if fmt is ox.RdfFormat.TURTLE else None)
                tmp.write_bytes(data)
            tmp.replace(path)
            return count
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"{path}: cannot write the export ({exc.strerror or exc})") from None

    def stats(self) -> Stats:
        def count(query: str) -> int:
            return int(next(iter(self.store.query(query)))["n"].value)

        union = "GRAPH ?g {"
        entities = {}
        for kind, cls in (("objectives", GCM.Objective), ("states", GCM.State), ("concerns", GCM.Concern),
                          ("practices", GCM.Practice), ("recommendations", GCM.Recommendation),
                          ("commitments", GCM.Commitment)):
            entities[kind] = count(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {union} ?p <{GCM.mentions}> ?e }} "
                                   f"GRAPH ?r {{ ?e a <{cls}> }} }}" if kind in ("objectives", "states", "concerns")
                                   else f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {union} ?e a <{cls}> }} }}")
        entities["stakeholders"] = count(  # typed in the reference graph, or in the document that found it
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {union} ?p <{GCM.mentions}> ?e }} GRAPH ?r {{ ?e a ?c }} "
            f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf>* <{GCM.Stakeholder}> }} }}")
        links = {
            "mentions": count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {union} ?p <{GCM.mentions}> ?e }} }}"),
            "about": count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {union} ?p <{GCM.about}> ?e }} }}"),
            "attestations": count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {union} ?a a <{GCM.Attestation}> }} }}"),
        }
        return Stats(
            documents=count(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {union} ?d a <{GCM.Document}> }} }}"),
            passages=count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {union} ?p a <{GCM.Passage}> }} }}"),
            triples=len(self.store),
            graphs=len(list(self.store.named_graphs())),
            entities=entities, links=links,
        )

    # ------------------------------------------------------------------ validation and queries
    def validate(self):
        """SHACL validation of the whole graph against the contract's shapes (see gcmkg.graph.validate)."""
        from gcmkg.graph.validate import validate_store

        return validate_store(self.store)

    def sparql(self, query: str, **bindings: object):
        """Run ad-hoc SPARQL; SELECT gives a pandas DataFrame (see gcmkg.queries for named queries)."""
        from gcmkg.queries.run import run_sparql

        return run_sparql(self.store, query, bindings)

    def query(self, name_or_sparql: str, *, limit: int | None = None, **params: object):
        """A named query (`gcmkg queries` lists them) or SPARQL text, with parameters in human forms.

        `kg.query("objective-concerns", objective=13)`, `kg.query("evidence", a="Objective 13",
        b="child detention")`. SELECT, CONSTRUCT and DESCRIBE give a pandas DataFrame with a
        `<column>_label` beside IRI columns; ASK gives a bool. Parameters are resolved to IRIs and bound
        with VALUES, never pasted; an unknown name raises UnknownName with close matches.
        """
        from gcmkg.queries.backends import LocalBackend
        from gcmkg.queries.resolve import Resolver
        from gcmkg.queries.run import add_labels, execute

        backend = LocalBackend(self.store)
        resolver = getattr(self, "_resolver", None) or Resolver(backend)
        self._resolver = resolver
        result = execute(backend, name_or_sparql, params, resolver=resolver, limit=limit)
        return result if isinstance(result, bool) else add_labels(result, resolver)


def _source_hash(path: Path, reference_version: str) -> str:
    """What decides, before loading, that a file's graph is up to date: its bytes, the code and the reference data."""
    from gcmkg import __version__
    from gcmkg.extraction.pipeline import EXTRACTOR_VERSION

    digest = hashlib.sha256(f"{__version__}\x1f{EXTRACTOR_VERSION}\x1f{reference_version}\x1f".encode())
    with open(path, "rb") as fh:  # in chunks: a huge file must not be held in memory just to be hashed
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _reference_version() -> str:
    """A hash of the ontology and every reference data file: a change reloads them and rebuilds documents."""
    digest = hashlib.sha256()
    for path in sorted([ONTOLOGY_FILE, *DATA.glob("*")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


__all__ = ["BuildReport", "KnowledgeGraph", "Stats", "expand_paths", "sample_corpus", "GCM_NS", "ID_NS"]
