"""The overview page (index.html): the datasets with their files, and every entry grouped by its class."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from pyoxigraph import NamedNode

from sozialgraph.publish import authorities
from sozialgraph.publish.catalog import Dataset
from sozialgraph.publish.labels import Labels
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.queries import select_data
from sozialgraph.publish.render import render
from sozialgraph.publish.subset import PublicGraph


def index_html(layout: Layout, title: str, datasets: list[Dataset], labels: Labels, graph: PublicGraph,
                publisher: str, licence: str, modified: dt.datetime) -> str:
    listed = []
    for dataset in datasets:
        listed.append({
            "title": dataset.title, "description": dataset.description,
            "files": [{"href": quote(d.written.relative, safe="/-._~"), "name": d.written.relative,
                       "format": d.file_type.replace("_", " "),
                       "size": _size(d.written.size)} for d in dataset.distributions],
        })
    groups: dict[str, list[dict[str, str]]] = {}
    kinds = _kinds(graph, labels)
    for document in graph.documents:
        page = layout.page(document, ".html")
        if page is None:
            continue
        group = kinds.get(document, "Weitere Einträge")
        groups.setdefault(group, []).append({"href": quote(str(page), safe="/-._~"), "text": labels.get(document)
                                             if labels.known(document) else document[len(layout.base):]})
    ordered: list[dict[str, object]] = [
        {"label": name, "entries": sorted(entries, key=lambda entry: entry["text"].casefold())}
        for name, entries in sorted(groups.items())
    ]
    return render("index.html", title=title, root="", datasets=listed, groups=ordered, publisher=publisher,
                  licence=licence, licence_label=authorities.label(licence),
                  modified=modified.strftime("%d.%m.%Y"),
                  description="Offene Daten der integrierten Sozialplanung: nur öffentliche Angaben, als "
                              "Wissensgraph, Tabellen und im Format Open Referral HSDS.")


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
