"""The SPARQL 1.1 Protocol endpoint: GET and POST, every result format, read-only, no SERVICE."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from sozialgraph.store import GraphStore
from tests.webapp_support import READER_AUTH, client_for

COUNT_OFFERS = """PREFIX sg: <https://w3id.org/sozialgraph/ontology#>
SELECT (COUNT(DISTINCT ?offer) AS ?n) WHERE { ?offer a sg:Offer }"""
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?label WHERE {
  ?entity rdfs:label ?label FILTER (STRSTARTS(STR(?entity), "https://sozialgraph.example/id/offer/of-k"))
}
ORDER BY ?entity"""
ASK_INTERNAL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { ?offer rdfs:label ?label FILTER (STR(?label) = "Krisenwohnung für Jugendliche") }"""
CONSTRUCT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s rdfs:label ?label }
WHERE { ?s a <https://w3id.org/sozialgraph/ontology#SocialSpace> ; rdfs:label ?label }"""
DESCRIBE = "DESCRIBE <https://sozialgraph.example/id/space/sr-mitte>"


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


def _count(answer_json: dict[str, object]) -> int:
    return int(answer_json["results"]["bindings"][0]["n"]["value"])  # type: ignore[index]


def test_get_select_as_sparql_json(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": COUNT_OFFERS})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json"
    assert _count(answer.json()) == 42  # 44 offers in offers.csv, 2 of them internal


def test_post_form_and_direct_body_give_the_same_answer(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": COUNT_OFFERS})
    direct = client.post("/sparql", content=COUNT_OFFERS.encode(),
                         headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert form.status_code == direct.status_code == 200
    assert _count(form.json()) == _count(direct.json()) == 42


def test_token_widens_the_dataset_to_internal_graphs(client: TestClient) -> None:
    assert _count(client.get("/sparql", params={"query": COUNT_OFFERS}, headers=READER_AUTH).json()) == 44
    public = client.get("/sparql", params={"query": ASK_INTERNAL}).json()
    reader = client.get("/sparql", params={"query": ASK_INTERNAL}, headers=READER_AUTH).json()
    assert public == {"head": {}, "boolean": False}
    assert reader["boolean"] is True


def test_from_and_graph_cannot_reach_internal_graphs(client: TestClient, erfurt_store: GraphStore) -> None:
    internal = [info for info in erfurt_store.graphs() if info.internal]
    assert internal

    def count(query: str) -> int:
        answer = client.get("/sparql", params={"query": query})
        assert answer.status_code == 200
        return _count(answer.json())

    everything = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    for info in internal:
        version = info.version.value
        assert count(f"SELECT (COUNT(*) AS ?n) FROM <{version}> WHERE {{ ?s ?p ?o }}") == everything
        assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{version}> {{ ?s ?p ?o }} }}") == 0
        named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{version}> WHERE {{ GRAPH <{version}> {{ ?s ?p ?o }} }}"
        assert count(named) == 0
    graphs = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}).json()
    seen = {binding["g"]["value"] for binding in graphs["results"]["bindings"]}
    assert seen and not seen & {info.version.value for info in internal}


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_in_every_result_format(client: TestClient, accept: str, media: str) -> None:
    answer = client.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        entities = {row["entity"] for row in rows}
        labels = {row["label"] for row in rows}
    else:
        results_format = {"application/sparql-results+json": QueryResultsFormat.JSON,
                          "application/sparql-results+xml": QueryResultsFormat.XML,
                          "text/tab-separated-values": QueryResultsFormat.TSV}[media]
        solutions = list(parse_query_results(answer.content, results_format))  # type: ignore[arg-type]
        entities = {solution["entity"].value for solution in solutions}  # type: ignore[union-attr]
        labels = {solution["label"].value for solution in solutions}  # type: ignore[union-attr]
    assert len(entities) == len(labels) > 0
    assert all(entity.startswith("https://sozialgraph.example/id/offer/of-k") for entity in entities)
    assert "Krisenwohnung für Jugendliche" not in labels  # internal


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_in_json_and_xml(client: TestClient, accept: str) -> None:
    query = "ASK { <https://sozialgraph.example/id/space/sr-mitte> ?p ?o }"
    answer = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200
    fmt = QueryResultsFormat.JSON if "json" in accept else QueryResultsFormat.XML
    assert bool(parse_query_results(answer.content, fmt)) is True


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
])
def test_construct_and_describe_in_every_rdf_format(client: TestClient, accept: str, rdf_format: RdfFormat) -> None:
    construct = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert construct.status_code == 200
    assert construct.headers["content-type"].startswith(accept)
    labels = {t.object.value for t in parse(construct.content, format=rdf_format)}
    assert "Sozialraum Mitte" in labels and "Altstadt" in labels
    describe = client.get("/sparql", params={"query": DESCRIBE}, headers={"Accept": accept})
    assert describe.status_code == 200
    subjects = {t.subject.value for t in parse(describe.content, format=rdf_format)}
    assert "https://sozialgraph.example/id/space/sr-mitte" in subjects


UPDATE = "INSERT DATA { <https://sozialgraph.example/id/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" }"


@pytest.mark.parametrize("request_kind", ["get-query", "get-update", "post-form-query", "post-form-update",
                                          "post-sparql-update", "load", "prefixed-delete"])
def test_updates_are_refused_and_change_nothing(client: TestClient, erfurt_store: GraphStore,
                                                request_kind: str) -> None:
    before = erfurt_store.triple_count()
    if request_kind == "get-query":
        answer = client.get("/sparql", params={"query": UPDATE})
    elif request_kind == "get-update":
        answer = client.get("/sparql", params={"update": UPDATE})
    elif request_kind == "post-form-query":
        answer = client.post("/sparql", data={"query": UPDATE})
    elif request_kind == "post-form-update":
        answer = client.post("/sparql", data={"update": UPDATE})
    elif request_kind == "post-sparql-update":
        answer = client.post("/sparql", content=UPDATE.encode(), headers={"Content-Type": "application/sparql-update"})
    elif request_kind == "load":
        answer = client.post("/sparql", data={"query": "LOAD <http://127.0.0.1:1/x.ttl>"})
    else:
        answer = client.get("/sparql", params={"query": "PREFIX ex: <http://e/> # SELECT\nDELETE WHERE { ?s ?p ?o }"})
    assert answer.status_code == 403
    assert "nur lesend" in answer.json()["detail"]
    assert erfurt_store.triple_count() == before
    assert _count(client.get("/sparql", params={"query": COUNT_OFFERS}).json()) == 42


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVIC\\u0045 <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } }",
])
def test_service_is_refused(client: TestClient, query: str) -> None:
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 400
    assert "SERVICE" in answer.json()["detail"]


def test_service_inside_strings_iris_and_comments_is_no_service(client: TestClient) -> None:
    query = ('PREFIX service: <http://example.org/service#>\n'
             'SELECT ("SERVICE <x> {}" AS ?text) WHERE { OPTIONAL { ?s service:SERVICE ?o } } # SERVICE')
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"][0]["text"]["value"] == "SERVICE <x> {}"


@pytest.mark.parametrize(("method", "kwargs", "status", "words"), [
    ("get", {"params": {"query": "SELECT * WHERE { ?s ?p "}}, 400, "fehlerhaft"),
    ("get", {"params": {"query": "hallo welt"}}, 400, "keine SPARQL-Abfrage"),
    ("get", {"params": {"query": "   "}}, 400, "leer"),
    ("get", {}, 400, "'query' fehlt"),
    ("get", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "mehrfach"),
    ("get", {"params": {"query": "ASK {}", "default-graph-uri": "http://x"}}, 400, "default-graph-uri"),
    ("post", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "sparql-query"),
    ("post", {"data": {"anfrage": "ASK {}"}}, 400, "'query'"),
    ("post", {"content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
    ("get", {"params": {"query": COUNT_OFFERS}, "headers": {"Accept": "image/png"}}, 406, "sparql-results+json"),
    ("get", {"params": {"query": CONSTRUCT}, "headers": {"Accept": "text/csv"}}, 406, "text/turtle"),
])
def test_bad_requests_get_german_4xx(client: TestClient, method: str, kwargs: dict[str, object], status: int,
                                     words: str) -> None:
    answer = getattr(client, method)("/sparql", **kwargs)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["detail"]


def test_browser_without_query_is_sent_to_the_editor(client: TestClient) -> None:
    answer = client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sparql-editor"


def test_unicode_labels_survive_every_format(client: TestClient) -> None:
    query = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { '
             '<https://sozialgraph.example/id/space/st-loebervorstadt> rdfs:label ?label }')
    url = "/sparql?query=" + quote(query)
    assert json.loads(client.get(url).content)["results"]["bindings"][0]["label"]["value"] == "Löbervorstadt"
    assert "Löbervorstadt" in client.get(url, headers={"Accept": "text/csv"}).text
    assert "Löbervorstadt" in client.get(url, headers={"Accept": "application/sparql-results+xml"}).text
