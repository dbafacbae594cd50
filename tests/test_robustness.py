"""Faults at the edges: bad files, huge files, vanishing files, read-only and full disks, injected parameters.

Each test drives the real CLI (a subprocess) or the library on real files, and checks three things: the
failure is one line naming the file and the problem, the other documents still build, and the store keeps
what it held.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CLI, cli_env

from gcmkg.graph.kg import KnowledgeGraph, sample_corpus
from gcmkg.ontology.namespace import document_graph_iri

LOADERS = Path(__file__).parent / "data" / "loaders"
DATA = Path(__file__).parent / "data" / "robustness"
CORPUS = sorted(p for p in sample_corpus().glob("*.txt"))


def graph_lines(store_dir: Path, identifier: str) -> list[str]:
    """One document's named graph as sorted N-Quads lines (no blank nodes, so equal lines = same graph)."""
    store = ox.Store.read_only(str(store_dir))
    quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(document_graph_iri(identifier))))
    del store
    return sorted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode().splitlines())


def documents(store_dir: Path) -> list[str]:
    with KnowledgeGraph(store_dir, read_only=True) as kg:
        return kg.documents()


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr


# ---------------------------------------------------------------------------------------------- bad inputs
def test_bad_inputs_end_to_end(tmp_path, run_cli):
    """Issue 2's bad files through the CLI: one line each, the good documents still build, the store keeps all."""
    store = tmp_path / "store"
    first = run_cli("build", CORPUS[0], CORPUS[1], "--store", store, "--workers", "1", "-q")
    assert first.returncode == 0, first.stderr
    before = {doc: graph_lines(store, doc) for doc in documents(store)}
    assert sorted(before) == [CORPUS[0].name, CORPUS[1].name]

    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(CORPUS[2], mixed / CORPUS[2].name)
    bad = {"empty.txt": "empty file", "binary.txt": "binary content, not text",
           "corrupt.pdf": "corrupt or unreadable PDF", "notutf8.txt": "not UTF-8 text"}
    for name in bad:
        shutil.copy(LOADERS / name, mixed / name)
    missing = tmp_path / "gone" / "missing.txt"
    proc = run_cli("build", mixed, missing, "--store", store, "--workers", "2", "-q")

    assert proc.returncode == 1
    assert_no_traceback(proc)
    lines = error_lines(proc.stderr)
    assert len(lines) == len(bad) + 1, lines  # exactly one line per bad input, nothing else
    for name, problem in {**bad, "missing.txt": "no such file or directory"}.items():
        [line] = [line for line in lines if f"{name}:" in line]
        assert line.startswith("gcmkg: error: ") and problem in line, line
    assert "built 1 documents" in proc.stdout and f"{len(bad) + 1} failed" in proc.stdout, proc.stdout

    assert documents(store) == sorted([CORPUS[0].name, CORPUS[1].name, CORPUS[2].name])
    for doc, lines_before in before.items():
        assert graph_lines(store, doc) == lines_before, f"{doc} changed"


def test_docx_bomb_and_scanned_pdf_are_reported(tmp_path, run_cli):
    store = tmp_path / "store"
    proc = run_cli("build", LOADERS / "bomb.docx", LOADERS / "scanned.pdf", CORPUS[0], "--store", store,
                   "--workers", "1", "-q")
    assert proc.returncode == 1
    assert_no_traceback(proc)
    lines = error_lines(proc.stderr)
    assert len(lines) == 2, lines
    [bomb] = [line for line in lines if "bomb.docx" in line]
    assert "refused" in bomb and "expands to 300 MB" in bomb and "limit" in bomb
    [scanned] = [line for line in lines if "scanned.pdf" in line]
    assert "no text layer" in scanned and "OCR" in scanned
    assert documents(store) == [CORPUS[0].name]


# ---------------------------------------------------------------------------------------------- limits
def _measured_build(args: list[str], tmp_path: Path) -> tuple[int, str, str, int]:
    """Run the CLI and return (exit code, stdout, stderr, peak RSS in MB) of that one process."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "w") as fo, open(err, "w") as fe:
        proc = subprocess.Popen([*CLI, *args], stdout=fo, stderr=fe, env=cli_env())
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, out.read_text(), err.read_text(), usage.ru_maxrss // 1024


def test_huge_text_file_refused_unread_in_bounded_memory(tmp_path):
    """A 100 MB text file is refused by size before it is read: peak memory stays what a small build needs."""
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(CORPUS[0], small / CORPUS[0].name)
    code, _, _, baseline = _measured_build(["build", str(small), "--store", str(tmp_path / "s0"), "-q",
                                            "--workers", "1"], tmp_path)
    assert code == 0

    folder = tmp_path / "huge"
    folder.mkdir()
    shutil.copy(CORPUS[0], folder / CORPUS[0].name)
    line = b"Objective 13 calls on States to use migration detention only as a measure of last resort.\n"
    with open(folder / "huge.txt", "wb") as fh:
        chunk = line * (1024 * 1024 // len(line) + 1)
        for _ in range(100):
            fh.write(chunk)
    assert (folder / "huge.txt").stat().st_size >= 100 * 1024 * 1024

    code, out, err, peak = _measured_build(["build", str(folder), "--store", str(tmp_path / "s1"), "-q",
                                            "--workers", "1"], tmp_path)
    assert code == 1
    [message] = error_lines(err)
    assert "huge.txt: too large (100 MB; the limit is 50 MB)" in message and "--max-file-mb" in message
    assert "built 1 documents" in out
    assert peak < baseline + 40, f"peak RSS {peak} MB vs {baseline} MB for the small build alone"
    print(f"\n100 MB file refused unread: peak RSS {peak} MB (the same build without it: {baseline} MB)")


def test_max_file_mb_flag_and_parameter(tmp_path, run_cli):
    """The limit is a flag (and a build parameter): below the file's size it refuses, above it reads."""
    size_mb = CORPUS[0].stat().st_size / 1024 / 1024
    store = tmp_path / "store"
    refused = run_cli("build", CORPUS[0], "--store", store, "--max-file-mb", f"{size_mb / 2:.4f}", "-q")
    assert refused.returncode == 1 and "too large" in refused.stderr
    assert_no_traceback(refused)
    allowed = run_cli("build", CORPUS[0], "--store", store, "--max-file-mb", f"{size_mb * 2:.4f}", "-q")
    assert allowed.returncode == 0, allowed.stderr
    size_mb = CORPUS[1].stat().st_size / 1024 / 1024
    with KnowledgeGraph(tmp_path / "lib") as kg:
        report = kg.build([CORPUS[1]], max_file_mb=size_mb / 2)
        assert not report.built and "too large" in report.failed[0][1]
        report = kg.build([CORPUS[1]], max_file_mb=size_mb * 2, workers=2)
        assert report.built == [CORPUS[1].name]


def test_file_that_vanishes_mid_build(tmp_path):
    """A file deleted after the folder was listed but before it was read: one line, and the rest builds."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in CORPUS[:3]:
        shutil.copy(path, folder / path.name)
    doomed = folder / CORPUS[1].name

    def progress(results):
        for item in results:  # with one worker, files are read one by one as this loop asks for them
            yield item
            doomed.unlink(missing_ok=True)

    with KnowledgeGraph(tmp_path / "store") as kg:
        report = kg.build([folder], progress=progress, workers=1)
        assert report.built == [CORPUS[0].name, CORPUS[2].name]
        [(path, problem)] = report.failed
        assert path == str(doomed) and problem == "file not found (it may have been moved or deleted)"
        assert kg.documents() == [CORPUS[0].name, CORPUS[2].name]


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"gcmkg-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], check=True)
        return ok
    finally:
        probe.rmdir()


CAN_MOUNT = _can_mount()


@pytest.fixture
def mounts():
    """Mount points made by a test, unmounted afterwards even when it fails."""
    made: list[Path] = []
    yield made
    for point in reversed(made):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and mount (a read-only bind mount)")
def test_read_only_store_directory(tmp_path, run_cli, mounts):
    """A store on a read-only file system: build fails in one line, read-only commands still work."""
    store = tmp_path / "store"
    assert run_cli("build", CORPUS[0], "--store", store, "--workers", "1", "-q").returncode == 0
    before = graph_lines(store, CORPUS[0].name)
    ro = tmp_path / "ro"
    ro.mkdir()
    subprocess.run(["mount", "--bind", str(store), str(ro)], check=True)
    mounts.append(ro)
    subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True)

    proc = run_cli("build", CORPUS[1], "--store", ro, "--workers", "1", "-q")
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert error_lines(proc.stderr) == [f"gcmkg: error: {ro}: cannot write to the store directory (permission denied)"]
    stats = run_cli("stats", "--store", ro)
    assert stats.returncode == 0 and "documents     1" in stats.stdout, stats.stderr
    assert graph_lines(ro, CORPUS[0].name) == before


def _nobody_can_run_python() -> bool:
    if os.geteuid() != 0:
        return False
    try:
        return subprocess.run([sys.executable, "-c", "import gcmkg"], env=cli_env(), preexec_fn=_drop_to_nobody,
                              capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _drop_to_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


@pytest.mark.skipif(not _nobody_can_run_python(),
                    reason="needs root, and a Python that user 'nobody' may run (here it lives under /root)")
def test_store_directory_without_write_permission(tmp_path):
    store = tmp_path / "store"
    with KnowledgeGraph(store) as kg:
        kg.build([CORPUS[0]])
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    proc = subprocess.run([*CLI, "build", str(CORPUS[1]), "--store", str(store), "-q"], capture_output=True,
                          text=True, env=cli_env(), preexec_fn=_drop_to_nobody, timeout=120)
    assert proc.returncode == 1 and "permission denied" in proc.stderr and "Traceback" not in proc.stderr


def _assert_complete_documents(store: Path, expected_at_least: list[str]) -> None:
    docs = documents(store)
    assert set(expected_at_least) <= set(docs), docs
    s = ox.Store.read_only(str(store))
    for doc in docs:
        graph = ox.NamedNode(document_graph_iri(doc))
        rows = s.query("SELECT ?g (COUNT(*) AS ?n) (MIN(?i) AS ?lo) (MAX(?i) AS ?hi) WHERE { GRAPH ?g { "
                       "?p <https://w3id.org/gcmkg/ontology#index> ?i ; a <https://w3id.org/gcmkg/ontology#Passage> "
                       "} } GROUP BY ?g", substitutions={ox.Variable("g"): graph})
        row = next(iter(rows))
        assert int(row["n"].value) > 0 and int(row["lo"].value) == 0
        assert int(row["hi"].value) == int(row["n"].value) - 1, doc
    del s


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and mount (a small tmpfs)")
def test_full_disk_tmpfs(tmp_path, run_cli, mounts):
    """The disk fills during a build: one line, exit 1, and once space is freed the store is whole."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(disk)], check=True)
    mounts.append(disk)
    store = disk / "store"
    assert run_cli("build", CORPUS[0], "--store", store, "--workers", "1", "-q").returncode == 0
    before = graph_lines(store, CORPUS[0].name)
    filler = disk / "filler"
    with open(filler, "wb") as fh:  # fill the disk, then give a little back so the store can open
        try:
            while True:
                fh.write(b"\0" * (1024 * 1024))
                fh.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - 3 * 1024 * 1024))
    folder = tmp_path / "more"
    folder.mkdir()
    for n in range(12):
        for path in CORPUS[1:]:
            shutil.copy(path, folder / f"{n:02d}_{path.name}")

    proc = run_cli("build", folder, "--store", store, "--workers", "1", "-q")
    assert proc.returncode == 1
    assert_no_traceback(proc)
    [line] = error_lines(proc.stderr)
    assert line.startswith("gcmkg: error: ") and "no space left on the device" in line, line

    filler.unlink()
    _assert_complete_documents(store, [CORPUS[0].name])
    assert graph_lines(store, CORPUS[0].name) == before
    again = run_cli("build", CORPUS[1], "--store", store, "--workers", "1", "-q")  # writable again
    assert again.returncode == 0, again.stderr
    assert CORPUS[1].name in documents(store)


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit then fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_file_size_limit(tmp_path):
    """Writes that start failing mid-build (RLIMIT_FSIZE, no mount needed): one line and an intact store."""
    store = tmp_path / "store"
    with KnowledgeGraph(store) as kg:
        kg.build([CORPUS[0]])
    before = graph_lines(store, CORPUS[0].name)
    biggest = max(p.stat().st_size for p in store.iterdir())
    folder = tmp_path / "more"
    folder.mkdir()
    for n in range(6):
        for path in CORPUS[1:]:
            shutil.copy(path, folder / f"{n:02d}_{path.name}")
    proc = subprocess.run([*CLI, "build", str(folder), "--store", str(store), "-q", "--workers", "1"],
                          capture_output=True, text=True, env=cli_env(), timeout=300,
                          preexec_fn=_limit_file_size(biggest + 2 * 1024 * 1024))
    assert proc.returncode == 1
    assert_no_traceback(proc)
    [line] = error_lines(proc.stderr)
    assert line.startswith("gcmkg: error: ") and "File too large" in line, line
    _assert_complete_documents(store, [CORPUS[0].name])
    assert graph_lines(store, CORPUS[0].name) == before


# ---------------------------------------------------------------------------------------------- injection
PAYLOADS = ['"} ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
            "') } DROP ALL #", "}}}} DROP ALL", "<urn:x> } ; CLEAR ALL ; #", "\\\" \\' \n\r\t {"]


@pytest.fixture(scope="module")
def injection_store(tmp_path_factory, sample_store) -> Path:
    """The sample store plus a document whose text carries SPARQL and HTML; tests check it never changes."""
    store = tmp_path_factory.mktemp("injection") / "store"
    shutil.copytree(sample_store, store)
    with KnowledgeGraph(store) as kg:
        assert kg.build([DATA / "injection.txt"]).built == ["injection.txt"]
    return store


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sparql_parameters_are_values_not_code(injection_store, payload):
    """A bound parameter full of quotes, braces and DROP ALL matches as a string and changes nothing."""
    query = "SELECT ?p ?t WHERE { ?p gcm:text ?t }"  # pyoxigraph binds only projected variables
    with KnowledgeGraph(injection_store, read_only=True) as kg:
        dump = kg.store.dump(format=ox.RdfFormat.N_QUADS)
        assert kg.sparql(query, t=payload).empty
        echo = kg.sparql("SELECT ?t WHERE {}", t=payload)
        assert echo["t"].tolist() == [payload]
    with KnowledgeGraph(injection_store) as kg:
        assert kg.sparql(query, t=payload).empty
        assert kg.store.dump(format=ox.RdfFormat.N_QUADS) == dump


def test_passage_text_carrying_sparql_is_stored_and_matched_verbatim(injection_store):
    from gcmkg.loaders import load

    doc = load(DATA / "injection.txt")
    [payload] = [p.text for p in doc.passages if "DROP ALL" in p.text]
    with KnowledgeGraph(injection_store, read_only=True) as kg:
        found = kg.sparql("SELECT ?i ?t WHERE { ?p gcm:text ?t ; gcm:index ?i }", t=payload)
        assert found["i"].tolist() == [next(p.index for p in doc.passages if p.text == payload)]
        assert len(kg.documents()) == 6



NAMED = [("state-profile", "state"), ("evidence", "a"), ("objective-concerns", "objective"),
         ("concern-actors", "concern"), ("stakeholder-profile", "stakeholder")]
BAD_NAMES = PAYLOADS + ["https://x.org/a>} DROP ALL {<b", "id:state/PRT>} ; DROP ALL ; #", "gcm:x>} ; DROP ALL"]


@pytest.mark.parametrize("query,param", NAMED)
def test_named_query_parameters_never_reach_the_query_text(injection_store, query, param):
    """Every named-query parameter is resolved to a term or refused as a GcmkgError; the store never changes."""
    from gcmkg.errors import GcmkgError

    extra = {"b": "Portugal"} if query == "evidence" else {}
    with KnowledgeGraph(injection_store, read_only=True) as kg:
        dump = kg.store.dump(format=ox.RdfFormat.N_QUADS)
        for value in BAD_NAMES:
            with pytest.raises(GcmkgError) as caught:
                kg.query(query, **{param: value}, **extra)
            assert "\n" not in str(caught.value).strip() or "unknown" in str(caught.value), caught.value
        assert kg.store.dump(format=ox.RdfFormat.N_QUADS) == dump
    with KnowledgeGraph(injection_store) as kg:  # the same through a writable handle
        for value in BAD_NAMES[:2]:
            with pytest.raises(GcmkgError):
                kg.query(query, **{param: value}, **extra)
        assert kg.store.dump(format=ox.RdfFormat.N_QUADS) == dump


def test_named_query_injection_through_the_cli(injection_store, run_cli):
    dump = ox.Store.read_only(str(injection_store)).dump(format=ox.RdfFormat.N_QUADS)
    proc = run_cli("query", "state-profile", "--state", PAYLOADS[0], "--store", injection_store)
    [line] = error_lines(proc.stderr)
    assert proc.returncode == 1 and line.startswith(f"gcmkg: error: unknown state {PAYLOADS[0]!r}")
    proc = run_cli("query", "evidence", "--a", BAD_NAMES[-3], "--b", "Portugal", "--store", injection_store)
    assert proc.returncode == 1 and error_lines(proc.stderr) == [f"gcmkg: error: not a valid IRI: {BAD_NAMES[-3]!r}"]
    assert ox.Store.read_only(str(injection_store)).dump(format=ox.RdfFormat.N_QUADS) == dump


def test_invalid_prefixed_name_is_a_one_line_error(injection_store):
    from gcmkg.errors import GcmkgError

    with KnowledgeGraph(injection_store, read_only=True) as kg, pytest.raises(GcmkgError):
        kg.query("evidence", a="gcm:x>}DROP", b="Portugal")
