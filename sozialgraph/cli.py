"""The `sozialgraph` command: the one place that wires loaders, core and web app together."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from sozialgraph.config import Settings, normalise_base
from sozialgraph.errors import SozialgraphError
from sozialgraph.store import GraphStore, open_store

T = TypeVar("T")


class _App(typer.Typer):
    """Any SozialgraphError a command lets through (say, a SPARQL server gone mid-export) is one German line."""

    def __call__(self, *args: object, **kwargs: object) -> object:
        try:
            return super().__call__(*args, **kwargs)
        except SozialgraphError as error:
            typer.echo(f"Fehler: {error.message}", err=True)
            sys.exit(2)


app = _App(help="sozialgraph – Wissensgraph für die integrierte Sozialplanung", no_args_is_help=True,
           pretty_exceptions_enable=False)
query_app = typer.Typer(help="Gespeicherte Abfragen (Lücken, Parallelstrukturen, …)", no_args_is_help=True)
app.add_typer(query_app, name="query")


class State:
    settings: Settings = Settings.from_env()


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"Fehler: {message}", err=True)
    raise typer.Exit(code)


def store() -> GraphStore:
    from sozialgraph.space_closure import ensure_derived

    try:
        opened = open_store(State.settings)
        if ensure_derived(opened):
            typer.echo("Hinweis: Der Speicher stammt aus einer älteren Version; die Angebotszellen der "
                       "Lückenabfragen, die Parallelstrukturen und die Vollständigkeit je Raum wurden jetzt "
                       "berechnet.", err=True)
        return opened
    except SozialgraphError as error:
        fail(error.message)


def with_store(action: Callable[[GraphStore], T], opener: Callable[[], GraphStore] = store) -> T:
    """Open the store, run `action` on it and close it again; an error ends the command with its message."""
    graph_store = opener()
    try:
        return action(graph_store)
    except SozialgraphError as error:
        fail(error.message)
    finally:
        graph_store.close()


@app.callback()
def main(
    store_path: Annotated[Path | None, typer.Option("--store", help="Ordner des eingebetteten Speichers")] = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="SPARQL-Abfrage-URL eines Servers")] = None,
    base_uri: Annotated[str | None, typer.Option("--base-uri", help="Basis der Entitäts-IRIs")] = None,
    server: Annotated[tuple[str, str] | None, typer.Option(
        "--server", metavar="ART URL",
        help="SPARQL-Server: oxigraph|virtuoso|fuseki|graphdb und seine Adresse (leitet alle Endpunkte ab)")] = None,
) -> None:
    settings = Settings.from_env()
    if store_path is not None:
        settings = replace(settings, store_path=store_path, endpoint=None)
    if endpoint is not None:
        settings = replace(settings, endpoint=endpoint)
    if server is not None:
        from sozialgraph.store.servers import endpoints_for

        try:
            urls = endpoints_for(*server)
        except SozialgraphError as error:
            fail(error.message)
        settings = replace(settings, endpoint=urls.query, update_endpoint=urls.update, store_endpoint=urls.store)
    if base_uri is not None:
        settings = replace(settings, base_uri=normalise_base(base_uri))
    State.settings = settings


@app.command()
def load(
    files: Annotated[list[str], typer.Argument(help="CSV-, XLSX-, GeoJSON- oder RDF-Dateien (oder Ordner); "
                                               "mit --kind oparl: URL oder Ordner eines OParl-Systems")],
    kind: Annotated[str | None, typer.Option("--kind", help="Tabellenart, falls nicht am Namen erkennbar")] = None,
    internal: Annotated[bool, typer.Option("--internal", help="die ganze Quelle ist intern")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="nur prüfen, nichts speichern")] = False,
    crs: Annotated[str | None, typer.Option("--crs", help="Koordinatensystem einer GeoJSON-Datei ohne crs-Angabe, "
                                            "z. B. EPSG:25832")] = None,
    since: Annotated[str | None, typer.Option("--since", help="mit --kind oparl: nur Drucksachen ab diesem Datum "
                                              "(JJJJ-MM-TT)")] = None,
) -> None:
    """Dateien laden: alles oder nichts; jede Datei wird ein benannter Graph mit Herkunftsangaben."""
    from loaders import load_sources, source_for

    if kind == "oparl":
        load_oparl_system(files, since, dry_run)
        return
    if since is not None:
        fail("--since gilt nur mit --kind oparl")
    paths: list[Path] = []
    for path in map(Path, files):
        if path.is_dir():
            paths.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.casefold() in SOURCE_SUFFIXES))
        else:
            paths.append(path)
    report = with_store(lambda graph_store: load_sources(
        graph_store, [source_for(path) for path in paths], kind=kind, internal=internal, dry_run=dry_run, crs=crs))
    for warning in report.warnings:
        typer.echo(f"Hinweis: {warning}", err=True)
    if dry_run:
        typer.echo(f"Prüfung bestanden: {len(paths)} Datei(en) ließen sich laden (nichts gespeichert).")
        return
    for graph in report.graphs:
        typer.echo(f"geladen: {graph.name} ({graph.triples} Tripel)")


def load_oparl_system(locations: list[str], since: str | None, dry_run: bool) -> None:
    """`load --kind oparl URL|ORDNER`: Drucksachen eines Ratsinformationssystems (OParl 1.1)."""
    from loaders.oparl import load_oparl, parse_since

    if len(locations) != 1:
        fail("--kind oparl lädt genau ein OParl-System (eine URL oder einen Ordner)")
    report = with_store(lambda graph_store: load_oparl(graph_store, locations[0], parse_since(since),
                                                       dry_run=dry_run))
    for warning in report.warnings:
        typer.echo(f"Hinweis: {warning}", err=True)
    typer.echo(f"{report.papers} Drucksachen aus {report.pages} Listenseiten gelesen"
               + (f", {report.skipped_before_since} vor --since ausgelassen" if since else "")
               + (f"; verknüpft mit Fachplanungen: {len(report.linked_plans)}" if report.linked_plans else "") + ".")
    for graph in report.graphs:
        typer.echo(f"geladen: {graph.name} ({graph.triples} Tripel)")


SOURCE_SUFFIXES = {".csv", ".xlsx", ".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl", ".geojson"}


@app.command()
def validate(
    output_format: Annotated[str, typer.Option("--format", help="text, json oder turtle")] = "text",
    engine: Annotated[str, typer.Option("--engine", help="fast (SHACL als SPARQL im Speicher) oder pyshacl")] = "fast",
) -> None:
    """Vollständigkeit prüfen (SHACL). Exit 0: vollständig (Hinweise erlaubt), 1: Fehler gefunden."""
    from sozialgraph.validation import ENGINES, validate_store

    if output_format not in ("text", "json", "turtle"):
        fail(f"unbekanntes Format '{output_format}'. Erlaubt: text, json, turtle")
    if engine not in ENGINES:
        fail(f"unbekannte Prüfmaschine '{engine}'. Erlaubt: {', '.join(ENGINES)}")
    report = with_store(lambda graph_store: validate_store(graph_store, engine=engine))
    output = {"text": report.as_text, "json": report.as_json, "turtle": report.as_turtle}[output_format]()
    typer.echo(output)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def info(output_format: Annotated[str, typer.Option("--format", help="text oder json")] = "text") -> None:
    """Was im Speicher ist: Tripel, Graphen mit Herkunft, Anzahl je Klasse."""
    from sozialgraph.stats import info as store_info

    data = with_store(store_info)
    if output_format == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if output_format != "text":
        fail(f"unbekanntes Format '{output_format}'. Erlaubt: text, json")
    typer.echo(f"Tripel: {data['triples']}")
    typer.echo("Graphen:")
    for graph in data["graphs"]:  # type: ignore[attr-defined]
        typer.echo(f"  {graph['name']}: {graph['triples']} Tripel, geladen {graph['loaded_at']}"
                   f" ({graph['access']})")
    typer.echo("Anzahl je Klasse:")
    for klass, count in data["counts"].items():  # type: ignore[attr-defined]
        typer.echo(f"  {klass}: {count}")


@query_app.command("list")
def query_list(output_format: Annotated[str, typer.Option("--format", help="table oder json")] = "table") -> None:
    """Alle gespeicherten Abfragen mit Kurzbeschreibung und Parametern."""
    from sozialgraph.catalog import Catalog

    queries = Catalog().queries()
    if output_format == "json":
        typer.echo(json.dumps([query.as_dict() for query in queries], ensure_ascii=False, indent=2))
        return
    if output_format != "table":
        fail(f"unbekanntes Format '{output_format}'. Erlaubt: table, json")
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Gespeicherte Abfragen")
    for column in ("Name", "Ordner", "Beschreibung", "Parameter"):
        table.add_column(column)
    for query in queries:
        params = ", ".join(
            f"{p.name}={p.default}" if p.default is not None else p.name for p in query.params
        )
        table.add_row(query.name, query.folder, query.summary, params)
    Console(width=200).print(table)


@query_app.command("run")
def query_run(
    name: Annotated[str, typer.Argument(help="Name der Abfrage (sozialgraph query list)")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE, mehrfach")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv, json oder xlsx")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="in diese Datei schreiben")] = None,
) -> None:
    """Eine gespeicherte Abfrage ausführen."""
    from sozialgraph.catalog import Catalog
    from sozialgraph.results import FORMATS, render

    if output_format not in FORMATS:
        fail(f"unbekanntes Format '{output_format}'. Erlaubt: {', '.join(FORMATS)}")
    values: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"Parameter '{item}' hat nicht die Form KEY=VALUE")
        values[key.strip()] = value
    if output_format == "xlsx" and output is None:
        fail("XLSX braucht --output DATEI")
    try:
        catalog = Catalog()
        catalog.get(name)
        result = with_store(lambda graph_store: catalog.run(graph_store, name, values))
    except SozialgraphError as error:
        fail(error.message)
    data = render(result, output_format)
    if output is not None:
        output.write_bytes(data)
        typer.echo(f"{len(result.rows)} Zeilen nach {output} geschrieben.", err=True)
    else:
        sys.stdout.buffer.write(data)
        if not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")


@app.command()
def export(file: Annotated[Path, typer.Argument(help="Zieldatei: .nq (N-Quads) oder .trig")]) -> None:
    """Alles mit Graphen exportieren (N-Quads oder TriG)."""
    from pyoxigraph import RdfFormat, serialize

    formats = {".nq": RdfFormat.N_QUADS, ".trig": RdfFormat.TRIG}
    rdf_format = formats.get(file.suffix.casefold())
    if rdf_format is None:
        fail(f"unbekannte Endung '{file.suffix}'. Erlaubt: .nq, .trig")
    def write(graph_store: GraphStore) -> None:
        with file.open("wb") as stream:
            serialize(graph_store.quads(), stream, format=rdf_format)

    with_store(write)
    typer.echo(f"exportiert nach {file}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adresse")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Web-App und API starten."""
    import uvicorn

    from api.app import create_app

    graph_store = store()
    typer.echo(f"sozialgraph läuft auf http://{host}:{port}/ (Beenden mit Strg+C)")
    uvicorn.run(create_app(graph_store, State.settings), host=host, port=port, log_level="warning")


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Adresse")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="nur laden und prüfen")] = False,
) -> None:
    """Beispieldaten Erfurt laden, prüfen und die Web-App starten."""
    from loaders import load_sources, source_for
    from sozialgraph.paths import data_dir
    from sozialgraph.validation import validate_store

    folder = data_dir() / "erfurt"
    paths = sorted(p for p in folder.iterdir() if p.suffix.casefold() in SOURCE_SUFFIXES)
    graph_store = store()
    try:
        report = load_sources(graph_store, [source_for(path) for path in paths])
    except SozialgraphError as error:
        graph_store.close()
        fail(error.message)
    typer.echo(f"Beispieldaten geladen: {len(report.graphs)} Graphen, {graph_store.triple_count()} Tripel.")
    validation = validate_store(graph_store)
    typer.echo(f"Vollständigkeitsprüfung: {len(validation.violations)} Fehler, {len(validation.warnings)} "
               "Hinweise (einige Beispiel-Angebote sind absichtlich unvollständig).")
    if no_serve:
        graph_store.close()
        return
    import uvicorn

    from api.app import create_app

    typer.echo(f"\nÖffnen Sie http://{host}:{port}/ im Browser.")
    typer.echo(f"  Übersicht:      http://{host}:{port}/")
    typer.echo(f"  Abfragen:       http://{host}:{port}/abfragen")
    typer.echo(f"  API (OpenAPI):  http://{host}:{port}/docs")
    typer.echo("Beenden mit Strg+C.")
    uvicorn.run(create_app(graph_store, State.settings), host=host, port=port, log_level="warning")


def store_or_snapshot() -> GraphStore:
    """The store; while another process (the web app) has it open, a read-only snapshot of it."""
    from sozialgraph.config import DEFAULT_STORE
    from sozialgraph.store.embedded import EmbeddedBackend

    try:
        return open_store(State.settings)
    except SozialgraphError as error:
        if State.settings.endpoint or "LOCK" not in error.message:
            fail(error.message)
    path = State.settings.store_path or DEFAULT_STORE
    typer.echo(f"Hinweis: {path} ist in Benutzung (läuft die Web-App?); gesichert wird eine Momentaufnahme.",
               err=True)
    try:
        return GraphStore(EmbeddedBackend.read_only(path), State.settings.base_uri, maintain=False)
    except SozialgraphError as snapshot_error:
        fail(snapshot_error.message)


@app.command("dump")
def dump_command(file: Annotated[Path, typer.Argument(help="Zieldatei (N-Quads)")]) -> None:
    """Sicherung: alle Graphen mit Herkunftsangaben in eine Datei."""
    from sozialgraph.backup import dump

    count = with_store(lambda graph_store: dump(graph_store, file), store_or_snapshot)
    typer.echo(f"{count} Tripel nach {file} gesichert.")


@app.command("restore")
def restore_command(file: Annotated[Path, typer.Argument(help="Sicherung aus 'sozialgraph dump'")]) -> None:
    """Sicherung zurückspielen: der Speicher enthält danach genau die Graphen der Sicherung."""
    from sozialgraph.backup import restore

    if not file.is_file():
        fail(f"{file}: die Datei gibt es nicht")
    graphs = with_store(lambda graph_store: restore(graph_store, file))
    typer.echo(f"{len(graphs)} Graphen wiederhergestellt.")


@app.command("network")
def network_command(
    output_format: Annotated[str, typer.Option("--format", help="text, json (Cytoscape.js), graphml, gexf oder csv")]
    = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="in diese Datei schreiben (CSV: .zip oder "
                                                "Ordner für knoten.csv und kanten.csv)")] = None,
    projection: Annotated[str, typer.Option("--projection", help="bipartite (Akteure und Pläne) oder actors "
                                            "(nur Akteure; gemeinsame Pläne als Kanten)")] = "bipartite",
    public: Annotated[bool, typer.Option("--public", help="nur öffentliche Daten (ohne interne Graphen)")] = False,
) -> None:
    """Netzwerk der Ämter, Gremien, Träger und Pläne: Vermittler, Silos, Brücken; Export für Gephi, yEd, Web."""
    from sozialgraph.network import PROJECTIONS, analyse, build_network
    from sozialgraph.network import export as network_export

    if output_format not in network_export.FORMATS:
        fail(f"unbekanntes Format '{output_format}'. Erlaubt: {', '.join(network_export.FORMATS)}")
    if projection not in PROJECTIONS:
        fail(f"unbekannte Projektion '{projection}'. Erlaubt: {', '.join(PROJECTIONS)}")
    if output_format == "csv" and output is None:
        fail("CSV braucht --output DATEI.zip oder --output ORDNER (es entstehen knoten.csv und kanten.csv)")
    graph = with_store(lambda graph_store: build_network(graph_store, projection, include_internal=not public))
    metrics = analyse(graph)
    if output_format == "csv":
        assert output is not None
        try:
            written = network_export.write_csv(graph, output)
        except SozialgraphError as error:
            fail(error.message)
        typer.echo(f"{metrics.nodes} Knoten und {metrics.edges} Kanten nach {', '.join(map(str, written))} "
                   "geschrieben.", err=True)
        return
    writers = {
        "text": lambda: network_export.to_text(graph, metrics).encode("utf-8"),
        "json": lambda: network_export.to_json(graph, metrics),
        "graphml": lambda: network_export.to_graphml(graph),
        "gexf": lambda: network_export.to_gexf(graph),
    }
    data = writers[output_format]()
    if output is not None:
        output.write_bytes(data)
        typer.echo(f"{metrics.nodes} Knoten und {metrics.edges} Kanten nach {output} geschrieben.", err=True)
    else:
        sys.stdout.buffer.write(data)



@app.command()
def publish(
    outdir: Annotated[Path, typer.Argument(help="Zielordner der Veröffentlichung")],
    base_uri: Annotated[str | None, typer.Option(
        "--base-uri", help="Adresse der veröffentlichten Einträge, endet auf /id/ (z. B. https://daten.stadt.de/sg/id/)",
    )] = None,
    licence: Annotated[str | None, typer.Option(
        "--licence", help="Lizenz aus http://dcat-ap.de/def/licenses (Standard: dl-by-de/2.0)")] = None,
    publisher: Annotated[str | None, typer.Option(
        "--publisher", help="Id des veröffentlichenden Akteurs (Standard: die Kommune)")] = None,
    contributor_id: Annotated[str | None, typer.Option(
        "--contributor-id", help="Datenbereitsteller-Kennung bei GovData (dcatde:contributorID)")] = None,
    contact_email: Annotated[str | None, typer.Option(
        "--contact-email", help="Funktionspostfach als Kontakt im Katalog")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="einen veröffentlichten Ordner prüfen statt zu veröffentlichen")] = False,
) -> None:
    """Öffentlichen Teil veröffentlichen: DCAT-AP.de-Katalog, Dumps, Tabellen, HSDS, eine Seite je Eintrag."""
    from sozialgraph.publish import PublishOptions, check_publication
    from sozialgraph.publish import publish as publish_folder

    if check:
        try:
            result = check_publication(outdir)
        except SozialgraphError as error:
            fail(error.message)
        for note in result.notes:
            typer.echo(f"Hinweis: {note}", err=True)
        for problem in result.problems:
            typer.echo(f"Fehler: {problem}", err=True)
        if not result.ok:
            typer.echo(f"Prüfung nicht bestanden: {len(result.problems)} Problem(e) in {outdir}.", err=True)
            raise typer.Exit(1)
        typer.echo(f"Prüfung bestanden: {outdir} ist bereit zum Hochladen.")
        return
    if not base_uri:
        fail("--base-uri fehlt: unter welcher Adresse werden die Einträge veröffentlicht? "
             "z. B. --base-uri https://daten.stadt.de/sozialgraph/id/")
    from sozialgraph.publish.authorities import licence_iri
    from sozialgraph.publish.layout import Layout

    try:  # refuse bad options before the store is opened
        Layout.for_base(base_uri)
        licence_iri(licence)
    except SozialgraphError as error:
        fail(error.message)
    options = PublishOptions(base_uri=base_uri, licence=licence, publisher=publisher,
                             contributor_id=contributor_id, contact_email=contact_email)
    report = with_store(lambda graph_store: publish_folder(graph_store, outdir, options))
    for warning in report.warnings:
        typer.echo(f"Hinweis: {warning}", err=True)
    typer.echo(f"Veröffentlicht nach {outdir}: {report.triples} Tripel, {report.entities} Einträge mit eigener "
               f"Seite, {report.services} Angebote im HSDS-Format, {report.files} Dateien.")
    typer.echo(f"Zurückgehalten: {report.withheld_entities} interne Einträge"
               f" ({report.withheld_triples} Tripel aus öffentlichen Tabellen, die auf sie verweisen).")
    typer.echo(f"Adressen: {report.base}… – Katalog: {outdir / 'catalog.ttl'}. Vor dem Hochladen: "
               f"sozialgraph publish --check {outdir}")

token_app = typer.Typer(help="Zugriffstoken für die Web-App (Zeilen für SOZIALGRAPH_TOKENS_FILE)",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("new")
def token_new(role: Annotated[str, typer.Option("--role", help="reader oder editor")] = "reader") -> None:
    """Ein neues zufälliges Token: das Token für die Nutzerin, die Zeile für die Token-Datei."""
    from sozialgraph.tokens import new_token, token_line

    token = new_token()
    try:
        line = token_line(role, token)
    except SozialgraphError as error:
        fail(error.message)
    typer.echo(f"Token (nur jetzt sichtbar, weitergeben): {token}", err=True)
    typer.echo(line)


@token_app.command("hash")
def token_hash(
    role: Annotated[str, typer.Option("--role", help="reader oder editor")] = "reader",
    token: Annotated[str | None, typer.Argument(help="das Token; ohne Angabe von der Standardeingabe")] = None,
) -> None:
    """Die Zeile `rolle:sha256` für ein vorhandenes Token (Token über die Standardeingabe: nicht in der Historie)."""
    from sozialgraph.tokens import token_line

    given = token if token is not None else sys.stdin.readline()
    try:
        typer.echo(token_line(role, given.strip()))
    except SozialgraphError as error:
        fail(error.message)


if __name__ == "__main__":
    app()
