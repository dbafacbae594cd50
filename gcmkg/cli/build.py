"""`gcmkg build`, `gcmkg export`, `gcmkg stats`, `gcmkg validate`."""

from __future__ import annotations

import argparse
import os
import sys

from gcmkg.cli import EXIT_FAILED, add_store_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="read documents into the store (no path: the bundled sample corpus)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files and folders (.txt .md .html .pdf .docx)")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="processes for extraction (default: 2)")
    p.add_argument("--force", action="store_true", help="rebuild documents even when unchanged")
    p.add_argument("--max-file-mb", type=float, default=None, metavar="N",
                   help="refuse files larger than N MB unread (default: 50)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--no-reason", dest="reason", action="store_false",
                   help="skip materialising the ontology's inferences into id:graph/inferred")
    add_store_option(p)
    p.set_defaults(func=build)

    p = sub.add_parser("export", help="write the whole graph to a file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=["nquads", "trig", "turtle", "ntriples", "jsonld", "rdfxml"],
                   help="default: from the file's suffix, else nquads")
    add_store_option(p)
    p.set_defaults(func=export)

    p = sub.add_parser("stats", help="what the store holds")
    add_store_option(p)
    p.set_defaults(func=stats)

    p = sub.add_parser("validate", help="check the graph against the contract's SHACL shapes (exit 1 on violations)")
    p.add_argument("--report", action="store_true", help="print the full SHACL report")
    p.add_argument("--hermit", action="store_true",
                   help="also check that the ontology is consistent with the HermiT reasoner (needs Java)")
    add_store_option(p)
    p.set_defaults(func=validate)


def build(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph

    def progress(results):
        from tqdm import tqdm

        return tqdm(results, desc="building", unit="doc", file=sys.stderr, disable=args.quiet or None)

    with KnowledgeGraph(args.store) as kg:
        report = kg.build(args.paths or None, progress=progress, workers=args.workers, force=args.force,
                          max_file_mb=args.max_file_mb, reason=args.reason)
    for path, problem in report.failed:
        print(f"gcmkg: error: {path}: {problem}", file=sys.stderr)
    entities = ", ".join(f"{n} {k}s" for k, n in sorted(report.entities.items()))
    print(f"built {len(report.built)} documents ({len(report.unchanged)} unchanged, {len(report.failed)} failed): "
          f"{report.passages} passages, {report.triples} triples written; entities: {entities or 'none'}; "
          f"{report.seconds:.1f} s")
    return EXIT_FAILED if report.failed else 0


def export(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph

    with KnowledgeGraph(args.store, read_only=True) as kg:
        count = kg.export(args.file, args.format)
    print(f"wrote {count} quads to {args.file}")
    return 0


def stats(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph

    with KnowledgeGraph(args.store, read_only=True) as kg:
        s = kg.stats()
    print(f"documents     {s.documents}")
    print(f"passages      {s.passages}")
    print(f"triples       {s.triples}")
    print(f"named graphs  {s.graphs}")
    print("entities named in documents:")
    for k, v in s.entities.items():
        print(f"  {k:<16}{v}")
    print("links:")
    for k, v in s.links.items():
        print(f"  {k:<16}{v}")
    return 0


def validate(args: argparse.Namespace) -> int:
    from gcmkg.graph.kg import KnowledgeGraph

    with KnowledgeGraph(args.store, read_only=True) as kg:
        report = kg.validate()
    if args.report or not report.conforms:
        print(report.text)
    print("conforms to the gcmkg contract" if report.conforms else f"{report.violations} violations")
    consistent = True
    if args.hermit:
        from gcmkg.ontology.reasoning import check_consistency

        owl = check_consistency()
        consistent = owl.consistent and not owl.unsatisfiable
        print(f"ontology consistent (HermiT, {owl.seconds:.1f} s)" if consistent
              else f"ontology: unsatisfiable classes {', '.join(owl.unsatisfiable)}")
    return 0 if report.conforms and consistent else EXIT_FAILED
