"""Bind saved-query parameters as VALUES blocks in exactly the WHERE groups that use them.

A sub-select sees only its own variables, so a parameter used inside one must be bound there; binding it in
every group instead makes Virtuoso take the inner variable for a correlated reference to the outer one and fail
to compile (SP031). So each WHERE group gets a VALUES block with the parameters its own text mentions: its body,
and for a sub-select also its projection, GROUP BY and HAVING, but not the sub-selects nested in it (they get
their own). A parameter left out gets no VALUES column at all (`sparql_values.values_block` drops columns that
are UNDEF in every row): `!BOUND(?_name)` is true either way, and Virtuoso 7 takes an UNDEF for a value.

The terms are serialised by pyoxigraph (`sparql_values.values_block`), never pasted from user text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sozialgraph.sparql_values import Term, _looks_like_iri, _skip_string, values_block


@dataclass
class _Group:
    open: int
    close: int = -1
    children: list[_Group] = field(default_factory=list)
    subselect: bool = False
    where_body: bool = False


def bind_parameters(query: str, bound: Mapping[str, Term | None]) -> str:
    if not bound:
        return query
    masked = _mask(query)
    root = _groups(masked)
    insertions: list[tuple[int, str]] = []
    _collect(root, masked, bound, None, insertions)
    if not any(group.where_body for group in _walk(root)):
        raise ValueError("query has no WHERE clause to bind parameters into")
    text = query
    for position, block in sorted(insertions, reverse=True):
        text = text[:position] + f" {block} " + text[position:]
    return text


def _collect(group: _Group, masked: str, bound: Mapping[str, Term | None], owner: _Group | None,
             insertions: list[tuple[int, str]]) -> None:
    for child in group.children:
        if child.where_body:
            # The owner's text: the enclosing sub-select block (or the whole query), without nested sub-selects.
            start, end = (owner.open, owner.close) if owner else (0, len(masked))
            own = _without_subselects(masked, start, end, child)
            used = {name: term for name, term in bound.items() if re.search(rf"[?$]{re.escape(name)}(?!\w)", own)}
            if used:
                insertions.append((child.open + 1, values_block([used])))
        _collect(child, masked, bound, child if child.subselect else owner, insertions)


def _without_subselects(masked: str, start: int, end: int, body: _Group) -> str:
    cuts = [(g.open, g.close) for g in _outermost_subselects(body)]
    pieces, last = [], start
    for open_, close in cuts:
        pieces.append(masked[last:open_])
        last = close + 1
    pieces.append(masked[last:end])
    return " ".join(pieces)


def _outermost_subselects(group: _Group) -> list[_Group]:
    found: list[_Group] = []
    for child in group.children:
        if child.subselect:
            found.append(child)
        else:
            found.extend(_outermost_subselects(child))
    return found


def _walk(group: _Group) -> list[_Group]:
    result = [group]
    for child in group.children:
        result.extend(_walk(child))
    return result


def _groups(masked: str) -> _Group:
    root = _Group(-1, len(masked))
    stack = [root]
    pending_where = False
    index = 0
    while index < len(masked):
        char = masked[index]
        if char == "{":
            group = _Group(index, where_body=pending_where)
            group.subselect = masked[index + 1 :].lstrip().upper().startswith("SELECT")
            stack[-1].children.append(group)
            stack.append(group)
            pending_where = False
        elif char == "}":
            if len(stack) > 1:
                stack.pop().close = index
        elif masked[index : index + 5].upper() == "WHERE" and _boundary(masked, index, 5):
            pending_where = True
            index += 5
            continue
        elif not char.isspace():
            pending_where = False
        index += 1
    return root


def _boundary(text: str, start: int, size: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[start + size] if start + size < len(text) else " "
    return not (before.isalnum() or before in "_?$:") and not (after.isalnum() or after == "_")


def _mask(query: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), so braces and names are real."""
    chars = list(query)
    index = 0
    while index < len(query):
        char = query[index]
        if char == "#":
            end = query.find("\n", index)
            end = len(query) if end < 0 else end
        elif char in "\"'":
            end = _skip_string(query, index)
        elif char == "<" and _looks_like_iri(query, index):
            end = query.index(">", index) + 1
        else:
            index += 1
            continue
        for position in range(index, end):
            if chars[position] != "\n":
                chars[position] = " "
        index = end
    return "".join(chars)
