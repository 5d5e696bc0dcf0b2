"""Bind values to a SPARQL query as a VALUES block, never by pasting user text.

Every value arrives here as a typed RDF term (built by the catalogue after validation); its N-Triples form is
produced by pyoxigraph, which escapes it. The block goes right after the opening brace of each top-level WHERE
clause, so the values join the query pattern where the variables are used (a trailing VALUES clause would join
only after grouping).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple


def values_block(rows: Sequence[Mapping[str, Term | None]]) -> str:
    # A variable unbound in every row binds nothing, so it is left out: the same query in SPARQL, and Virtuoso 7
    # takes an UNDEF for a value (`!BOUND(?x)` turns false, and a pattern using ?x matches nothing).
    names = sorted({name for row in rows for name, term in row.items() if term is not None})
    if not names:
        return ""
    header = " ".join(f"?{name}" for name in names)
    body = " ".join(
        "(" + " ".join(_serialise(row.get(name)) for name in names) + ")" for row in rows
    )
    return f"VALUES ({header}) {{ {body} }}"


def _serialise(term: Term | None) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, NamedNode | Literal):
        return str(term)
    raise TypeError(f"cannot bind {type(term).__name__} in VALUES")


def where_positions(query: str) -> list[int]:
    """Offsets just after the `{` opening each top-level WHERE group (outside strings, IRIs and comments)."""
    positions: list[int] = []
    depth = 0
    index = 0
    length = len(query)
    pending_where = False
    while index < length:
        char = query[index]
        if char == "#":
            end = query.find("\n", index)
            index = length if end < 0 else end
            continue
        if char in "\"'":
            index = _skip_string(query, index)
            continue
        if char == "<" and _looks_like_iri(query, index):
            index = query.index(">", index) + 1
            continue
        if char == "{":
            if depth == 0 and pending_where:
                positions.append(index + 1)
                pending_where = False
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and query[index : index + 5].upper() == "WHERE" and _word_boundary(query, index, 5):
            pending_where = True
            index += 5
            continue
        index += 1
    return positions


def bind(query: str, rows: Sequence[Mapping[str, Term | None]]) -> str:
    block = values_block(rows)
    if not block:
        return query
    positions = where_positions(query)
    if not positions:
        raise ValueError("query has no WHERE clause to bind parameters into")
    pieces = []
    last = 0
    for position in positions:
        pieces.append(query[last:position])
        pieces.append(f" {block} ")
        last = position
    pieces.append(query[last:])
    return "".join(pieces)


def _skip_string(query: str, start: int) -> int:
    quote = query[start]
    if query.startswith(quote * 3, start):
        end = query.find(quote * 3, start + 3)
        return len(query) if end < 0 else end + 3
    index = start + 1
    while index < len(query):
        if query[index] == "\\":
            index += 2
            continue
        if query[index] == quote or query[index] == "\n":
            return index + 1
        index += 1
    return index


def _looks_like_iri(query: str, start: int) -> bool:
    end = query.find(">", start)
    if end < 0:
        return False
    inner = query[start + 1 : end]
    return not any(ch in inner for ch in " \t\n<\"{}|^`\\")


def _word_boundary(query: str, start: int, size: int) -> bool:
    before = query[start - 1] if start > 0 else " "
    after = query[start + size] if start + size < len(query) else " "
    return not (before.isalnum() or before in "_?$:") and not (after.isalnum() or after == "_")
