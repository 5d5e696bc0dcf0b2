"""Planners' commands against a real SPARQL server, and loads that fail: a bad row, a server that refuses a request
in the middle of a load, a server that dies in the middle of one. The server's graphs stay as they were."""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from loaders import load_sources, source_for
from sozialgraph.config import Settings
from sozialgraph.errors import SozialgraphError
from sozialgraph.store import GraphContent, open_store
from sozialgraph.store.remote import RemoteBackend
from tests.conftest import ERFURT, erfurt_files, run_cli
from tests.sparql_servers import Server, start_oxigraph

pytestmark = pytest.mark.server

IDENTIFIER = NamedNode("http://purl.org/dc/terms/identifier")


def fresh_env(server: Server) -> dict[str, str]:
    return {**server.env(), "SOZIALGRAPH_BASE_URI": f"https://cli.sozialgraph.example/{uuid.uuid4().hex}/"}


def physical_graphs(settings: Settings) -> dict[str, int]:
    """Every graph on the server under this base, with its size, read without opening a GraphStore (opening one
    sweeps orphans, which would hide a staging graph a failed load left behind)."""
    backend = RemoteBackend.from_settings(settings)
    try:
        return {graph.value: backend.count(graph) for graph in backend.graph_names()
                if graph.value.startswith(settings.base_uri)}
    finally:
        backend.close()


def settings_of(env: dict[str, str]) -> Settings:
    return Settings(endpoint=env["SOZIALGRAPH_ENDPOINT"], update_endpoint=env["SOZIALGRAPH_UPDATE_ENDPOINT"],
                    store_endpoint=env["SOZIALGRAPH_STORE_ENDPOINT"], user=env.get("SOZIALGRAPH_USER"),
                    password=env.get("SOZIALGRAPH_PASSWORD"), base_uri=env["SOZIALGRAPH_BASE_URI"])


def test_the_planners_commands_work_on_an_oxigraph_server(oxigraph_server: Server, tmp_path: Path) -> None:
    env = fresh_env(oxigraph_server)
    local = tmp_path / "local"
    loaded = run_cli("load", str(ERFURT), store=local, env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "geladen: erfurt/offers.csv" in loaded.stdout
    assert not local.exists(), "with an endpoint set, nothing may be written to the embedded store"

    data = json.loads(run_cli("info", "--format", "json", store=local, env=env, check=True).stdout)
    assert data["counts"]["sg:Offer"] == 44 and data["triples"] > 1000
    assert {g["name"] for g in data["graphs"]} >= {"erfurt/offers.csv", "erfurt/spaces.geojson", "_vocabulary"}

    checked = run_cli("validate", "--format", "json", store=local, env=env)
    assert checked.returncode == 1, checked.stderr
    violating = {r["identifier"] for r in json.loads(checked.stdout)["results"] if r["severity"] == "Violation"}
    assert {"of-sprachcafe-johannesplatz", "of-hausaufgabenhilfe-roter-berg",
            "of-familienfruehstueck-linderbach"} <= violating

    target = tmp_path / "alles.nq"
    run_cli("export", str(target), store=local, env=env, check=True)
    assert len(list(parse(path=target, format=RdfFormat.N_QUADS))) == data["triples"]

    # The same command on the embedded store with the same data prints the same table.
    embedded = tmp_path / "embedded"
    run_cli("load", str(ERFURT), store=embedded, env={"SOZIALGRAPH_BASE_URI": env["SOZIALGRAPH_BASE_URI"]},
            check=True)
    on_server = run_cli("query", "run", "overlaps", "--format", "csv", store=local, env=env, check=True).stdout
    locally = run_cli("query", "run", "overlaps", "--format", "csv", store=embedded, check=True,
                      env={"SOZIALGRAPH_BASE_URI": env["SOZIALGRAPH_BASE_URI"]}).stdout
    assert on_server == locally and len(on_server.splitlines()) > 2


def test_server_shortcut_reaches_virtuoso(virtuoso_server: Server, tmp_path: Path) -> None:
    env = {"SOZIALGRAPH_USER": "dba", "SOZIALGRAPH_PASSWORD": "dba",
           "SOZIALGRAPH_BASE_URI": f"https://cli.sozialgraph.example/{uuid.uuid4().hex}/"}
    shortcut = ["--server", "virtuoso", virtuoso_server.base_url]
    files = [str(ERFURT / "spaces.geojson"), str(ERFURT / "actors.csv")]
    result = run_cli(*shortcut, "load", *files, store=tmp_path / "s", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(run_cli(*shortcut, "info", "--format", "json", store=tmp_path / "s", env=env,
                              check=True).stdout)
    assert data["counts"]["sg:SocialSpace"] == 37 and data["counts"]["sg:Provider"] == 11


def load_erfurt(settings: Settings) -> None:
    store = open_store(settings)
    try:
        load_sources(store, [source_for(path) for path in erfurt_files()])
    finally:
        store.close()


def snapshot(settings: Settings) -> tuple[dict[str, int], list[tuple[str, str]]]:
    store = open_store(settings)
    try:
        versions = [(graph.name, graph.version.value) for graph in store.graphs()]
    finally:
        store.close()
    return physical_graphs(settings), versions


@pytest.mark.parametrize("server_kind", ["oxigraph", "virtuoso"])
def test_a_bad_row_changes_nothing_on_the_server(server_kind: str, request: pytest.FixtureRequest,
                                                tmp_path: Path) -> None:
    server: Server = request.getfixturevalue(f"{server_kind}_server")
    env = fresh_env(server)
    load_erfurt(settings_of(env))
    before = snapshot(settings_of(env))
    rows = list(csv.reader((ERFURT / "offers.csv").open(encoding="utf-8")))
    rows[5][rows[0].index("field_of_action")] = "HF9"
    bad = tmp_path / "neu" / "offers.csv"
    bad.parent.mkdir()
    with bad.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    result = run_cli("load", str(bad), str(ERFURT / "needs.csv"), store=tmp_path / "s", env=env)
    assert result.returncode == 2
    assert "offers.csv, Zeile 6, Spalte field_of_action" in result.stderr and "HF9" in result.stderr
    assert snapshot(settings_of(env)) == before


def test_a_request_the_server_refuses_mid_load_leaves_no_trace(virtuoso_server: Server, tmp_path: Path) -> None:
    """Virtuoso refuses N-Triples with an IRI of 10,000 characters; here that triple arrives in the second chunk,
    after the first was written into the new version's graph."""
    env = fresh_env(virtuoso_server)
    load_erfurt(settings_of(env))
    before = snapshot(settings_of(env))
    lines = [f"<https://example.org/thing/{i}> <http://purl.org/dc/terms/identifier> \"t{i}\" ." for i in range(20_050)]
    lines.append(f"<https://example.org/{'x' * 10_000}> <http://purl.org/dc/terms/identifier> \"lang\" .")
    extra = tmp_path / "extra.nt"
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("load", str(extra), store=tmp_path / "s", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Fehler: Der SPARQL-Server {virtuoso_server.base_url}/sparql-graph-crud-auth "
                                    "hat die Anfrage abgelehnt (HTTP 500, Graph schreiben)")
    assert "Traceback" not in result.stderr
    assert snapshot(settings_of(env)) == before, "the partly written version must be dropped at once"


class DyingSource(list[Triple]):
    """Triples whose reading kills the server part-way: a server that dies in the middle of a load."""

    def __init__(self, triples: list[Triple], server: Server, after: int) -> None:
        super().__init__(triples)
        self.server, self.after = server, after

    def __iter__(self) -> Iterator[Triple]:
        for number, triple in enumerate(super().__iter__()):
            if number == self.after:
                self.server.stop(kill=True)
            yield triple


def test_a_server_dying_mid_load_keeps_the_old_data(tmp_path: Path) -> None:
    server = start_oxigraph(tmp_path / "oxigraph")  # its own: this test kills it
    try:
        settings = server.settings(base_uri=f"https://dying.sozialgraph.example/{uuid.uuid4().hex}/")
        store = open_store(settings)
        old = [Triple(NamedNode(f"https://example.org/a{i}"), IDENTIFIER, Literal(f"a{i}")) for i in range(50)]
        current = store.replace([GraphContent("spaces.csv", old)])[0]
        assert isinstance(store.backend, RemoteBackend)
        store.backend.chunk_size = 100
        new = [Triple(NamedNode(f"https://example.org/b{i}"), IDENTIFIER, Literal(f"b{i}")) for i in range(1000)]
        with pytest.raises(SozialgraphError) as caught:
            store.replace([GraphContent("spaces.csv", DyingSource(new, server, after=450))])
        assert f"SPARQL-Server {server.base_url}/" in caught.value.message  # "nicht erreichbar" or "abgebrochen"
        store.close()

        server.restart()
        left = physical_graphs(settings)
        orphans = [graph for graph in left if "/spaces.csv/v/" in graph and graph != current.version.value]
        assert orphans and 0 < left[orphans[0]] <= 450, "some chunks reached the server before it died"

        reopened = open_store(settings)
        rows = reopened.select("SELECT ?id WHERE { ?s <http://purl.org/dc/terms/identifier> ?id }").rows
        assert sorted(row["id"].value for row in rows) == sorted(f"a{i}" for i in range(50))
        assert [g.version for g in reopened.graphs() if g.name == "spaces.csv"] == [current.version]
        assert not set(orphans) & set(physical_graphs(settings)), "opening the store sweeps the half-written graph"
        reopened.close()
    finally:
        server.stop()


def test_tables_travel_to_oxigraph_as_their_text_in_several_blocks(oxigraph_server: Server,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The converter's N-Triples blocks are posted as they are; the server then holds exactly what the embedded
    store holds, whatever the text contains (umlauts, quotes, line breaks in descriptions)."""
    monkeypatch.setattr("sozialgraph.store.ntriples.BLOCK", 40)  # the example's offers span several blocks
    posted: list[str] = []
    base = f"https://blocks.sozialgraph.example/{uuid.uuid4().hex}/"
    remote = open_store(oxigraph_server.settings(base_uri=base))
    original = remote.backend.client.post_graph  # type: ignore[attr-defined]
    monkeypatch.setattr(remote.backend.client, "post_graph",  # type: ignore[attr-defined]
                        lambda graph, body, fresh=False: (posted.append(graph), original(graph, body, fresh))[1])
    embedded = open_store(Settings(base_uri=base), in_memory=True)
    offers = [source_for(ERFURT / "offers.csv")]
    for store in (remote, embedded):
        load_sources(store, [source_for(path) for path in erfurt_files() if path.name != "offers.csv"])
        load_sources(store, offers)
    offer_posts = [graph for graph in posted if "/offers.csv/v/" in graph]
    assert len(offer_posts) > 2, "one request per block of 40 statements"
    assert set(remote.quads(include_vocabulary=False)) == set(embedded.quads(include_vocabulary=False))
    remote.close()
    embedded.close()
