"""What is in the store: triples, graphs with provenance, entities per class."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode

from sozialgraph.namespaces import PREFIXES
from sozialgraph.store import GraphStore

_CLASS_COUNTS = (Path(__file__).parent / "rq" / "class-counts.rq").read_text(encoding="utf-8")


def compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri


def class_counts(store: GraphStore, include_internal: bool = True) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in store.select(_CLASS_COUNTS, include_internal=include_internal, include_vocabulary=False).rows:
        klass, count = row.get("class"), row.get("count")
        if isinstance(klass, NamedNode) and isinstance(count, Literal):
            counts[compact(klass.value)] = int(count.value)
    return counts


def info(store: GraphStore, include_internal: bool = True) -> dict[str, object]:
    graphs = store.graphs(include_internal)
    return {
        "triples": sum(graph.triples for graph in graphs),
        "graphs": [graph.as_dict() for graph in graphs],
        "counts": class_counts(store, include_internal),
    }
