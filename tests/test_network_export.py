"""`sozialgraph network`: every export opens in networkx again with the same nodes, edges and attributes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from loaders import load_sources, source_for
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.network import analyse, build_network
from sozialgraph.store import open_store
from tests.conftest import erfurt_files, run_cli


@pytest.fixture(scope="module")
def erfurt_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, nx.Graph, nx.Graph]]:
    """A store on disk with data/erfurt, and the graphs (both projections) built in-process from it."""
    path = tmp_path_factory.mktemp("network") / "store"
    store = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    load_sources(store, [source_for(p) for p in erfurt_files()])
    expected = {}
    for projection in ("bipartite", "actors"):
        graph = build_network(store, projection)
        analyse(graph)
        expected[projection] = graph
    store.close()
    yield path, expected["bipartite"], expected["actors"]


def same_graph(read: nx.Graph, expected: nx.Graph) -> None:
    assert set(read.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in read.edges} == {frozenset(e) for e in expected.edges}
    for node, data in expected.nodes(data=True):
        for key, value in data.items():
            got = read.nodes[node].get(key)
            assert got == pytest.approx(value) if isinstance(value, float) else got == value, (node, key)
    for first, second, data in expected.edges(data=True):
        for key, value in data.items():
            assert read.edges[first, second].get(key) == value, (first, second, key)


def test_graphml_reads_back(erfurt_disk: tuple[Path, nx.Graph, nx.Graph], tmp_path: Path) -> None:
    store, expected, _ = erfurt_disk
    target = tmp_path / "netz.graphml"
    result = run_cli("network", "--format", "graphml", "--output", str(target), store=store)
    assert result.returncode == 0, result.stderr
    assert "49 Knoten" in result.stderr
    read = nx.read_graphml(target)
    same_graph(read, expected)
    assert read.graph["projection"] == "bipartite"


def test_gexf_reads_back_with_colours_and_sizes(erfurt_disk: tuple[Path, nx.Graph, nx.Graph]) -> None:
    store, expected, _ = erfurt_disk
    result = run_cli("network", "--format", "gexf", store=store)
    assert result.returncode == 0, result.stderr
    read = nx.read_gexf(io.BytesIO(result.stdout.encode("utf-8")))
    same_graph(read, expected)
    silo = "https://sozialgraph.example/id/actor/abt-statistik"
    plan = "https://sozialgraph.example/id/plan/plan-isp-2024"
    assert read.nodes[silo]["viz"]["color"] != read.nodes[plan]["viz"]["color"]
    top = max(expected.nodes, key=lambda n: expected.nodes[n]["betweenness"])
    assert read.nodes[top]["viz"]["size"] == pytest.approx(50.0)


def test_json_is_cytoscape_elements(erfurt_disk: tuple[Path, nx.Graph, nx.Graph], tmp_path: Path) -> None:
    store, _, expected = erfurt_disk
    target = tmp_path / "netz.json"
    result = run_cli("network", "--format", "json", "--projection", "actors", "-o", str(target), store=store)
    assert result.returncode == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    nodes = data["elements"]["nodes"]
    first = nodes[0]["data"]
    assert {"id", "label", "kind", "betweenness", "fields", "color"} <= set(first)
    assert all("source" in e["data"] and "target" in e["data"] for e in data["elements"]["edges"])
    same_graph(nx.cytoscape_graph(data, name="label"), expected)
    assert [s["identifier"] for s in data["summary"]["silos"]] == ["abt-statistik"]
    assert {entry["kind"] for entry in data["legend"]} == {n["data"]["kind"] for n in nodes}
    assert "plan" not in {entry["kind"] for entry in data["legend"]}
    assert {f["code"] for f in data["fields_of_action"]} == {"HF1", "HF2", "HF3", "HF4", "HF5", "HF6"}


def read_csv(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def graph_from_csv(nodes: list[dict[str, str]], edges: list[dict[str, str]]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from((row["id"], row) for row in nodes)
    graph.add_edges_from((row["source"], row["target"], row) for row in edges)
    return graph


def test_csv_zip_and_folder(erfurt_disk: tuple[Path, nx.Graph, nx.Graph], tmp_path: Path) -> None:
    store, expected, _ = erfurt_disk
    archive = tmp_path / "netz.zip"
    result = run_cli("network", "--format", "csv", "-o", str(archive), store=store)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == ["kanten.csv", "knoten.csv"]
        nodes, edges = read_csv(opened.read("knoten.csv")), read_csv(opened.read("kanten.csv"))
    read = graph_from_csv(nodes, edges)
    assert set(read.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in read.edges} == {frozenset(e) for e in expected.edges}
    for node, data in expected.nodes(data=True):
        row = read.nodes[node]
        assert (row["label"], row["kind"], row["fields"]) == (data["label"], data["kind"], data["fields"])
        assert float(row["betweenness"]) == pytest.approx(data["betweenness"])
        assert row["silo"] == str(data["silo"])
    for first, second, data in expected.edges(data=True):
        row = read.edges[first, second]
        assert (row["kind"], int(row["weight"])) == (data["kind"], data["weight"])
    folder = tmp_path / "netz"
    assert run_cli("network", "--format", "csv", "-o", str(folder), store=store).returncode == 0
    assert (folder / "knoten.csv").read_bytes() == zipfile.ZipFile(archive).read("knoten.csv")


def test_text_report_names_the_silo_and_the_brokers(erfurt_disk: tuple[Path, nx.Graph, nx.Graph]) -> None:
    store, _, _ = erfurt_disk
    result = run_cli("network", "--projection", "actors", store=store)
    assert result.returncode == 0, result.stderr
    silos = result.stdout.split("Silos")[1].split("Vermittler")[0]
    assert "Abteilung Statistik und Wahlen (abt-statistik)" in silos
    assert "Lokales Bündnis" in result.stdout.split("Vermittler")[1].splitlines()[1]


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "xml"), "unbekanntes Format 'xml'. Erlaubt: text, json, graphml, gexf, csv"),
    (("--projection", "alle"), "unbekannte Projektion 'alle'. Erlaubt: bipartite, actors"),
    (("--format", "csv"), "CSV braucht --output"),
])
def test_bad_options_are_refused_in_german(erfurt_disk: tuple[Path, nx.Graph, nx.Graph],
                                           args: tuple[str, ...], message: str) -> None:
    result = run_cli("network", *args, store=erfurt_disk[0])
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
