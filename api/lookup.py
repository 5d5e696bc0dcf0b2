"""Small lookups the pages share: which resource carries a planner's id, and German labels."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphStore

_RQ = Path(__file__).parent / "rq"
_IDENTIFIERS = (_RQ / "identifiers.rq").read_text(encoding="utf-8")
_LABELS = (_RQ / "labels.rq").read_text(encoding="utf-8")
_CHUNK = 500


def resources_by_id(store: GraphStore, ids: Iterable[str], include_internal: bool) -> dict[str, tuple[str, str]]:
    """id -> (IRI, label) for ids that name exactly one resource (an id used twice links nowhere)."""
    wanted = sorted({value for value in ids if value})
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = [{"id": Literal(value)} for value in wanted[start : start + _CHUNK]]
        for row in store.select(bind(_IDENTIFIERS, rows), include_internal=include_internal).rows:
            identifier, entity, label = row.get("id"), row.get("entity"), row.get("label")
            if isinstance(identifier, Literal) and isinstance(entity, NamedNode):
                names = found.setdefault(identifier.value, {})
                names.setdefault(entity.value, label.value if isinstance(label, Literal) else identifier.value)
    return {key: next(iter(value.items())) for key, value in found.items() if len(value) == 1}


def labels(store: GraphStore, iris: Iterable[str], include_internal: bool = False) -> dict[str, str]:
    wanted = sorted(set(iris))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = [{"node": NamedNode(iri)} for iri in wanted[start : start + _CHUNK]]
        for row in store.select(bind(_LABELS, rows), include_internal=include_internal).rows:
            node, label = row.get("node"), row.get("label")
            if isinstance(node, NamedNode) and isinstance(label, Literal):
                found.setdefault(node.value, label.value)
    return found
