"""The network view: who works with whom across departments, committees, providers and plans."""

from sozialgraph.network.build import PROJECTIONS, NetworkRows, assemble, build_network, fetch_rows
from sozialgraph.network.metrics import NetworkMetrics, analyse, department_reach

__all__ = [
    "PROJECTIONS",
    "NetworkMetrics",
    "NetworkRows",
    "analyse",
    "assemble",
    "build_network",
    "department_reach",
    "fetch_rows",
]
