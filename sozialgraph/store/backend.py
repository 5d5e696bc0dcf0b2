"""What a storage backend must offer: a handful of primitives over physical named graphs.

The versioning that makes loads all-or-nothing lives above this, in `sozialgraph.store.graphs`, so that the
embedded store and a remote SPARQL server behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

Term = NamedNode | BlankNode | Literal | Triple
META_GRAPH_SUFFIX = "graph/_meta"
"""The meta graph (`{base}graph/_meta`) holds the provenance that says which physical graph is current."""


@dataclass
class SelectResult:
    columns: list[str]
    rows: list[dict[str, Term]]


class Backend(Protocol):
    union_is_data_only: bool
    """True when the union default graph (`default_graphs=None`) holds data graphs only, never the meta graph:
    then a query may read the union instead of naming every current graph, which is several times faster."""

    def select(self, query: str, default_graphs: Sequence[NamedNode] | None) -> SelectResult: ...

    def ask(self, query: str, default_graphs: Sequence[NamedNode] | None) -> bool: ...

    def construct(self, query: str, default_graphs: Sequence[NamedNode] | None) -> list[Triple]: ...

    def write_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        """Write triples into a fresh graph nobody reads yet; returns the number written."""
        ...

    def commit(self, quads: Sequence[Quad]) -> None:
        """Add these quads in one atomic step: this is the moment a load becomes visible."""
        ...

    def compact(self) -> None:
        """Reorganise storage for fast reads after a large write (no change to what is stored)."""
        ...

    def remove_quads(self, quads: Sequence[Quad]) -> None: ...

    def drop_graph(self, graph: NamedNode) -> None: ...

    def graph_names(self) -> list[NamedNode]: ...

    def graph_triples(self, graph: NamedNode) -> Iterator[Triple]: ...

    def dump_graph(self, graph: NamedNode, output: BinaryIO) -> None:
        """One graph as N-Triples into the stream, without holding it in memory."""
        ...

    def count(self, graph: NamedNode) -> int: ...

    def close(self) -> None: ...
