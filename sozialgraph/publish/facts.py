"""What the publication says about itself, read from the public graph: who publishes, which municipality it
covers (for the catalogue's spatial coverage), and which time span each kind of entry speaks about."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from sozialgraph.errors import SozialgraphError, allowed_list
from sozialgraph.namespaces import code_iri
from sozialgraph.publish.catalog import Municipality
from sozialgraph.publish.queries import iri, select, select_data, text
from sozialgraph.publish.subset import PublicGraph
from sozialgraph.store import GraphStore


def publisher_of(graph: PublicGraph, wanted: str | None) -> tuple[str, str, str]:
    """(IRI, name, id) of the publishing actor."""
    rows: list[tuple[str, str, str, str | None]] = []
    for row in select(graph.store, "publisher"):
        actor, identifier = iri(row, "actor"), text(row, "id")
        if actor is not None and identifier is not None:
            rows.append((actor, text(row, "name") or identifier, identifier, iri(row, "kind")))
    if wanted:
        for actor, name, identifier, _ in rows:
            if identifier == wanted:
                return actor, name, identifier
        raise SozialgraphError(
            f"--publisher '{wanted}': kein öffentlicher Akteur mit dieser Id (interne Akteure werden nicht "
            f"veröffentlicht). Erlaubt: {allowed_list(sorted(identifier for _, _, identifier, _ in rows))}"
        )
    municipality = code_iri("actor-kind", "municipality").value
    found = [(actor, name, identifier) for actor, name, identifier, kind in rows if kind == municipality]
    if len(found) == 1:
        return found[0]
    raise SozialgraphError(
        "Wer veröffentlicht? Bitte --publisher mit der Id eines Akteurs angeben "
        f"({'mehrere' if found else 'kein'} Akteur der Art 'municipality' gefunden). Erlaubt: "
        f"{allowed_list(sorted(identifier for _, _, identifier, _ in rows))}"
    )


def municipalities_of(graph: PublicGraph) -> list[Municipality]:
    found: dict[str, Municipality] = {}
    for row in select(graph.store, "municipality"):
        code, name = row.get("code"), row.get("name")
        if isinstance(code, Literal) and re.fullmatch(r"\d{8}", code.value) and code.value not in found:
            found[code.value] = Municipality(code.value, name.value if isinstance(name, Literal) else code.value)
    return list(found.values())


def date_ranges(graph: PublicGraph) -> dict[str, tuple[str, str]]:
    ranges: dict[str, tuple[str, str]] = {}
    for row in select_data(graph.store, "date-ranges"):
        klass, first, last = row.get("class"), row.get("first"), row.get("last")
        if isinstance(klass, NamedNode) and isinstance(first, Literal) and isinstance(last, Literal):
            ranges[klass.value] = (first.value, last.value)
    return ranges


def overall(ranges: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    pairs = list(ranges)
    if not pairs:
        return None
    return min(first for first, _ in pairs), max(last for _, last in pairs)


def newest_load(store: GraphStore) -> dt.datetime | None:
    times = []
    for info in store.graphs(include_internal=False):
        if info.loaded_at:
            try:
                times.append(dt.datetime.fromisoformat(info.loaded_at.replace("Z", "+00:00")))
            except ValueError:
                continue
    return max(times).astimezone(dt.UTC).replace(microsecond=0) if times else None
