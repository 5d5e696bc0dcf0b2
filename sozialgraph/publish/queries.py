"""The publication's own SPARQL, kept as .rq files next to this module."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from sozialgraph.store.backend import Term

RQ = Path(__file__).parent / "rq"


@cache
def query_text(name: str) -> str:
    return (RQ / f"{name}.rq").read_text(encoding="utf-8")


def select(store: Store, name: str) -> list[dict[str, Term]]:
    """Rows of a SELECT over the working copy (data and vocabulary together)."""
    return select_text(store, query_text(name))


def text(row: Mapping[str, Term], name: str) -> str | None:
    """The lexical value of a bound IRI or literal, None when unbound (or a blank node)."""
    value = row.get(name)
    return value.value if isinstance(value, NamedNode | Literal) else None


def iri(row: Mapping[str, Term], name: str) -> str | None:
    value = row.get(name)
    return value.value if isinstance(value, NamedNode) else None


def select_data(store: Store, name: str) -> list[dict[str, Term]]:
    """Rows of a SELECT over the published data alone (statistics must not count the vocabulary)."""
    return select_text(store, query_text(name), with_vocabulary=False)


def select_text(store: Store, text: str, with_vocabulary: bool = True) -> list[dict[str, Term]]:
    solutions = store.query(text, use_default_graph_as_union=with_vocabulary)
    assert isinstance(solutions, QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    rows: list[dict[str, Term]] = []
    for solution in solutions:
        row: dict[str, Term] = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = value
        rows.append(row)
    return rows
