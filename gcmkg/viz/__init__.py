"""Views of the graph that people look at rather than read: networks, analytics, charts and dossiers.

Every view reads the graph through the SPARQL files `gcmkg/queries/viz-*.rq`, never the document text.
The heavy parts (networkx, pyvis, matplotlib) are the `viz` extra, imported inside the functions that need them.

    from gcmkg.viz import network, write_network, write_report, write_chart, rank
"""

from __future__ import annotations

from gcmkg.viz.analytics import rank, write_gexf, write_graphml
from gcmkg.viz.charts import write_chart
from gcmkg.viz.networks import NETWORKS, Filters, network, network_html, write_network
from gcmkg.viz.report import REPORT_KINDS, dossier, report_html, write_report

__all__ = [
    "NETWORKS", "REPORT_KINDS", "Filters", "dossier", "network", "network_html", "rank", "report_html", "write_chart",
    "write_gexf", "write_graphml", "write_network", "write_report",
]
