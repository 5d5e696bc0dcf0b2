"""The same data on the embedded store, an Oxigraph server and Virtuoso gives the same answers: every saved query
(the whole catalogue, so queries added later are covered), the completeness check, `info` and the export."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from pyoxigraph import NamedNode, RdfFormat, serialize
from rdflib import Graph
from rdflib.compare import isomorphic

from bench.examples import ERFURT_ENTITIES, example_values
from loaders import load_sources, source_for
from sozialgraph.catalog import Catalog, SavedQuery, Value
from sozialgraph.config import Settings
from sozialgraph.stats import info
from sozialgraph.store import GraphStore, open_store
from sozialgraph.validation import validate_store
from tests.conftest import erfurt_files
from tests.sparql_servers import Server

pytestmark = pytest.mark.server

SERVERS = ("oxigraph", "virtuoso")
CATALOG = Catalog()


@pytest.fixture(scope="module")
def stores(oxigraph_server: Server, virtuoso_server: Server) -> Iterator[dict[str, GraphStore]]:
    """data/erfurt loaded three times, under one base IRI of its own (the servers are shared with other tests)."""
    base = f"https://equal.sozialgraph.example/{uuid.uuid4().hex}/"
    opened = {
        "embedded": open_store(Settings(base_uri=base), in_memory=True),
        "oxigraph": open_store(oxigraph_server.settings(base_uri=base)),
        "virtuoso": open_store(virtuoso_server.settings(base_uri=base)),
    }
    for store in opened.values():
        load_sources(store, [source_for(path) for path in erfurt_files()])
    yield opened
    for store in opened.values():
        store.close()


def required_values(query: SavedQuery) -> dict[str, str]:
    """An id of the example for each entity kind, a code with data behind it (bench/examples.py)."""
    return example_values(query, ERFURT_ENTITIES)


def normal(value: Value) -> object:
    """Only the spelling of numbers may differ (2 and 2.0, xsd:int and xsd:integer); everything else must match."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(round(value, 9))).normalize()


def ordered(query: SavedQuery) -> bool:
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    return re.search(r"\bORDER\s+BY\b", body, re.IGNORECASE) is not None


# A second run for queries with these parameters, so their other branches (a municipality given, a window the
# example has dates in) are compared too.
VARIANTS = {"municipality": "erfurt", "since": "2015-01-01"}


def cases() -> list[tuple[str, str]]:
    found = [(query.name, "default") for query in CATALOG.queries()]
    found += [(query.name, "variant") for query in CATALOG.queries()
              if any(param.name in VARIANTS for param in query.params)]
    return sorted(found)


# With a municipality given, every query filters through the derived sg:withinSpace closure: Virtuoso 7.2 answered
# the earlier `sg:parentSpace*` paths inside FILTER EXISTS wrongly, and this test checked that as a strict xfail.
@pytest.mark.parametrize("server_kind", SERVERS)
@pytest.mark.parametrize(("name", "values"), cases())
def test_every_saved_query_gives_the_same_rows(stores: dict[str, GraphStore], name: str, values: str,
                                               server_kind: str) -> None:
    query = CATALOG.get(name)
    given = required_values(query)
    if values == "variant":
        given |= {param.name: VARIANTS[param.name] for param in query.params if param.name in VARIANTS}
    expected = CATALOG.run(stores["embedded"], name, given)
    actual = CATALOG.run(stores[server_kind], name, given)
    assert actual.columns == expected.columns
    want = [tuple(normal(row[column]) for column in expected.columns) for row in expected.rows]
    got = [tuple(normal(row[column]) for column in actual.columns) for row in actual.rows]
    if not ordered(query):
        want, got = sorted(want, key=repr), sorted(got, key=repr)
    missing = [row for row in want if row not in got][:5]
    extra = [row for row in got if row not in want][:5]
    assert got == want, f"{name} ({given}) on {server_kind}: {len(got)} rows, embedded {len(want)}; " \
                        f"missing {missing}, extra {extra}"


def test_the_catalogue_finds_something_in_the_example(stores: dict[str, GraphStore]) -> None:
    """Equal answers prove little if every answer is empty."""
    with_rows = [query.name for query in CATALOG.queries()
                 if CATALOG.run(stores["embedded"], query.name, required_values(query)).rows]
    assert len(with_rows) >= len(CATALOG.queries()) // 2 and {"coverage-gaps", "overlaps"} <= set(with_rows)


@pytest.mark.parametrize("server_kind", SERVERS)
def test_completeness_check_is_the_same(stores: dict[str, GraphStore], server_kind: str) -> None:
    def findings(store: GraphStore) -> list[tuple[object, ...]]:
        report = validate_store(store)
        return sorted(((r.focus, r.identifier, r.path, r.severity, r.message, r.value) for r in report.results),
                      key=repr)

    expected = findings(stores["embedded"])
    assert expected, "the example has deliberately incomplete offers"
    assert findings(stores[server_kind]) == expected


@pytest.mark.parametrize("server_kind", SERVERS)
def test_info_and_export_are_the_same(stores: dict[str, GraphStore], server_kind: str) -> None:
    local, remote = stores["embedded"], stores[server_kind]
    expected, actual = info(local), info(remote)
    assert actual["counts"] == expected["counts"] and actual["triples"] == expected["triples"]
    strip = ("name", "triples", "sha256", "file_name", "source", "loader", "access")
    assert [{k: g[k] for k in strip} for g in actual["graphs"]] == \
           [{k: g[k] for k in strip} for g in expected["graphs"]]  # type: ignore[attr-defined]
    mine, theirs = _by_graph(local), _by_graph(remote)
    assert set(theirs) == set(mine)
    for name, triples in mine.items():
        assert isomorphic(_rdflib(theirs[name]), _rdflib(triples)), f"graph {name} differs on {server_kind}"


def _by_graph(store: GraphStore) -> dict[str, list]:  # type: ignore[type-arg]
    graphs: dict[str, list] = {}  # type: ignore[type-arg]
    for quad in store.quads():
        graphs.setdefault(str(quad.graph_name), []).append(quad.triple)
    return graphs


def _rdflib(triples: list) -> Graph:  # type: ignore[type-arg]
    graph = Graph()
    graph.parse(data=(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8"), format="nt")
    return graph


def test_servers_were_given_the_current_graphs_only(stores: dict[str, GraphStore]) -> None:
    """The dataset of every query is the current version of each graph: reloading a file leaves one version."""
    remote = stores["virtuoso"]
    before = {g.name: g.version for g in remote.graphs()}
    load_sources(remote, [source_for(path) for path in erfurt_files() if path.name == "offers.csv"])
    after = {g.name: g.version for g in remote.graphs()}
    assert after["erfurt/offers.csv"] != before["erfurt/offers.csv"]
    physical = {g.value for g in remote.backend.graph_names()}
    assert before["erfurt/offers.csv"].value not in physical
    assert CATALOG.run(remote, "overlaps").rows == CATALOG.run(stores["embedded"], "overlaps").rows
    assert isinstance(after["erfurt/offers.csv"], NamedNode)
