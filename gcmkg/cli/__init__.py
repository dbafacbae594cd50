"""The `gcmkg` command: a thin layer over the library.

Each command lives in its own module of this package with a `register(subparsers)` function; the
library's own errors become one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from gcmkg.errors import GcmkgError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DIR",
                        help="store directory (default: $GCMKG_STORE, else ./gcmkg-store)")


def parser() -> argparse.ArgumentParser:
    from gcmkg import __version__

    root = argparse.ArgumentParser(
        prog="gcmkg", description="A knowledge graph of the Global Compact for Safe, Orderly and Regular Migration.")
    root.add_argument("--version", action="version", version=f"gcmkg {__version__}")
    sub = root.add_subparsers(dest="command", metavar="COMMAND")
    modules = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    for name in modules:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return root


def fail(message: str) -> int:
    print(f"gcmkg: error: {message}", file=sys.stderr)
    return EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "func", None):
        parser().print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except GcmkgError as exc:
        return fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
