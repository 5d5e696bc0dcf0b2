"""`sozialgraph publish`: write the public part of the store as an open-data publication into a folder.

The folder is built next to the target and moved into place at the end, so a failed run leaves an earlier
publication as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sozialgraph.errors import SozialgraphError
from sozialgraph.publish import authorities
from sozialgraph.publish.catalog import (
    CATALOG_FILE,
    CATALOG_JSONLD,
    CatalogInfo,
    Dataset,
    Distribution,
    Municipality,
    Publisher,
    build_catalog,
    catalog_iri,
    catalog_jsonld,
    catalog_turtle,
)
from sozialgraph.publish.dumps import sort_data, write_dumps
from sozialgraph.publish.facts import date_ranges, municipalities_of, newest_load, overall, publisher_of
from sozialgraph.publish.files import Written, write_bytes, write_stream, write_text
from sozialgraph.publish.geojson import write_spaces_geojson
from sozialgraph.publish.hsds import write_hsds
from sozialgraph.publish.labels import Labels
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.ontology_docs import write_ontology
from sozialgraph.publish.overview import write_index
from sozialgraph.publish.pages import write_entity_pages
from sozialgraph.publish.subset import PublicGraph, public_graph
from sozialgraph.publish.tables import build_tables
from sozialgraph.publish.void import write_void
from sozialgraph.store import GraphStore

HSDS_STANDARD = "https://docs.openreferral.org/en/3.0/hsds/overview.html"
ONTOLOGY = "https://w3id.org/sozialgraph/ontology"
GEOJSON_STANDARD = "https://www.rfc-editor.org/rfc/rfc7946"
VOID_STANDARD = "http://rdfs.org/ns/void#"
MARKER = ".sozialgraph-publication"
HTACCESS = """# Für Apache: die Adressen der Einträge ohne Dateiendung beantworten (MultiViews wählt .html für Browser,
# .ttl für Accept: text/turtle). nginx: location /id/ { try_files $uri.html $uri =404; }
Options +MultiViews
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/geo+json .geojson
AddType application/gzip .gz
AddCharset utf-8 .ttl .jsonld .json .geojson .csv .html
"""


@dataclass
class PublishOptions:
    base_uri: str
    licence: str | None = None
    publisher: str | None = None
    """The planners' id of the publishing actor; default: the municipality."""
    contributor_id: str | None = None
    """The GovData contributor id (dcatde:contributorID), e.g. `stadtErfurt`."""
    contact_email: str | None = None
    now: dt.datetime | None = None


@dataclass
class PublishReport:
    folder: Path
    base: str
    triples: int
    entities: int
    withheld_entities: int
    withheld_triples: int
    files: int
    tables: dict[str, int]
    services: int
    warnings: list[str] = field(default_factory=list)


def publish(store: GraphStore, folder: Path, options: PublishOptions) -> PublishReport:
    layout = Layout.for_base(options.base_uri)
    licence = authorities.licence_iri(options.licence)
    now = (options.now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    _check_target(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    # The working copy of the data and the sorted runs go beside the target, not into /tmp, which may be memory.
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.tmp-", dir=folder.parent) as scratch:
        try:
            return _publish(store, folder, options, layout, licence, now, Path(scratch))
        except BaseException as error:
            # The working store (RocksDB) stays open while a frame of the traceback holds it, and would go on
            # writing into the scratch folder while that is removed.
            traceback.clear_frames(error.__traceback__)
            raise


def _publish(store: GraphStore, folder: Path, options: PublishOptions, layout: Layout, licence: str,
             now: dt.datetime, scratch: Path) -> PublishReport:
    graph = public_graph(store, layout, scratch)
    publisher = publisher_of(graph, options.publisher)
    municipalities = municipalities_of(graph)
    warnings: list[str] = []
    contributor = options.contributor_id or _camel(publisher[2])
    if not options.contributor_id:
        warnings.append(
            f"dcatde:contributorID ist aus der Id des Herausgebers abgeleitet ('{contributor}'). Für GovData die "
            "dort vergebene Kennung mit --contributor-id angeben."
        )
    if not municipalities:
        warnings.append("Kein Raum der Ebene 'kommune' mit achtstelligem Gemeindeschlüssel (Spalte code): der "
                        "Katalog nennt keine räumliche Abdeckung (dct:spatial).")
    staging = folder.parent / f".{folder.name}.neu-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        report = _write(staging, scratch, graph, layout, licence, publisher, municipalities, contributor,
                        bool(options.contributor_id), options.contact_email, now, store, warnings)
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.folder = folder
    return report


def _write(root: Path, scratch: Path, graph: PublicGraph, layout: Layout, licence: str,
           publisher: tuple[str, str, str], municipalities: list[Municipality], contributor: str,
           contributor_confirmed: bool, contact_email: str | None, now: dt.datetime, store: GraphStore,
           warnings: list[str]) -> PublishReport:
    data = sort_data(graph, scratch)
    dumps = write_dumps(root, graph, data)
    tables = {table.name: table for table in build_tables(graph.store, scratch)}
    place = municipalities[0].name if municipalities else publisher[1]
    ranges = date_ranges(graph)
    coverage = overall(ranges.values())

    table_sets: list[Dataset] = []
    for table in tables.values():
        if not table.count:
            continue
        csv = write_stream(root, f"tables/{table.name}.csv", table.write_csv)
        distributions = [Distribution(csv, f"{table.title} (CSV)", "CSV", "text/csv",
                                      f"{table.count} Zeilen; Spalten: {', '.join(table.header)}")]
        if table.name == "spaces":
            geo, with_shape = write_spaces_geojson(root, graph, table)
            distributions.append(Distribution(
                geo, "Sozialräume (GeoJSON)", "GEOJSON", "application/geo+json",
                f"{table.count} Räume, davon {with_shape} mit Geometrie (WGS 84)", conforms_to=GEOJSON_STANDARD))
        table_sets.append(Dataset(
            key=f"table-{table.name}", title=f"{table.title} – {place}",
            description=f"{table.description} Eine Zeile je Eintrag, Spalten wie in den Eingabetabellen von "
                        "sozialgraph, zu jedem Code und Verweis die Bezeichnung (Spalte …_label).",
            keywords=["Sozialplanung", "Soziale Infrastruktur", table.title, place], themes=["SOCI", "REGI"],
            distributions=distributions, temporal=ranges.get(table.rdf_class), conforms_to=ONTOLOGY))

    offers = tables.get("offers")
    actors = tables.get("actors")
    hsds_files: list[Written] = []
    services = 0
    if offers is not None and actors is not None:
        key = municipalities[0].key if municipalities else None
        hsds_files, services = write_hsds(root, graph, offers, actors, place, key, now.date())

    ontology = write_ontology(root, graph.store, layout.base)
    labels = Labels(graph.store, dumps.prefixes)
    pages = write_entity_pages(root, layout, graph.documents, data.pages.sorted(), labels, dumps.prefixes)
    for skipped in pages.skipped:
        warnings.append(f"Für {skipped} lässt sich keine Seite anlegen (kein gültiger Dateiname).")

    graph_dataset = catalog_iri(layout, "dataset-graph")
    title = f"Soziale Infrastruktur {place}"
    void, void_triples = write_void(root, graph, graph_dataset,
                                    [dumps.turtle.relative, dumps.ntriples.relative, dumps.jsonld.relative],
                                    licence, f"{title} – Wissensgraph", dumps.prefixes)
    assert void_triples == dumps.triples

    main = Dataset(
        key="graph", title=f"{title} – Wissensgraph (Linked Open Data)",
        description="Der öffentliche Teil des Wissensgraphen der integrierten Sozialplanung: Akteure (Ämter, Gremien, "
                    "Träger), Angebote, Sozialräume, Fachplanungen, Maßnahmen, Bedarfe, Beteiligung und "
                    "Indikatoren, untereinander verknüpft. Jeder Eintrag hat eine eigene Adresse (IRI) mit HTML- und "
                    "Turtle-Seite.",
        keywords=["Sozialplanung", "Soziale Infrastruktur", "Linked Open Data", "Sozialraum", place],
        themes=["SOCI", "REGI"], temporal=coverage, conforms_to=ONTOLOGY,
        distributions=[
            Distribution(dumps.turtle, "Wissensgraph (Turtle)", "RDF_TURTLE", "text/turtle",
                         f"{dumps.triples} Tripel", conforms_to=ONTOLOGY),
            Distribution(dumps.ntriples, "Wissensgraph (N-Triples, gzip)", "RDF_N_TRIPLES", "application/n-triples",
                         f"{dumps.triples} Tripel", compress_format="application/gzip", conforms_to=ONTOLOGY),
            Distribution(dumps.jsonld, "Wissensgraph (JSON-LD)", "JSON_LD", "application/ld+json",
                         f"{dumps.triples} Tripel; @context: {layout.url(dumps.context.relative)}",
                         conforms_to=ONTOLOGY),
            Distribution(void, "VoID-Beschreibung", "RDF_TURTLE", "text/turtle",
                         "Umfang, Klassen und Eigenschaften des Wissensgraphen", conforms_to=VOID_STANDARD),
        ],
    )
    vocabulary = Dataset(
        key="vocabulary", title="sozialgraph-Ontologie und Codelisten",
        description="Das Vokabular der Veröffentlichung: Klassen und Eigenschaften (OWL) und die Codelisten (SKOS) "
                    "für Handlungsfelder, Zielgruppen, Angebotsarten, Raumebenen und weitere.",
        keywords=["Ontologie", "Codeliste", "Sozialplanung"], themes=["SOCI"],
        distributions=[
            Distribution(ontology.ontology, "Ontologie (Turtle)", "RDF_TURTLE", "text/turtle"),
            Distribution(ontology.codes, "Codelisten (Turtle)", "RDF_TURTLE", "text/turtle"),
            Distribution(ontology.ontology_html, "Ontologie (HTML-Dokumentation)", "HTML", "text/html"),
            Distribution(ontology.codes_html, "Codelisten (HTML)", "HTML", "text/html"),
        ],
    )
    datasets = [main, *table_sets]
    if hsds_files:
        datasets.append(Dataset(
            key="hsds", title=f"Angebote nach Open Referral HSDS 3.0 – {place}",
            description="Die Angebote im Format der Human Services Data Specification (HSDS 3.0): Träger als "
                        "organizations, Angebote als services, Standorte als locations, Handlungsfelder, Zielgruppen "
                        "und Angebotsarten als Taxonomien. Ids sind UUIDs, aus den IRIs abgeleitet (UUID v5).",
            keywords=["Sozialplanung", "Angebote", "Open Referral", "HSDS", place], themes=["SOCI", "REGI"],
            temporal=ranges.get(offers.rdf_class) if offers else None, conforms_to=HSDS_STANDARD,
            distributions=[Distribution(written, f"HSDS {Path(written.relative).stem}", "JSON", "application/json",
                                        conforms_to=HSDS_STANDARD) for written in hsds_files],
        ))
    datasets.append(vocabulary)

    modified = newest_load(store) or now
    index = write_index(root, scratch, layout, title, datasets, labels, graph, publisher[1], licence, modified)
    main.distributions.append(Distribution(index, "Übersicht und Seiten der Einträge (HTML)", "HTML", "text/html",
                                           f"{len(graph.documents)} Einträge mit je einer HTML- und Turtle-Seite"))
    info = CatalogInfo(
        layout=layout, title=f"{title} – offene Daten der Sozialplanung",
        description=f"Offene Daten der integrierten Sozialplanung ({place}): Wissensgraph, Tabellen je Art, "
                    "Angebote im HSDS-Format und das Vokabular.",
        licence=licence, publisher=Publisher(publisher[0], publisher[1]), contributor_id=contributor,
        contributor_confirmed=contributor_confirmed, contact_email=contact_email, municipalities=municipalities,
        issued=_timestamp(now), modified=_timestamp(modified), datasets=datasets)
    catalog = build_catalog(info)
    write_bytes(root, CATALOG_FILE, catalog_turtle(catalog))
    write_text(root, CATALOG_JSONLD, catalog_jsonld(catalog))
    write_text(root, ".htaccess", HTACCESS)
    write_text(root, MARKER, "Veröffentlichung von sozialgraph; `sozialgraph publish` ersetzt diesen Ordner.\n")
    files = sum(1 for path in root.rglob("*") if path.is_file())
    return PublishReport(
        folder=root, base=layout.base, triples=dumps.triples, entities=len(graph.documents),
        withheld_entities=graph.withheld_entities, withheld_triples=graph.withheld_triples, files=files,
        tables={name: table.count for name, table in tables.items()}, services=services, warnings=warnings)


def _check_target(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise SozialgraphError(f"{folder} ist eine Datei, kein Ordner.")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise SozialgraphError(
            f"Der Ordner {folder} ist nicht leer und keine frühere Veröffentlichung von sozialgraph. Bitte einen "
            "leeren oder neuen Ordner angeben – sozialgraph ersetzt nur eigene Veröffentlichungen."
        )


def _swap(staging: Path, folder: Path) -> None:
    old = folder.parent / f".{folder.name}.alt-{os.getpid()}"
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    if old.exists():
        shutil.rmtree(old)


def _timestamp(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _camel(identifier: str) -> str:
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", identifier) if part]
    return (parts[0].lower() + "".join(part.capitalize() for part in parts[1:])) if parts else "sozialgraph"


