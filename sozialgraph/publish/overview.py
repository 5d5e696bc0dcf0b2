"""The overview page (index.html): the datasets with their files, and every entry grouped by its class."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from pyoxigraph import NamedNode

from sozialgraph.publish import authorities
from sozialgraph.publish.catalog import Dataset
from sozialgraph.publish.files import Written, write_stream
from sozialgraph.publish.labels import Labels
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.queries import select_data
from sozialgraph.publish.render import render_stream
from sozialgraph.publish.sorting import ExternalSort, fields, record
from sozialgraph.publish.subset import PublicGraph


def write_index(root: Path, scratch: Path, layout: Layout, title: str, datasets: list[Dataset], labels: Labels,
                graph: PublicGraph, publisher: str, licence: str, modified: dt.datetime) -> Written:
    """index.html, written as Jinja renders it; its list of every entry comes from an external sort by (group,
    text), ties in the order of the sorted IRIs."""
    listed = []
    for dataset in datasets:
        listed.append({
            "title": dataset.title, "description": dataset.description,
            "files": [{"href": quote(d.written.relative, safe="/-._~"), "name": d.written.relative,
                       "format": d.file_type.replace("_", " "),
                       "size": _size(d.written.size)} for d in dataset.distributions],
        })
    counts: dict[str, int] = {}
    ordered = ExternalSort(scratch, "index")
    kinds = _kinds(graph, labels)
    for document in graph.documents:
        if layout.page(document, ".html") is None:
            continue
        group = kinds.get(document, "Weitere Einträge")
        counts[group] = counts.get(group, 0) + 1
        ordered.add(record(group, _text(layout, labels, document).casefold(), document))
    del kinds
    entries = (fields(line)[2] for line in ordered.sorted())
    groups = [_Group(name, _Entries(layout, labels, count, entries)) for name, count in sorted(counts.items())]
    chunks = render_stream(
        "index.html", title=title, root="", datasets=listed, groups=groups, publisher=publisher, licence=licence,
        licence_label=authorities.label(licence), modified=modified.strftime("%d.%m.%Y"),
        description="Offene Daten der integrierten Sozialplanung: nur öffentliche Angaben, als Wissensgraph, "
                    "Tabellen und im Format Open Referral HSDS.")

    def write(stream: BinaryIO) -> None:
        for chunk in chunks:
            stream.write(chunk.encode("utf-8"))

    return write_stream(root, "index.html", write)


def _text(layout: Layout, labels: Labels, document: str) -> str:
    return labels.get(document) if labels.known(document) else document[len(layout.base):]


@dataclass
class _Group:
    label: str
    entries: _Entries


class _Entries:
    """The next `count` entries of the sorted stream, read as the template loops over them (once)."""

    def __init__(self, layout: Layout, labels: Labels, count: int, documents: Iterator[str]) -> None:
        self._layout, self._labels, self._count, self._documents = layout, labels, count, documents

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, str]]:
        for document in itertools.islice(self._documents, self._count):
            page = self._layout.page(document, ".html")
            yield {"href": quote(str(page), safe="/-._~"), "text": _text(self._layout, self._labels, document)}


def _kinds(graph: PublicGraph, labels: Labels) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for row in select_data(graph.store, "entity-classes"):
        entity, klass = row.get("entity"), row.get("class")
        if isinstance(entity, NamedNode) and isinstance(klass, NamedNode):
            name = labels.get(klass.value)
            if entity.value not in kinds or name < kinds[entity.value]:
                kinds[entity.value] = name
    return kinds


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
