"""The public SPARQL endpoint under load it was not built for: a deadline, a row cap, a few queries at a time.

The expensive queries are cross products over a small store of generated triples.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.store import GraphContent, GraphStore
from tests.webapp_support import client_for

P = "https://sozialgraph.example/test/p"
STREAMING_CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""Rows come one by one (hundreds of millions of them): stoppable between rows."""
COUNTING_CROSS = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?x . ?b <{P}> ?y . ?c <{P}> ?z }}"
"""COUNT reads the whole cross product (27 million rows, several seconds) before its one row: not stoppable."""
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def store(memory_store: GraphStore) -> GraphStore:
    triples = [Triple(NamedNode(f"https://sozialgraph.example/test/{i}"), NamedNode(P), Literal(str(i)))
               for i in range(300)]
    memory_store.replace([GraphContent("test/kreuz", triples)])
    return memory_store


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    with client_for(store, sparql_timeout=0.5, sparql_max_rows=1_000_000_000, sparql_concurrency=1) as client:
        yield client


def _ask(client: TestClient) -> int:
    return client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=SPARQL_JSON).status_code


def _until_free(client: TestClient, seconds: float = 60) -> int:
    """Status of a cheap query once the one slot is free again (503 while the slot is still taken)."""
    deadline = time.monotonic() + seconds
    while (status := _ask(client)) == 503 and time.monotonic() < deadline:
        time.sleep(0.1)
    return status


def test_a_streaming_cross_product_is_stopped_at_the_deadline(client: TestClient) -> None:
    answer = client.post("/sparql", content=STREAMING_CROSS, headers={
        **SPARQL_JSON, "Content-Type": "application/sparql-query"})
    assert answer.status_code == 503
    assert "länger als 0.5 Sekunden" in answer.json()["detail"]
    assert answer.headers["Retry-After"].isdigit()
    # the evaluation noticed the deadline and ended: the only slot is free for the next query
    assert _until_free(client, seconds=10) == 200


def test_a_blocking_aggregate_answers_503_and_holds_its_slot_until_it_ends(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": COUNTING_CROSS}, headers=SPARQL_JSON)
    assert answer.status_code == 503 and "abgebrochen" in answer.json()["detail"]
    # pyoxigraph cannot cancel the COUNT: it runs on in its slot, so the next query is turned away, not queued
    busy = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=SPARQL_JSON)
    assert busy.status_code == 503
    assert "zu viele SPARQL-Abfragen" in busy.json()["detail"] and busy.headers["Retry-After"].isdigit()
    assert _until_free(client) == 200


def test_too_many_rows_is_a_clear_400_and_limit_gets_a_page(store: GraphStore) -> None:
    with client_for(store, sparql_max_rows=100) as client:
        whole = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=SPARQL_JSON)
        assert whole.status_code == 400 and "mehr als 100 Zeilen" in whole.json()["detail"]
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                           headers={"Accept": "text/turtle"})
        assert graph.status_code == 400 and "LIMIT" in graph.json()["detail"]
        page = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 100"}, headers=SPARQL_JSON)
        assert page.status_code == 200 and len(page.json()["results"]["bindings"]) == 100


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.settings import WebSettings
    from sozialgraph.config import Settings

    monkeypatch.setenv("SOZIALGRAPH_SPARQL_TIMEOUT", "2.5")
    monkeypatch.setenv("SOZIALGRAPH_SPARQL_MAX_ROWS", "5000")
    monkeypatch.setenv("SOZIALGRAPH_SPARQL_CONCURRENCY", "2")
    settings = WebSettings.from_settings(Settings())
    assert (settings.sparql_timeout, settings.sparql_max_rows, settings.sparql_concurrency) == (2.5, 5000, 2)
    monkeypatch.delenv("SOZIALGRAPH_SPARQL_TIMEOUT")
    assert WebSettings.from_settings(Settings()).sparql_timeout == 10.0
