"""What a loader is, and the checks every loader shares (empty, binary, encoding)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import ClassVar, Protocol

from gcmkg.errors import LoaderError
from gcmkg.loaders.segment import build_document
from gcmkg.model import Block, Document

# A text file with more than this share of control characters is binary, whatever its name says.
_BINARY_CONTROL_SHARE = 0.05

# Files above this size are refused before they are read, so one huge file cannot exhaust memory;
# `gcmkg build --max-file-mb N` or `KnowledgeGraph.build(max_file_mb=N)` raises the limit.
DEFAULT_MAX_FILE_MB = 50.0
_MB = 1024 * 1024
_max_file_mb: ContextVar[float] = ContextVar("max_file_mb", default=DEFAULT_MAX_FILE_MB)


@contextmanager
def max_file_size(mb: float | None) -> Iterator[None]:
    """Within this block, `read_bytes` refuses files over `mb` megabytes (None: the default limit)."""
    token = _max_file_mb.set(DEFAULT_MAX_FILE_MB if mb is None else float(mb))
    try:
        yield
    finally:
        _max_file_mb.reset(token)


class Loader(Protocol):
    """Reads one file type into a Document. Registered by name in the 'gcmkg.loaders' entry-point group."""

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]
    media_type: ClassVar[str]

    def load(self, path: Path) -> Document: ...


class BlockLoader:
    """A loader that only has to turn its format into blocks; segmentation is shared."""

    name: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = ()
    media_type: ClassVar[str] = "text/plain"

    def blocks(self, path: Path) -> tuple[list[Block], str]:
        """The file's blocks and its title ('' when the format does not say)."""
        raise NotImplementedError

    def load(self, path: Path) -> Document:
        blocks, title = self.blocks(path)
        doc = build_document(path.name, blocks, title=title, media_type=self.media_type, source=str(path))
        if not doc.passages:
            raise LoaderError(path, "no text found in the document")
        return doc


def read_bytes(path: Path) -> bytes:
    limit = _max_file_mb.get()
    try:
        size = path.stat().st_size
        if size > limit * _MB:
            raise LoaderError(path, f"too large ({size / _MB:.3g} MB; the limit is {limit:g} MB): "
                                    "raise it with --max-file-mb (max_file_mb= in Python) to read it anyway")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(path, "file not found (it may have been moved or deleted)") from None
    except IsADirectoryError:
        raise LoaderError(path, "is a directory, not a file") from None
    except PermissionError:
        raise LoaderError(path, "permission denied") from None
    except OSError as exc:
        raise LoaderError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise LoaderError(path, "empty file")
    return data


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 text (a BOM is allowed); binary content or another encoding is a LoaderError."""
    if b"\x00" in data[:65536]:
        raise LoaderError(path, "binary content, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoaderError(
            path, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None
    sample = text[:65536]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    if sample and control / len(sample) > _BINARY_CONTROL_SHARE:
        raise LoaderError(path, "binary content, not text (too many control characters)")
    if not text.strip():
        raise LoaderError(path, "empty file")
    return text
