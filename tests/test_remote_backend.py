"""The remote backend against real servers (Oxigraph server and Virtuoso): what goes in comes out, queries see
exactly the current graphs, old versions disappear, and every failure is one German sentence naming the server."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize
from rdflib import Graph
from rdflib.compare import isomorphic

from sozialgraph.config import Settings
from sozialgraph.errors import SozialgraphError
from sozialgraph.namespaces import XSD
from sozialgraph.store import GraphContent, GraphStore, open_store
from sozialgraph.store.remote import RemoteBackend
from tests.conftest import run_cli
from tests.sparql_servers import Server, free_port

pytestmark = pytest.mark.server

EX = "http://example.org/"
GEO_WKT = NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")


def fresh_base() -> str:
    """Each test writes under its own base IRI, so tests sharing one server never see each other's graphs."""
    return f"https://test.sozialgraph.example/{uuid.uuid4().hex}/"


@pytest.fixture
def remote(server: Server) -> Iterator[GraphStore]:
    store = open_store(server.settings(base_uri=fresh_base()))
    yield store
    store.close()


def tricky_triples() -> list[Triple]:
    s, p = NamedNode(EX + "s"), NamedNode(EX + "p")
    node, other = BlankNode(), BlankNode()
    literals = [
        Literal("Straße, Größe, Übergänge: ÄÖÜ äöü ß €"),
        Literal('Anführungszeichen " und \\ und\nZeilenumbruch\tTab'),
        Literal("Familienzentrum", language="de"),
        Literal("family centre", language="en-gb"),
        Literal("2024-02-29", datatype=XSD.date),
        Literal("2024-05-01T08:30:00Z", datatype=XSD.dateTime),
        Literal("1.5", datatype=XSD.decimal),
        Literal("123456789012345678", datatype=XSD.integer),
        Literal("true", datatype=XSD.boolean),
        Literal("POINT(11.0289 50.9781)", datatype=GEO_WKT),
        Literal("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON ((11.1234567 50.1, 11.2 50.1, 11.2 50.2, "
                "11.1234567 50.1))", datatype=GEO_WKT),
        Literal("x" * 5000),
        Literal("Smileys 😀 und Zeichen jenseits der BMP 𝔘"),
        Literal("-42", datatype=XSD.integer),
        Literal("1.0E3", datatype=XSD.double),
        Literal("2.5", datatype=XSD.float),
        Literal("2023", datatype=XSD.gYear),
    ]
    triples = [Triple(s, p, literal) for literal in literals]
    triples += [Triple(NamedNode(f"{EX}offer/{i}"), p, Literal(str(i), datatype=XSD.integer)) for i in range(60)]
    # Blank nodes that link to each other must stay one node each, whatever the chunking.
    triples += [Triple(s, NamedNode(EX + "has"), node), Triple(node, NamedNode(EX + "next"), other),
                Triple(other, p, Literal("Ende"))]
    return triples


def as_rdflib(triples: list[Triple]) -> Graph:
    graph = Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return graph


def test_every_term_comes_back_as_the_embedded_store_keeps_it(remote: GraphStore) -> None:
    assert isinstance(remote.backend, RemoteBackend)
    remote.backend.chunk_size = 7  # many requests, so chunking and blank-node scoping are exercised
    embedded = open_store(Settings(base_uri=remote.base_uri), in_memory=True)
    for store in (remote, embedded):
        store.replace([GraphContent("tricky.ttl", tricky_triples())])
    on_server = [q.triple for q in remote.quads(include_vocabulary=False)]
    locally = [q.triple for q in embedded.quads(include_vocabulary=False)]
    assert len(on_server) == len(tricky_triples())
    assert isomorphic(as_rdflib(on_server), as_rdflib(locally))
    info = next(graph for graph in remote.graphs() if graph.name == "tricky.ttl")
    assert info.name == "tricky.ttl" and info.triples == len(tricky_triples())
    dumped = []  # what a publication reads: the graphs as N-Triples text
    for store in (remote, embedded):
        text = io.BytesIO()
        store.dump_ntriples(text, include_vocabulary=False)
        dumped.append(list(parse(text.getvalue(), format=RdfFormat.N_TRIPLES)))
    assert isomorphic(as_rdflib(dumped[0]), as_rdflib(locally)) and isomorphic(as_rdflib(dumped[1]), as_rdflib(locally))
    embedded.close()


def test_both_write_methods_write_the_same_graph(remote: GraphStore) -> None:
    backend = remote.backend
    assert isinstance(backend, RemoteBackend)
    graphs = {}
    for method in ("gsp", "update"):
        backend.write_method = method
        backend.chunk_size = 25
        graph = NamedNode(f"{remote.base_uri}graph/method-{method}/v/1")
        assert backend.write_graph(graph, tricky_triples()) == len(tricky_triples())
        graphs[method] = list(backend.graph_triples(graph))
        assert backend.count(graph) == len(tricky_triples())
        backend.drop_graph(graph)
    assert isomorphic(as_rdflib(graphs["gsp"]), as_rdflib(graphs["update"]))


def test_queries_see_exactly_the_graphs_they_name(remote: GraphStore) -> None:
    backend = remote.backend
    first, second = (NamedNode(f"{remote.base_uri}graph/x{i}/v/1") for i in (1, 2))
    backend.write_graph(first, [Triple(NamedNode(EX + "a"), NamedNode(EX + "p"), Literal("eins"))])
    backend.write_graph(second, [Triple(NamedNode(EX + "b"), NamedNode(EX + "p"), Literal("zwei"))])
    query = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
    assert [r["o"].value for r in backend.select(query, [first]).rows] == ["eins"]
    assert sorted(r["o"].value for r in backend.select(query, [first, second]).rows) == ["eins", "zwei"]
    # No graph named must mean nothing visible: Virtuoso would otherwise read every graph on the server.
    assert backend.select(query, []).rows == []
    # A long query goes by POST and must carry the same dataset.
    padded = "# " + "x" * 3000 + "\n" + query
    assert [r["o"].value for r in backend.select(padded, [second]).rows] == ["zwei"]
    named = backend.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", [second]).rows
    assert {row["g"].value for row in named} == {second.value}
    assert backend.ask("ASK { ?s ?p \"zwei\" }", [second]) and not backend.ask("ASK { ?s ?p \"zwei\" }", [first])
    built = backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", [first])
    assert [t.object for t in built] == [Literal("eins")]
    assert {first.value, second.value} <= {g.value for g in backend.graph_names()}
    for graph in (first, second):
        backend.drop_graph(graph)
    assert not {first.value, second.value} & {g.value for g in backend.graph_names()}
    backend.drop_graph(first)  # dropping what is gone is no error


def test_replacing_a_graph_leaves_only_its_newest_version(remote: GraphStore) -> None:
    identifier = NamedNode("http://purl.org/dc/terms/identifier")
    first, second = (Triple(NamedNode(EX + name), identifier, Literal(name)) for name in ("sr1", "sr2"))
    old = remote.replace([GraphContent("spaces.csv", [first])])[0]
    new = remote.replace([GraphContent("spaces.csv", [first, second])])[0]
    assert new.version != old.version and new.triples == 2
    physical = {g.value for g in remote.backend.graph_names() if g.value.startswith(remote.base_uri)}
    assert old.version.value not in physical and new.version.value in physical
    meta = list(remote.backend.graph_triples(remote.meta_graph))
    assert not [t for t in meta if old.version in (t.subject, t.object)], "facts about the old version must go"
    assert remote.drop(["spaces.csv"]) == ["spaces.csv"]
    assert [g.name for g in remote.graphs()] == ["_vocabulary"]
    # Other tests' stores on the same server keep their own graphs; this store's must be gone.
    ours = [g.value for g in remote.backend.graph_names() if g.value.startswith(remote.base_uri)]
    assert not [name for name in ours if "spaces.csv" in name]


def test_commit_is_one_request_for_many_graphs(remote: GraphStore) -> None:
    backend = remote.backend
    quads = [Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal(str(i)), NamedNode(f"{remote.base_uri}c{i % 3}"))
             for i in range(9)]
    backend.commit(quads)
    assert [backend.count(NamedNode(f"{remote.base_uri}c{i}")) for i in range(3)] == [3, 3, 3]
    backend.remove_quads(quads)
    assert [backend.count(NamedNode(f"{remote.base_uri}c{i}")) for i in range(3)] == [0, 0, 0]


def test_an_unreachable_server_is_one_german_sentence(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    settings = Settings(endpoint=f"http://127.0.0.1:{port}/query", update_endpoint=f"http://127.0.0.1:{port}/update")
    with pytest.raises(SozialgraphError) as caught:
        open_store(settings)
    assert f"http://127.0.0.1:{port}/query" in caught.value.message and "nicht erreichbar" in caught.value.message
    result = run_cli("--server", "oxigraph", f"http://127.0.0.1:{port}", "info", store=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Fehler: Der SPARQL-Server http://127.0.0.1:{port}/query ist nicht erreichbar")
    assert "Traceback" not in result.stderr


def test_wrong_password_is_named(virtuoso_server: Server) -> None:
    with pytest.raises(SozialgraphError) as caught:
        open_store(virtuoso_server.settings(base_uri=fresh_base(), password="falsch"))
    assert "HTTP 401" in caught.value.message and "SOZIALGRAPH_PASSWORD" in caught.value.message
    assert re.match(rf"Der SPARQL-Server {virtuoso_server.base_url}/sparql(-graph-crud)?-auth verlangt eine "
                    r"Anmeldung oder lehnt sie ab \(HTTP 401, ", caught.value.message)


def test_virtuoso_row_limit_is_reported_not_silently_cut(virtuoso_server: Server) -> None:
    """A default Virtuoso answers at most 10000 rows; an export must say so rather than write a shortened file."""
    store = open_store(virtuoso_server.settings(base_uri=fresh_base()))
    many = [Triple(NamedNode(f"{EX}n{i}"), NamedNode(EX + "p"), Literal(str(i))) for i in range(10_500)]
    store.replace([GraphContent("big.nt", many)])
    assert next(g for g in store.graphs() if g.name == "big.nt").triples == 10_500
    with pytest.raises(SozialgraphError, match="ResultSetMaxRows"):
        list(store.quads())
    with pytest.raises(SozialgraphError, match="höchstens 10000 Zeilen"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")
    store.drop(["big.nt"])
    store.close()


def test_server_shortcut_names_the_allowed_kinds(tmp_path: Path) -> None:
    result = run_cli("--server", "blazegraph", "http://127.0.0.1:1", "info", store=tmp_path)
    assert result.returncode == 2
    assert "unbekannte Server-Art 'blazegraph'" in result.stderr and "virtuoso" in result.stderr
