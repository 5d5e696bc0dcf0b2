"""The Netzwerk page: its JSON route (public/internal, errors) and a planner's path through it in real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from sozialgraph.network import analyse, build_network
from sozialgraph.store import GraphStore
from tests.conftest import ARTIFACTS
from tests.webapp_support import READER_AUTH, client_for, running


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


def _nodes(answer: dict[str, object]) -> dict[str, dict[str, object]]:
    return {node["data"]["id"]: node["data"] for node in answer["elements"]["nodes"]}  # type: ignore[index]


def test_network_route_gives_cytoscape_elements_of_the_public_graph(client: TestClient,
                                                                   erfurt_store: GraphStore) -> None:
    response = client.get("/api/network")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    answer = response.json()
    expected = build_network(erfurt_store, "bipartite", include_internal=False)
    metrics = analyse(expected)
    nodes = _nodes(answer)
    assert set(nodes) == set(expected.nodes)
    assert len(answer["elements"]["edges"]) == expected.number_of_edges()
    jugendamt = next(data for data in nodes.values() if data["identifier"] == "jugendamt")
    assert jugendamt["kind_label"] == "Amt/Fachbereich"
    assert jugendamt["href"] == "/id/actor/jugendamt"
    assert jugendamt["betweenness"] == pytest.approx(expected.nodes[jugendamt["id"]]["betweenness"])
    assert [silo["id"] for silo in answer["summary"]["silos"]] == metrics.silos
    assert all(nodes[silo]["silo"] for silo in metrics.silos)
    assert {entry["label"] for entry in answer["legend"]} >= {"Amt/Fachbereich", "Gremium", "Träger", "Fachplanung"}
    assert {field["code"] for field in answer["fields_of_action"]} >= {"HF1", "HF6"}


def test_entity_link_of_a_node_opens_its_page(client: TestClient) -> None:
    href = _nodes(client.get("/api/network").json())
    link = next(data["href"] for data in href.values() if data["identifier"] == "jugendamt")
    page = client.get(str(link), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Jugendamt" in page.text


def test_internal_actors_only_with_a_token(client: TestClient, erfurt_store: GraphStore) -> None:
    public = set(_nodes(client.get("/api/network").json()))
    internal = set(_nodes(client.get("/api/network", headers=READER_AUTH).json()))
    hidden = set(build_network(erfurt_store, include_internal=True)) - set(
        build_network(erfurt_store, include_internal=False))
    assert hidden, "the Erfurt example has an internal actor"
    assert internal - public == hidden
    assert public == set(_nodes(client.get("/api/network").json())), "the internal answer must not be cached for all"


def test_actors_projection_has_no_plans(client: TestClient) -> None:
    nodes = _nodes(client.get("/api/network", params={"projection": "actors"}).json())
    assert nodes
    assert {data["kind"] for data in nodes.values()}.isdisjoint({"plan"})


@pytest.mark.parametrize(("params", "headers", "status", "words"), [
    ({"projection": "alles"}, {}, 400, "unbekannte Projektion 'alles'. Erlaubt: bipartite, actors"),
    ({}, {"Authorization": "Bearer falsch"}, 401, "Das Zugriffstoken ist ungültig."),
])
def test_network_route_refuses_in_german(client: TestClient, params: dict[str, str], headers: dict[str, str],
                                         status: int, words: str) -> None:
    response = client.get("/api/network", params=params, headers=headers)
    assert response.status_code == status
    assert response.json()["detail"] == words


def test_page_has_menu_entry_and_no_inline_script(client: TestClient) -> None:
    page = client.get("/netzwerk")
    assert page.status_code == 200
    assert '<a href="/netzwerk" aria-current="page">Netzwerk</a>' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    for script in ("/assets/vendor/cytoscape/cytoscape.min.js", "/assets/vendor/cytoscape/cytoscape-svg.js",
                   "/assets/vendor/cytoscape/cytoscape-fcose.js", "/static/network.js"):
        assert f'src="{script}"' in page.text
        assert client.get(script).status_code == 200, script


CLEAR_NODE = """() => {
  const cy = window.sozialgraphNetwork;
  const box = document.getElementById('network-graph').getBoundingClientRect();
  const gap = 12;  // Cytoscape picks among nodes near the pointer, not only under it
  const overlaps = (a, b) => a.x1 - gap < b.x2 && b.x1 < a.x2 + gap && a.y1 - gap < b.y2 && b.y1 < a.y2 + gap;
  const inside = (b) => b.x1 > 0 && b.y1 > 0 && b.x2 < box.width && b.y2 < box.height;
  const free = cy.nodes("[kind = 'department']").union(cy.nodes()).filter((node) => {
    const own = node.renderedBoundingBox({ includeLabels: false });
    return inside(own) && cy.nodes().not(node).every(
      (other) => !overlaps(own, other.renderedBoundingBox({ includeLabels: false })));
  });
  if (free.empty()) { return null; }
  const at = free[0].renderedPosition();
  return { id: free[0].id(), x: box.left + at.x, y: box.top + at.y };
}"""
"""Screen position of a node (a department if possible) no other node comes near, so a click lands on it
whatever the layout."""


@pytest.mark.browser
def test_planner_filters_the_network_and_opens_a_node(browser: Browser,
                                                      erfurt_store: GraphStore) -> None:
    graph = build_network(erfurt_store, "bipartite", include_internal=False)
    in_field = [key for key, data in graph.nodes(data=True) if "HF2" in data["fields"].split(";")]
    assert 0 < len(in_field) < graph.number_of_nodes()
    with running(erfurt_store) as base:
        context = browser.new_context(base_url=base, locale="de-DE", viewport={"width": 1400, "height": 1300},
                                      accept_downloads=True)
        page: Page = context.new_page()
        page.set_default_timeout(20_000)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto("/netzwerk")
        expect(page.locator("#network-graph")).to_have_attribute("data-ready", "1")
        count = page.locator("#network-count")
        expect(count).to_have_text(str(graph.number_of_nodes()))
        rendered = page.evaluate("() => document.querySelector('#network-graph canvas') !== null")
        assert rendered
        expect(page.locator("#network-silos")).to_contain_text("Abteilung Statistik und Wahlen")
        expect(page.locator("#network-legend")).to_contain_text("Amt/Fachbereich")

        page.select_option("#network-field", "HF2")
        expect(count).to_have_text(str(len(in_field)))
        assert int(count.inner_text()) < graph.number_of_nodes()

        page.select_option("#network-field", "")
        expect(count).to_have_text(str(graph.number_of_nodes()))
        committee = next(key for key, data in graph.nodes(data=True) if data["identifier"] == "jugendhilfeausschuss")
        members = [other for other in graph.neighbors(committee)
                   if "member" in graph.edges[committee, other]["kind"].split(";")]
        page.select_option("#network-committee", committee)
        expect(count).to_have_text(str(1 + len(members)))
        page.select_option("#network-committee", "")
        plans = sum(1 for _, data in graph.nodes(data=True) if data["kind"] == "plan")
        page.get_by_label("Fachplanung", exact=True).uncheck()
        expect(count).to_have_text(str(graph.number_of_nodes() - plans))
        page.get_by_label("Fachplanung", exact=True).check()
        expect(count).to_have_text(str(graph.number_of_nodes()))
        page.fill("#network-search", "Jugendamt")
        expect(page.locator("#network-search-result")).to_contain_text("Treffer")
        page.press("#network-search", "Enter")
        details = page.locator("#network-details")
        expect(details.locator("h3").first).to_have_text("Jugendamt")
        expect(details).to_contain_text("Amt/Fachbereich")
        expect(details).to_contain_text("Vermittlerrolle")
        page.fill("#network-search", "")

        page.click("#network-reset")
        expect(page.locator("#network-graph")).to_have_attribute("data-layout-running", "0")
        page.wait_for_function("() => !window.sozialgraphNetwork.animated()")
        # no scrolling: Cytoscape learns the canvas position from scroll events a moment later
        assert page.evaluate("() => document.getElementById('network-graph').getBoundingClientRect().bottom") < 1300
        target = page.evaluate(CLEAR_NODE)
        assert target, "some node is drawn apart from the others"
        page.mouse.click(target["x"], target["y"])
        expect(details.locator("h3").first).to_have_text(graph.nodes[target["id"]]["label"])
        expect(details).to_contain_text(graph.nodes[target["id"]]["kind_label"])
        link = details.locator("a.network-entity-link")
        identifier = graph.nodes[target["id"]]["identifier"]
        expect(link).to_have_attribute("href", f"/id/actor/{identifier}")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "netzwerk.png"), full_page=True)

        with page.expect_download() as png:
            page.click("#network-png")
        assert png.value.suggested_filename == "netzwerk-bipartite.png"
        assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with page.expect_download() as svg:
            page.click("#network-svg")
        content = Path(svg.value.path()).read_text(encoding="utf-8")
        assert "<svg" in content and "Jugendamt" in content

        link.click()
        page.wait_for_url(f"**/id/actor/{quote(identifier)}")
        expect(page.locator("h1")).to_have_text(graph.nodes[target["id"]]["label"])
        assert all(url.startswith((base, "data:", "blob:")) for url in requests), \
            [url for url in requests if not url.startswith(base)]
        context.close()

