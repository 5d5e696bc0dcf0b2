"""One `load` of one or more files: read and check everything first, then write all graphs in one commit."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loaders.convert import Converted, TableConverter
from loaders.geojson import looks_like_geojson, read_spaces_geojson
from loaders.placement import Placement, Unplaced
from loaders.rdf_files import is_rdf_file, read_rdf
from loaders.spreadsheets import RawTable, read_tables
from loaders.tables import LOAD_ORDER
from sozialgraph.errors import InputError
from sozialgraph.space_closure import DERIVED_GRAPHS, with_space_closure
from sozialgraph.store import GraphContent, GraphInfo, GraphStore


@dataclass
class SourceFile:
    path: Path
    name: str
    """The logical graph's name: `folder/file.csv`, or what the caller chose."""
    display_name: str


@dataclass
class LoadReport:
    graphs: list[GraphInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def source_for(path: Path, name: str | None = None) -> SourceFile:
    graph_name = name or (f"{path.parent.name}/{path.name}" if path.parent.name else path.name)
    return SourceFile(path, graph_name, path.name if name is None else name)


def load_sources(
    store: GraphStore,
    sources: Sequence[SourceFile],
    kind: str | None = None,
    internal: bool = False,
    dry_run: bool = False,
    crs: str | None = None,
) -> LoadReport:
    for source in sources:
        if not source.path.is_file():
            raise InputError(source.display_name, "die Datei gibt es nicht")
    contents: list[GraphContent] = []
    report = LoadReport()
    tabular: list[tuple[SourceFile, list[RawTable]]] = []
    converter = TableConverter(store.base_uri)
    converted: list[tuple[SourceFile, Converted]] = []
    loaders: dict[str, str] = {}
    scanned: set[str] = set()
    """Graphs of this load that may hold spaces (or, from RDF, entities to place): placement reads their triples."""
    for source in sources:
        sha = hashlib.sha256(source.path.read_bytes()).hexdigest()
        if looks_like_geojson(source.path, kind):
            if kind not in (None, "spaces"):
                raise InputError(source.display_name, f"GeoJSON enthält Räume, nicht '{kind}'", allowed=["spaces"])
            result = Converted()
            read_spaces_geojson(source.path, source.display_name, converter, result, crs)
            converted.append((source, result))
            loaders[source.name] = "loaders.geojson"
            scanned.add(source.name)
            report.warnings.extend(result.warnings)
        elif is_rdf_file(source.path) and kind is None:
            triples = read_rdf(source.path, source.display_name, store.base_uri)
            contents.append(GraphContent(source.name, triples, file_name=source.path.name,
                                         source=source.display_name, sha256=sha, loader="loaders.rdf_files",
                                         internal=internal))
            scanned.add(source.name)
        else:
            tabular.append((source, read_tables(source.path, kind, source.display_name)))

    def order(item: tuple[SourceFile, list[RawTable]]) -> int:
        return min(LOAD_ORDER.index(raw.table.name) for raw in item[1])

    for source, raws in sorted(tabular, key=order):
        result = Converted()
        for raw in sorted(raws, key=lambda raw: LOAD_ORDER.index(raw.table.name)):
            converter.convert(raw, result)
            if raw.table.name == "spaces":
                scanned.add(source.name)
        raws.clear()  # the rows are triples now: at nation scale they would hold gigabytes until the write
        converted.append((source, result))
        report.warnings.extend(result.warnings)
    _check_references(store, converted, [content.name for content in contents])
    unplaced: dict[str, list[Unplaced]] = {}
    for source, result in converted:
        sha = hashlib.sha256(source.path.read_bytes()).hexdigest()
        loader = loaders.get(source.name, "loaders.spreadsheets")
        for name, statements, is_internal in ((source.name, result.public, internal),
                                              (source.name + "/internal", result.internal, True)):
            if statements or name == source.name:
                # N-Triples text that behaves as the list of triples (iterate, len, append): the embedded store
                # bulk-loads the text as it is.
                contents.append(GraphContent(name, statements, file_name=source.path.name,
                                             source=source.display_name, sha256=sha, loader=loader,
                                             internal=is_internal))
        for entity, lat, lon, file, row in result.unplaced:
            name = source.name + "/internal" if entity.value in result.internal_entities else source.name
            unplaced.setdefault(name, []).append(Unplaced(entity, lat, lon, file, row))
        if source.name in scanned and result.internal:
            scanned.add(source.name + "/internal")
    replaced = {content.name for content in contents}
    stale_internal = [
        info.name for info in store.graphs()
        if info.name.endswith("/internal") and info.name.removesuffix("/internal") in replaced
        and info.name not in replaced
    ]
    placed_again = Placement(store, contents, dropping=stale_internal).run(unplaced, scanned, report.warnings)
    if placed_again:
        report.warnings.append("Sozialräume aus Koordinaten neu ermittelt in: "
                               + ", ".join(content.name for content in placed_again))
    if dry_run:
        return report
    written, dropped = with_space_closure(store, [*contents, *placed_again], drop=stale_internal)
    report.graphs = [info for info in store.replace(written, drop=dropped) if info.name not in DERIVED_GRAPHS]
    return report


def _check_references(store: GraphStore, converted: list[tuple[SourceFile, Converted]],
                      rdf_names: list[str]) -> None:
    defined: set[str] = set()
    for _, result in converted:
        defined |= result.defined
    wanted = {ref.iri for _, result in converted for ref in result.references if ref.iri not in defined}
    if not wanted:
        return
    replacing = [source.name for source, _ in converted]
    replacing += [name + "/internal" for name in replacing] + rdf_names
    existing = store.existing_entities(wanted, excluding=replacing)
    for _, result in converted:
        for ref in result.references:
            if ref.iri not in defined and ref.iri not in existing:
                raise InputError(ref.file, "verweist auf eine Id, die weder im Datenbestand noch in dieser "
                                 "Ladung vorkommt", row=ref.row, column=ref.column, value=ref.value)
