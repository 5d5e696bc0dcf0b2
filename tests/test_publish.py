"""Publication as linked open data: what the open-data team uploads, checked the way a portal or a reuser would.

One store holds the Erfurt example plus internal things with unmistakable names (an internal offer, measure and
actor, a whole internal source, and public rows that point at internal entities); it is published once under a
base different from the store's, and every test reads the real files.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import http.server
import io
import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import rdflib
from jsonschema import Draft202012Validator
from pyoxigraph import NamedNode, RdfFormat, parse
from pyshacl import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from loaders import load_sources, source_for
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.errors import SozialgraphError
from sozialgraph.publish import PublishOptions, check_publication, publish
from sozialgraph.publish.subset import move_base
from sozialgraph.store import GraphStore, open_store
from tests.conftest import FIXTURES, PEERS, erfurt_files, run_cli

BASE = "https://daten.beispielstadt.de/sozialgraph/id/"
SITE = "https://daten.beispielstadt.de/sozialgraph/"
FIXTURE = FIXTURES / "publish"
DCAT_SHAPES = PEERS / "dcat-ap-de" / "v3.0" / "shacl"
HSDS_SCHEMAS = PEERS / "hsds" / "3.0" / "schema"
# Ids and names of everything internal in the test store: none may appear in any published byte.
SECRETS = [
    "vertraulich-partner-q7", "Verschwiegene Partnerstelle Quarz",  # a whole source loaded as internal
    "geheimrat-x9", "Geheimrat Xaver Neun",  # internal actor, member of a public committee
    "of-tarnkappe-k3", "Tarnkappen-Beratung Kobalt",  # internal offer
    "m-stille-reserve-4", "Stille Reserve Vier",  # internal measure
    "dienstberatung-ob", "Dienstberatung OB", "of-krisenwohnung-jugend", "of-schutzwohnung-frauen",  # Erfurt's own
    "m-koordinierungsstelle-personal",
    "https://sozialgraph.example/",  # the store's base: every IRI is moved to the published base
]
INTERNAL_MARKER = "https://w3id.org/sozialgraph/code/access/internal"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")


def build_store() -> GraphStore:
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    load_sources(store, [source_for(path) for path in erfurt_files()])
    load_sources(store, [source_for(FIXTURE / "intern" / "actors.csv")], internal=True)
    load_sources(store, [source_for(FIXTURE / "public" / name)
                         for name in ("actors.csv", "offers.csv", "measures.csv", "geometry.ttl")])
    return store


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    store = build_store()
    folder = tmp_path_factory.mktemp("publication") / "open-data"
    publish(store, folder, PublishOptions(base_uri=BASE, contact_email="sozialplanung@example.org"))
    store.close()
    yield folder


def every_file(folder: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            yield path, gzip.decompress(data) if path.suffix == ".gz" else data


def dcat_shapes() -> rdflib.Graph:
    # The official validator combines the DE profile files; dcat-ap-de-imports.ttl only lists owl:imports of
    # remote vocabularies (not available offline), which is why the catalogue describes each concept it uses.
    # dcat-ap-SHACL-DE.ttl overlays (German messages, deactivations) the SEMIC DCAT-AP 3.0.0 shapes, which are not
    # among the peers: offline its overlays apply to nothing; the German additions, the controlled-vocabulary
    # lists and the deprecations are what checks here (the catalogue still types every node as DCAT-AP asks).
    # Upstream inconsistency, not worked around: dcat-ap-de-controlledvocabularies.ttl spells dcatap as
    # <http://data.europa.eu/r5r#> while DCAT-AP 3 (and the official examples) use <http://data.europa.eu/r5r/>;
    # the catalogue uses the latter, so that one availability list shape cannot apply.
    shapes = rdflib.Graph()
    for name in ("dcat-ap-SHACL-DE.ttl", "dcat-ap-spec-german-additions.ttl",
                 "dcat-ap-de-controlledvocabularies.ttl", "dcat-ap-de-deprecated.ttl"):
        shapes.parse(DCAT_SHAPES / name, format="turtle")
    return shapes


def shacl_results(data: rdflib.Graph) -> list[tuple[str, str, str]]:
    _, report, _ = validate(data, shacl_graph=dcat_shapes(), allow_warnings=True)
    return sorted(
        (str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.focusNode)),
         str(report.value(r, SH.resultMessage)))
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    )


# --- DCAT-AP.de ---------------------------------------------------------------------------------------------

def test_catalogue_passes_the_official_dcat_ap_de_shapes(published: Path) -> None:
    for name, rdf_format in (("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")):
        catalog = rdflib.Graph().parse(published / name, format=rdf_format)
        violations = [r for r in shacl_results(catalog) if r[0] == "Violation"]
        assert violations == [], name
    catalog = rdflib.Graph().parse(published / "catalog.ttl")
    datasets = set(catalog.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert len(datasets) >= 10  # the graph, eight tables, HSDS, the vocabulary
    for dataset in datasets:
        assert catalog.value(dataset, DCATDE.contributorID) is not None
        assert catalog.value(dataset, DCT.publisher) == rdflib.URIRef(BASE + "actor/stadt-erfurt")
        assert catalog.value(dataset, DCAT.contactPoint) is not None
        assert (dataset, DCT.spatial, rdflib.URIRef(
            "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16051000")) in catalog
    contact = next(catalog.objects(None, DCAT.contactPoint))
    assert rdflib.URIRef("mailto:sozialplanung@example.org") in set(catalog.objects(contact))


def test_catalogue_names_every_file_with_size_checksum_and_url(published: Path) -> None:
    catalog = rdflib.Graph().parse(published / "catalog.ttl")
    seen = set()
    for distribution in catalog.subjects(rdflib.RDF.type, DCAT.Distribution):
        url = str(catalog.value(distribution, DCAT.downloadURL))
        assert url.startswith(SITE)
        path = published / url.removeprefix(SITE)
        seen.add(path.relative_to(published).as_posix())
        assert int(catalog.value(distribution, DCAT.byteSize)) == path.stat().st_size
        checksum = catalog.value(distribution, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest()
        assert catalog.value(distribution, DCT.license) == rdflib.URIRef(
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0")
        file_type = catalog.value(distribution, DCT.format)
        assert (file_type, SKOS.inScheme,
                rdflib.URIRef("http://publications.europa.eu/resource/authority/file-type")) in catalog
        assert str(catalog.value(distribution, DCAT.mediaType)).startswith("https://www.iana.org/assignments/")
    assert {"dumps/sozialgraph.ttl", "dumps/sozialgraph.nt.gz", "dumps/sozialgraph.jsonld", "void.ttl",
            "tables/offers.csv", "geo/spaces.geojson", "hsds/services.json", "ontology/index.html"} <= seen


def test_the_shapes_do_catch_what_is_missing(published: Path) -> None:
    """Controls: the same catalogue with a gap fails, so the zero violations above mean something."""
    catalog = rdflib.Graph().parse(published / "catalog.ttl")
    catalog.remove((None, SKOS.inScheme, rdflib.URIRef(
        "http://publications.europa.eu/resource/authority/file-type")))
    violations = [r for r in shacl_results(catalog) if r[0] == "Violation"]
    assert violations and all("dcterms:format MUSS" in message for _, _, message in violations)
    catalog = rdflib.Graph().parse(published / "catalog.ttl")
    dataset = rdflib.URIRef(SITE + "catalog#dataset-hsds")
    catalog.remove((dataset, DCT.publisher, None))
    for reach in ("hasURL", "hasEmail"):
        catalog.remove((None, rdflib.URIRef(f"http://www.w3.org/2006/vcard/ns#{reach}"), None))
    messages = {message for severity, _, message in shacl_results(catalog) if severity == "Violation"}
    assert messages == {"DE: dcat:DataService: MUSS einen dcterms:publisher haben.",  # sic, upstream wording
                        "DE: vcard:Kind: MUSS über vcard:hasEmail, vcard:hasURL oder vcard:hasTelephone verfügen."}


# --- nothing internal ---------------------------------------------------------------------------------------

def test_nothing_internal_in_any_published_byte(published: Path) -> None:
    files = list(every_file(published))
    assert len(files) > 400
    for path, data in files:
        text = data.decode("utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {path.relative_to(published)}"
        if path.relative_to(published).parts[0] != "ontology":  # the code list defines the marker itself
            assert INTERNAL_MARKER not in text and "access:internal" not in text, path
    dump = (published / "dumps" / "sozialgraph.ttl").read_text(encoding="utf-8")
    # The public rows that pointed at internal entities are published, without those links.
    assert "runder-tisch-z" in dump and "bürgerhaus-süd" in dump and "of-partner-q" in dump


def test_committee_keeps_its_public_members_only(published: Path) -> None:
    graph = rdflib.Graph().parse(published / "id" / "actor" / "runder-tisch-z.ttl")
    members = {str(o) for o in graph.objects(rdflib.URIRef(BASE + "actor/runder-tisch-z"),
                                             rdflib.URIRef("http://www.w3.org/ns/org#hasMember"))}
    assert members == {BASE + "actor/b%C3%BCrgerhaus-s%C3%BCd", BASE + "actor/awo"}


# --- dumps --------------------------------------------------------------------------------------------------

def test_turtle_dump_loads_back_with_the_same_triple_count(published: Path, tmp_path: Path) -> None:
    stated = rdflib.Graph().parse(published / "void.ttl").value(
        rdflib.URIRef(SITE + "catalog#dataset-graph"), rdflib.URIRef("http://rdfs.org/ns/void#triples"))
    store = open_store(Settings(base_uri=BASE), in_memory=True)
    dump = tmp_path / "sozialgraph.ttl"
    shutil.copy(published / "dumps" / "sozialgraph.ttl", dump)
    load_sources(store, [source_for(dump)])
    # Loading computes the space closure, the offer cells and the rows of overlaps, network-supply and
    # completeness afresh (they are not published); everything else comes from the dump.
    loaded = store.select("PREFIX sg: <https://w3id.org/sozialgraph/ontology#> SELECT (COUNT(*) AS ?n) WHERE { "
                          "?s ?p ?o FILTER (?p NOT IN (sg:withinSpace, sg:offerCell) "
                          "&& !STRSTARTS(STR(?s), 'urn:sozialgraph:')) }",
                          include_vocabulary=False).rows[0]["n"]
    assert int(loaded.value) == int(stated) > 1800
    nt = set(parse(gzip.decompress((published / "dumps" / "sozialgraph.nt.gz").read_bytes()),
                   format=RdfFormat.N_TRIPLES))
    assert len(nt) == int(stated)
    # The JSON-LD names its context by URL; with the published context file it means the same triples.
    document = json.loads((published / "dumps" / "sozialgraph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == SITE + "context.jsonld"
    document["@context"] = json.loads((published / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    jsonld = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert len(jsonld) == int(stated)
    store.close()


def test_every_iri_under_the_base_has_its_page(published: Path) -> None:
    iris = set()
    for triple in parse(path=str(published / "dumps" / "sozialgraph.ttl"), format=RdfFormat.TURTLE):
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode) and term.value.startswith(BASE):
                iris.add(term.value.split("#", 1)[0])
    assert len(iris) > 200
    for iri in iris:
        stem = published / "id" / unquote(iri.removeprefix(BASE))
        assert stem.with_name(stem.name + ".html").is_file(), iri
        page = rdflib.Graph().parse(stem.with_name(stem.name + ".ttl"), format="turtle")
        assert (rdflib.URIRef(iri), None, None) in page or iri == BASE + "dataset/indicators", iri


def test_a_plain_web_server_answers_the_iris(published: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(published))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        html = httpx.get(root + "id/offer/of-b%C3%BCrgerhaus-caf%C3%A9.html")
        assert html.status_code == 200 and "Bürgerhaus-Café für alle" in html.text
        turtle = httpx.get(root + "id/offer/of-b%C3%BCrgerhaus-caf%C3%A9.ttl")
        graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
        provider = graph.value(rdflib.URIRef(BASE + "offer/of-b%C3%BCrgerhaus-caf%C3%A9"),
                               rdflib.URIRef("https://w3id.org/sozialgraph/ontology#provider"))
        assert str(provider) == BASE + "actor/b%C3%BCrgerhaus-s%C3%BCd"
        index = httpx.get(root + "index.html")
        assert index.status_code == 200 and "catalog.ttl" in index.text
    finally:
        server.shutdown()
        server.server_close()


def test_csv_per_class_with_the_planners_columns(published: Path, tmp_path: Path) -> None:
    text = (published / "tables" / "offers.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_id = {row["id"]: row for row in rows}
    cafe = by_id["of-bürgerhaus-café"]
    assert cafe["provider"] == "bürgerhaus-süd" and cafe["provider_label"] == "Bürgerhaus Süd e. V."
    assert cafe["target_groups"] == "familien;senioren"
    assert cafe["target_groups_label"] == "Familien;Seniorinnen und Senioren"
    assert (cafe["lat"], cafe["lon"]) == ("50.9871", "11.0412")
    assert by_id["of-partner-q"]["provider"] == ""  # its provider is internal
    # The published tables are the planners' input format: they load again into an empty store.
    store = open_store(Settings(base_uri=BASE), in_memory=True)
    copies = []
    for path in sorted((published / "tables").glob("*.csv")):
        copies.append(tmp_path / path.name)
        shutil.copy(path, copies[-1])
    load_sources(store, [source_for(path) for path in copies])
    assert store.select("PREFIX sg: <https://w3id.org/sozialgraph/ontology#> "
                        "SELECT (COUNT(*) AS ?n) WHERE { ?o a sg:Offer }").rows[0]["n"].value == str(len(rows))
    store.close()


def test_geojson_of_the_spaces_in_wgs84(published: Path) -> None:
    collection = json.loads((published / "geo" / "spaces.geojson").read_text(encoding="utf-8"))
    features = {f["properties"]["id"]: f for f in collection["features"]}
    assert collection["type"] == "FeatureCollection" and len(features) == 39
    assert features["erfurt"]["geometry"]["type"] == "Polygon"  # from data/erfurt/spaces.geojson
    assert features["erfurt"]["properties"]["code"] == "16051000"
    assert features["testraum-wgs84"]["geometry"]["coordinates"][0][0] == [11.0, 50.96]
    lon, lat = features["testraum-utm"]["geometry"]["coordinates"]  # given in UTM 32N, published as lon/lat
    assert 11.0 < lon < 11.1 and 50.9 < lat < 51.1
    assert features["testraum-utm"]["properties"]["parent_label"] == "Sozialraum Mitte"


# --- HSDS ---------------------------------------------------------------------------------------------------

@functools.cache
def hsds_validator(schema: str) -> Draft202012Validator:
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in HSDS_SCHEMAS.glob("*.json"))
    return Draft202012Validator(json.loads((HSDS_SCHEMAS / schema).read_text()), registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


HSDS_FILES = {
    "services.json": "compiled/service_with_definitions.json",
    "organizations.json": "organization.json",
    "locations.json": "location.json",
    "service_at_locations.json": "service_at_location.json",
    "taxonomy_terms.json": "taxonomy_term.json",
    "taxonomies.json": "taxonomy.json",
}


def test_hsds_files_pass_the_hsds_schemas(published: Path) -> None:
    for name, schema in HSDS_FILES.items():
        records = json.loads((published / "hsds" / name).read_text(encoding="utf-8"))
        assert records, name
        for record in records:
            errors = [error.message for error in hsds_validator(schema).iter_errors(record)]
            assert errors == [], (name, record.get("id"))
    bad = dict(json.loads((published / "hsds" / "services.json").read_text(encoding="utf-8"))[0], id="of-1")
    assert list(hsds_validator(HSDS_FILES["services.json"]).iter_errors(bad))  # format checking is on


def test_hsds_ids_are_uuids_of_the_iris_and_link_up(published: Path) -> None:
    def load(name: str) -> list[dict[str, object]]:
        return json.loads((published / "hsds" / name).read_text(encoding="utf-8"))

    services = {s["id"]: s for s in load("services.json")}
    organizations = {o["id"]: o for o in load("organizations.json")}
    cafe = next(s for s in services.values() if s["name"] == "Bürgerhaus-Café für alle")
    assert cafe["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, BASE + "offer/of-b%C3%BCrgerhaus-caf%C3%A9"))
    assert organizations[cafe["organization_id"]]["name"] == "Bürgerhaus Süd e. V."  # type: ignore[index]
    codes = {a["taxonomy_term"]["code"] for a in cafe["attributes"]}  # type: ignore[union-attr,index]
    assert codes == {"HF6", "senioren", "familien", "begegnungsstaette"}
    partner = next(s for s in services.values() if s["name"] == "Beratung mit Partnerstelle")
    assert "organization_id" not in partner and partner["status"] == "inactive"
    locations = {loc["id"]: loc for loc in load("locations.json")}
    links = [link for link in load("service_at_locations.json") if link["service_id"] == cafe["id"]]
    location = locations[links[0]["location_id"]]
    assert (location["latitude"], location["longitude"]) == (50.9871, 11.0412)
    assert location["addresses"][0]["postal_code"] == "99085"  # type: ignore[index]
    assert location["addresses"][0]["state_province"] == "Thüringen"  # type: ignore[index]


# --- ontology -----------------------------------------------------------------------------------------------

def test_every_sg_term_in_the_dump_is_documented(published: Path) -> None:
    ontology = rdflib.Graph().parse(published / "ontology" / "sozialgraph.ttl")
    codes = rdflib.Graph().parse(published / "ontology" / "codes.ttl")
    defined = {str(s) for s in ontology.subjects()} | {str(s) for s in codes.subjects()}
    used = set()
    for triple in parse(path=str(published / "dumps" / "sozialgraph.ttl"), format=RdfFormat.TURTLE):
        for term in (triple.predicate, triple.object):
            if isinstance(term, NamedNode) and term.value.startswith("https://w3id.org/sozialgraph/"):
                used.add(term.value)
    assert used and used <= defined, sorted(used - defined)
    html = (published / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "pyLODE" in html and "Träger" in html and "https://w3id.org/sozialgraph/ontology#Provider" in html
    assert "Seniorinnen und Senioren" in (published / "ontology" / "codes.html").read_text(encoding="utf-8")
    for path, data in every_file(published):
        if path.suffix == ".html":
            assert b"<script src=\"http" not in data and b"stylesheet\" href=\"http" not in data, path


# --- check --------------------------------------------------------------------------------------------------

def test_check_passes_a_fresh_publication(published: Path) -> None:
    report = check_publication(published)
    assert report.problems == []


def test_check_names_what_was_changed_after_publishing(published: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    with (copy / "tables" / "needs.csv").open("ab") as stream:
        stream.write(b"x\r\n")
    (copy / "id" / "space" / "sr-west.html").unlink()
    page = copy / "id" / "offer" / "of-thekiz-altstadt.ttl"
    page.write_text(page.read_text(encoding="utf-8") + f"\n<{BASE}offer/of-thekiz-altstadt> "
                    "<https://w3id.org/sozialgraph/ontology#access> "
                    "<https://w3id.org/sozialgraph/code/access/internal> .\n", encoding="utf-8")
    services = json.loads((copy / "hsds" / "services.json").read_text(encoding="utf-8"))
    services[0]["url"] = "kein Link"
    (copy / "hsds" / "services.json").write_text(json.dumps(services), encoding="utf-8")
    result = run_cli("publish", "--check", str(copy), store=tmp_path / "unused")
    assert result.returncode == 1
    err = result.stderr
    assert "tables/needs.csv: SHA-256-Prüfsumme stimmt nicht" in err
    assert "id/space/sr-west.html fehlt" in err
    assert "id/offer/of-thekiz-altstadt.ttl:" in err and "intern markiert" in err
    assert "hsds/services.json, Eintrag 1" in err and "Feld url" in err
    assert "Prüfung nicht bestanden" in err
    nowhere = run_cli("publish", "--check", str(tmp_path / "gibt-es-nicht"), store=tmp_path / "unused")
    assert nowhere.returncode == 1 and "den Ordner gibt es nicht" in nowhere.stderr


# --- command line -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    run_cli("load", str(FIXTURES.parent.parent / "data" / "erfurt"), store=store, check=True)
    return store


def test_cli_publishes_the_example_and_the_check_passes(cli_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "veröffentlichung"
    result = run_cli("publish", str(out), "--base-uri", BASE, "--licence", "dl-zero-de/2.0",
                     "--contributor-id", "stadtErfurt", store=cli_store)
    assert result.returncode == 0, result.stderr
    assert "Veröffentlicht nach" in result.stdout and "Zurückgehalten: 4 interne Einträge" in result.stdout
    catalog = rdflib.Graph().parse(out / "catalog.ttl")
    assert set(catalog.objects(None, DCT.license)) == {
        rdflib.URIRef("http://dcat-ap.de/def/licenses/dl-zero-de/2.0")}
    assert shacl_results(catalog) == []  # with the contributor id given, not even a warning
    check = run_cli("publish", "--check", str(out), store=cli_store)
    assert check.returncode == 0, check.stderr
    assert "Prüfung bestanden" in check.stdout


def test_cli_refuses_bad_options_in_german(cli_store: Path, tmp_path: Path) -> None:
    licence = run_cli("publish", str(tmp_path / "a"), "--base-uri", BASE, "--licence", "MIT", store=cli_store)
    assert licence.returncode == 2
    assert "--licence 'MIT' steht nicht in der Lizenzliste" in licence.stderr and "dl-by-de/2.0" in licence.stderr
    missing = run_cli("publish", str(tmp_path / "a"), store=cli_store)
    assert missing.returncode == 2 and "--base-uri fehlt" in missing.stderr
    assert not (tmp_path / "a").exists()
    foreign = tmp_path / "meine-dateien"
    foreign.mkdir()
    (foreign / "wichtig.txt").write_text("bitte behalten")
    refused = run_cli("publish", str(foreign), "--base-uri", BASE, store=cli_store)
    assert refused.returncode == 2 and "nicht leer" in refused.stderr
    assert [p.name for p in foreign.iterdir()] == ["wichtig.txt"]


def test_publish_refuses_a_base_or_publisher_it_cannot_use(tmp_path: Path) -> None:
    store = build_store()
    with pytest.raises(SozialgraphError, match="muss auf /id/ enden"):
        publish(store, tmp_path / "a", PublishOptions(base_uri="https://x.de/daten/"))
    with pytest.raises(SozialgraphError, match="kein öffentlicher Akteur mit dieser Id"):
        publish(store, tmp_path / "a", PublishOptions(base_uri=BASE, publisher="geheimrat-x9"))
    assert not (tmp_path / "a").exists() and list(tmp_path.iterdir()) == []
    store.close()


def test_publishing_again_replaces_the_folder_and_a_failure_keeps_it(published: Path, tmp_path: Path) -> None:
    target = tmp_path / "open-data"
    shutil.copytree(published, target)
    (target / "hsds" / "services.json").write_text("[]", encoding="utf-8")  # an outdated earlier publication
    store = build_store()
    publish(store, target, PublishOptions(base_uri=BASE))
    store.close()
    assert len(json.loads((target / "hsds" / "services.json").read_text(encoding="utf-8"))) == 44
    # Unchanged data gives byte-identical dumps, so checksums in the portal change only when the data does.
    for name in ("dumps/sozialgraph.ttl", "dumps/sozialgraph.nt.gz", "tables/offers.csv", "hsds/services.json"):
        assert (target / name).read_bytes() == (published / name).read_bytes(), name
    before = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    empty = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    with pytest.raises(SozialgraphError, match="Wer veröffentlicht"):
        publish(empty, target, PublishOptions(base_uri=BASE))  # an empty store has no municipality
    empty.close()
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["open-data"]


def test_moving_the_base_changes_subjects_and_objects_but_never_literals() -> None:
    """The public graph moves IRIs to the published base on N-Triples text; a literal quoting an entity's IRI
    (say, in a description) must reach the publication unchanged."""
    source, target = "https://sozialgraph.example/id/", "https://daten.example.de/sozialgraph/id/"
    text = (
        f'<{source}offer/of-1> <http://purl.org/dc/terms/description> "siehe <{source}offer/of-2> ." .\n'
        f"<{source}offer/of-1> <https://w3id.org/sozialgraph/ontology#provider> <{source}actor/t-1> .\n"
        f"_:b1 <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{source}offer/of-1#geometry> .\n"
        f'<https://example.org/other> <http://purl.org/dc/terms/title> "<{source}x> <{source}y>"@de .\n'
    )
    moved = move_base(text.encode("utf-8"), source, target).decode("utf-8")
    triples = {(str(t.subject), str(t.predicate), str(t.object))
               for t in parse(moved.encode("utf-8"), format=RdfFormat.N_TRIPLES)}
    assert (f"<{target}offer/of-1>", "<http://purl.org/dc/terms/description>",
            f'"siehe <{source}offer/of-2> ."') in triples
    assert (f"<{target}offer/of-1>", "<https://w3id.org/sozialgraph/ontology#provider>",
            f"<{target}actor/t-1>") in triples
    assert any(o == f"<{target}offer/of-1#geometry>" for _, _, o in triples)
    assert ("<https://example.org/other>", "<http://purl.org/dc/terms/title>",
            f'"<{source}x> <{source}y>"@de') in triples
    assert len(triples) == 4
