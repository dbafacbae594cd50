"""Loaders by file type, registered by name in the 'gcmkg.loaders' entry-point group.

Built-in loaders register the same way a third-party package would; they are imported on first use.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path

from gcmkg.errors import LoaderError, UnsupportedFormat
from gcmkg.loaders.base import Loader
from gcmkg.model import Document

ENTRY_POINT_GROUP = "gcmkg.loaders"
_BUILTIN = {
    "text": "gcmkg.loaders.text:TextLoader",
    "markdown": "gcmkg.loaders.markdown:MarkdownLoader",
    "html": "gcmkg.loaders.html:HtmlLoader",
    "pdf": "gcmkg.loaders.pdf:PdfLoader",
    "docx": "gcmkg.loaders.docx:DocxLoader",
    "tabular": "gcmkg.loaders.tabular:TabularLoader",
}


@cache
def registry() -> dict[str, Loader]:
    """Every loader by name: the built-ins, then any that installed packages register."""
    targets = dict(_BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        targets.setdefault(ep.name, ep.value)
    loaders: dict[str, Loader] = {}
    for name, target in targets.items():
        module, _, attr = target.partition(":")
        try:
            loaders[name] = getattr(import_module(module), attr)()
        except (ImportError, AttributeError):
            continue  # a loader whose module is missing simply is not offered
    return loaders


def supported_suffixes() -> list[str]:
    return sorted({s for loader in registry().values() for s in loader.suffixes})


def loader_for(path: Path) -> Loader:
    suffix = path.suffix.lower()
    for loader in registry().values():
        if suffix in loader.suffixes:
            return loader
    raise UnsupportedFormat(path, f"unsupported file type '{suffix or '(none)'}' "
                                  f"(supported: {', '.join(supported_suffixes())})")


def load(path: str | Path) -> Document:
    """Read one file into a Document; any failure is a LoaderError naming the file."""
    path = Path(path)
    loader = loader_for(path)
    try:
        return loader.load(path)
    except LoaderError:
        raise
    except (ValueError, OSError, KeyError, IndexError, TypeError, RecursionError) as exc:
        raise LoaderError(path, f"cannot be read as {loader.name}: {exc}") from None


__all__ = ["Loader", "load", "loader_for", "registry", "supported_suffixes"]
