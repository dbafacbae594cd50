"""gcmkg: a knowledge graph of the Global Compact for Safe, Orderly and Regular Migration.

    from gcmkg import KnowledgeGraph
    with KnowledgeGraph("my-store") as kg:
        kg.build(["reports/"])
        df = kg.query("objective-concerns", objective=13)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from gcmkg.graph.kg import KnowledgeGraph


def __getattr__(name: str):
    """Lazy imports keep `gcmkg --help` fast."""
    if name == "KnowledgeGraph":
        from gcmkg.graph.kg import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(name)


__all__ = ["KnowledgeGraph", "__version__"]
