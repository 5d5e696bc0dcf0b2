"""`sozialgraph publish --check`: re-validate a published folder before it is uploaded.

Checks the catalogue against the DCAT-AP.de shapes, the HSDS files against their schemas, that no internal
marker made it out, that sizes and checksums in the catalogue match the files, and that links between the files
resolve (download URLs, entity pages for every IRI under the base, links in the HTML pages, HSDS references).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse

from sozialgraph.publish.catalog import CATALOG_FILE, CATALOG_JSONLD
from sozialgraph.publish.dumps import CONTEXT, JSONLD, NTRIPLES_GZ, TURTLE
from sozialgraph.publish.files import sha256_file
from sozialgraph.publish.hsds import FILES as HSDS_FILES
from sozialgraph.publish.hsds import FOLDER as HSDS_FOLDER
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.validation import hsds_errors, validate_dcat
from sozialgraph.publish.void import VOID, VOID_FILE

INTERNAL = "https://w3id.org/sozialgraph/code/access/internal"
ACCESS = "https://w3id.org/sozialgraph/ontology#access"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
LIMIT = 20
"""At most this many messages of one kind; the rest are counted."""


@dataclass
class CheckReport:
    folder: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, messages: list[str], what: str) -> None:
        self.problems.extend(messages[:LIMIT])
        if len(messages) > LIMIT:
            self.problems.append(f"… und {len(messages) - LIMIT} weitere Probleme: {what}")


def check_publication(folder: Path) -> CheckReport:
    report = CheckReport(folder)
    if not folder.is_dir():
        report.problems.append(f"{folder}: den Ordner gibt es nicht")
        return report
    required = [CATALOG_FILE, CATALOG_JSONLD, VOID_FILE, TURTLE, NTRIPLES_GZ, JSONLD, CONTEXT, "index.html"]
    missing = [name for name in required if not (folder / name).is_file()]
    report.add([f"{name}: die Datei fehlt" for name in missing], "fehlende Dateien")
    catalog = _catalog(folder, report)
    layout = _layout(folder, report)
    if catalog is not None:
        _check_dcat(catalog, report)
        if layout is not None:
            _check_distributions(folder, catalog, layout, report)
    _check_internal(folder, report)
    if layout is not None and not missing:
        _check_dump(folder, layout, report)
    _check_html_links(folder, report)
    _check_hsds(folder, report)
    return report


def _catalog(folder: Path, report: CheckReport) -> rdflib.Graph | None:
    if not (folder / CATALOG_FILE).is_file():
        return None
    graph = rdflib.Graph()
    try:
        graph.parse(folder / CATALOG_FILE, format="turtle")
    except Exception as error:  # rdflib raises many parser exception types
        report.problems.append(f"{CATALOG_FILE}: kein gültiges Turtle ({error})")
        return None
    if (folder / CATALOG_JSONLD).is_file():
        other = rdflib.Graph()
        try:
            other.parse(folder / CATALOG_JSONLD, format="json-ld")
            if len(other) != len(graph):
                report.problems.append(f"{CATALOG_JSONLD}: enthält {len(other)} Tripel, {CATALOG_FILE} aber "
                                       f"{len(graph)} – beide Fassungen müssen dasselbe sagen")
        except Exception as error:
            report.problems.append(f"{CATALOG_JSONLD}: kein gültiges JSON-LD ({error})")
    return graph


def _layout(folder: Path, report: CheckReport) -> Layout | None:
    path = folder / VOID_FILE
    if not path.is_file():
        return None
    try:
        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            if triple.predicate.value == VOID + "uriSpace":
                return Layout.for_base(triple.object.value)
    except (SyntaxError, ValueError) as error:
        report.problems.append(f"{VOID_FILE}: kein gültiges Turtle ({error})")
        return None
    report.problems.append(f"{VOID_FILE}: void:uriSpace fehlt – die Basis der IRIs ist unbekannt")
    return None


def _check_dcat(catalog: rdflib.Graph, report: CheckReport) -> None:
    result = validate_dcat(catalog)
    report.add([f"{CATALOG_FILE}: DCAT-AP.de-Verstoß bei {r.focus}"
                f"{' (' + r.path + ')' if r.path else ''}: {r.message}" for r in result.violations],
               "DCAT-AP.de-Verstöße")
    notes = dict.fromkeys(f"{CATALOG_FILE}: DCAT-AP.de-Hinweis bei {w.focus}: {w.message}" for w in result.warnings)
    report.notes.extend(list(notes)[:LIMIT])


def _check_distributions(folder: Path, catalog: rdflib.Graph, layout: Layout, report: CheckReport) -> None:
    problems = []
    for distribution in sorted(catalog.subjects(rdflib.RDF.type, DCAT.Distribution), key=str):
        url = catalog.value(distribution, DCAT.downloadURL) or catalog.value(distribution, DCAT.accessURL)
        relative = layout.relative_for_url(str(url)) if url else None
        if relative is None:
            problems.append(f"{CATALOG_FILE}: {distribution} hat keine Download-Adresse unter {layout.site}")
            continue
        path = folder / relative
        if not path.is_file():
            problems.append(f"{CATALOG_FILE}: {url} verweist auf {relative}, die Datei fehlt")
            continue
        size = catalog.value(distribution, DCAT.byteSize)
        if size is None or str(size) != str(path.stat().st_size):
            problems.append(f"{relative}: Größe {path.stat().st_size} Byte, der Katalog nennt {size}")
        checksum = catalog.value(distribution, SPDX.checksum)
        value = catalog.value(checksum, SPDX.checksumValue) if checksum is not None else None
        if value is None or str(value).lower() != sha256_file(path):
            problems.append(f"{relative}: SHA-256-Prüfsumme stimmt nicht mit dem Katalog überein "
                            "(Datei nach der Veröffentlichung geändert?)")
    report.add(problems, "Distributionen")


def _rdf_files(folder: Path) -> list[tuple[Path, RdfFormat, bool]]:
    files: list[tuple[Path, RdfFormat, bool]] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.relative_to(folder).parts[0] == "ontology":
            continue
        if path.name.endswith(".ttl"):
            files.append((path, RdfFormat.TURTLE, False))
        elif path.name.endswith(".nt.gz"):
            files.append((path, RdfFormat.N_TRIPLES, True))
    return files


def _check_internal(folder: Path, report: CheckReport) -> None:
    """No triple `?x sg:access access:internal` in any RDF file, and the marker IRI in no other file."""
    problems = []
    for path, rdf_format, zipped in _rdf_files(folder):
        data = gzip.decompress(path.read_bytes()) if zipped else path.read_bytes()
        try:
            for triple in parse(data, format=rdf_format):
                if triple.predicate.value == ACCESS and isinstance(triple.object, NamedNode) \
                        and triple.object.value == INTERNAL:
                    problems.append(f"{path.relative_to(folder)}: {triple.subject} ist als intern markiert und "
                                    "darf nicht veröffentlicht werden")
        except (SyntaxError, ValueError) as error:
            problems.append(f"{path.relative_to(folder)}: kein gültiges RDF ({error})")
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or relative.parts[0] == "ontology" or path.suffix in (".ttl", ".gz"):
            continue
        if INTERNAL.encode() in path.read_bytes():
            problems.append(f"{relative}: enthält die Markierung „intern“ ({INTERNAL})")
    report.add(problems, "interne Angaben")


def _check_dump(folder: Path, layout: Layout, report: CheckReport) -> None:
    problems = []
    stated = None
    for triple in parse(path=str(folder / VOID_FILE), format=RdfFormat.TURTLE):
        if triple.predicate.value == VOID + "triples" and triple.subject.value.endswith("#dataset-graph"):
            stated = int(triple.object.value)
    try:
        triples = list(parse(path=str(folder / TURTLE), format=RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as error:
        report.problems.append(f"{TURTLE}: kein gültiges Turtle ({error})")
        return
    distinct = set(triples)
    if stated is not None and stated != len(distinct):
        problems.append(f"{TURTLE}: {len(distinct)} Tripel, {VOID_FILE} nennt {stated}")
    ntriples = set(parse(gzip.decompress((folder / NTRIPLES_GZ).read_bytes()), format=RdfFormat.N_TRIPLES))
    if ntriples != distinct:
        problems.append(f"{NTRIPLES_GZ}: enthält nicht dieselben Tripel wie {TURTLE}")
    missing_pages = set()
    for triple in distinct:
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode):
                document = layout.document(term.value)
                if document is None:
                    continue
                for suffix in (".html", ".ttl"):
                    page = layout.page_path(folder, document, suffix)
                    if page is None or not page.is_file():
                        missing_pages.add(f"{document}: die Seite {layout.page(document, suffix)} fehlt")
    problems.extend(sorted(missing_pages))
    problems.extend(_check_jsonld(folder, layout, distinct))
    report.add(problems, "Dumps und Seiten")


def _check_jsonld(folder: Path, layout: Layout, turtle: set[object]) -> list[str]:
    """The JSON-LD dump names its @context by URL: that file must be published, and with it the dump must
    say what the Turtle dump says."""
    try:
        document = json.loads((folder / JSONLD).read_text(encoding="utf-8"))
        context = document["@context"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        return [f"{JSONLD}: kein gültiges JSON-LD ({error})"]
    if not isinstance(context, str):
        return [f"{JSONLD}: @context sollte die Adresse von {CONTEXT} sein"]
    relative = layout.relative_for_url(context)
    if relative is None or not (folder / relative).is_file():
        return [f"{JSONLD}: der @context {context} liegt nicht in der Veröffentlichung"]
    try:
        document["@context"] = json.loads((folder / relative).read_text(encoding="utf-8"))["@context"]
        graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    except Exception as error:  # rdflib's JSON-LD parser raises many types
        return [f"{JSONLD}: lässt sich mit {relative} nicht lesen ({error})"]
    if len(graph) != len(turtle):
        return [f"{JSONLD}: {len(graph)} Tripel, {TURTLE} aber {len(turtle)}"]
    return []


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _check_html_links(folder: Path, report: CheckReport) -> None:
    problems = []
    for path in sorted(folder.rglob("*.html")):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                problems.append(f"{path.relative_to(folder)}: der Verweis {link} führt ins Leere")
    report.add(problems, "Verweise in HTML-Seiten")


def _check_hsds(folder: Path, report: CheckReport) -> None:
    hsds = folder / HSDS_FOLDER
    if not hsds.is_dir():
        return
    problems: list[str] = []
    loaded: dict[str, list[dict[str, object]]] = {}
    for name in HSDS_FILES.values():
        path = hsds / name
        if not path.is_file():
            problems.append(f"{HSDS_FOLDER}/{name}: die Datei fehlt")
            continue
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            problems.append(f"{HSDS_FOLDER}/{name}: kein gültiges JSON ({error})")
            continue
        problems.extend(hsds_errors(name, records))
        loaded[name] = records if isinstance(records, list) else []
    ids = {name: {str(r.get("id")) for r in records if isinstance(r, dict)} for name, records in loaded.items()}
    for name, records in loaded.items():
        if len(ids[name]) != len(records):
            problems.append(f"{HSDS_FOLDER}/{name}: Ids kommen doppelt vor")
    references = [
        ("services.json", "organization_id", "organizations.json"),
        ("service_at_locations.json", "service_id", "services.json"),
        ("service_at_locations.json", "location_id", "locations.json"),
        ("organizations.json", "parent_organization_id", "organizations.json"),
        ("taxonomy_terms.json", "taxonomy_id", "taxonomies.json"),
    ]
    for source, key, target in references:
        for record in loaded.get(source, []):
            value = record.get(key)
            if value is not None and str(value) not in ids.get(target, set()):
                problems.append(f"{HSDS_FOLDER}/{source}: {key} {value} (in id {record.get('id')}) fehlt in "
                                f"{target}")
    terms = ids.get("taxonomy_terms.json", set())
    for service in loaded.get("services.json", []):
        attributes = service.get("attributes")
        for attribute in attributes if isinstance(attributes, list) else []:
            if isinstance(attribute, dict) and str(attribute.get("taxonomy_term_id")) not in terms:
                problems.append(f"{HSDS_FOLDER}/services.json: Taxonomie-Begriff {attribute.get('taxonomy_term_id')}"
                                f" (Angebot {service.get('id')}) fehlt in taxonomy_terms.json")
    report.add(problems, "HSDS")
