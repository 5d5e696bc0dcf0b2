"""The German pages rendered by the server: content a planner checks, links, escaping, error pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from sozialgraph.catalog import Catalog
from sozialgraph.store import GraphStore
from tests.webapp_support import EDITOR_AUTH, READER_AUTH, client_for, erfurt_copy_store


@pytest.fixture
def erfurt_copy() -> Iterator[GraphStore]:
    yield from erfurt_copy_store()


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


def rows_of(html: str, table_id: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S)


def test_every_page_has_the_german_navigation(client: TestClient) -> None:
    for path, heading in [("/", "Übersicht"), ("/abfragen", "Abfragen"), ("/lueckenmatrix", "Lückenmatrix"),
                          ("/datenqualitaet", "Datenqualität"), ("/quellen", "Quellen"), ("/sparql-editor", "SPARQL")]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert f"<h1>{heading}</h1>" in page.text
        nav = page.text.split('aria-label="Hauptnavigation"', 1)[1].split("</nav>", 1)[0]
        assert [unescape(label) for label in re.findall(r'">([^<]+)</a>', nav)] == [
            "Übersicht", "Abfragen", "Lückenmatrix", "Datenqualität", "Quellen", "SPARQL", "API"]
        assert "<script>" not in page.text and "style=" not in page.text  # no inline code (CSP later)


def test_overview_counts_and_completeness(client: TestClient) -> None:
    page = client.get("/").text
    per_class = {re.findall(r"<td>(.*?)</td>", row)[0]: row for row in rows_of(page, "per-class")}
    offers = re.findall(r'<td class="num">(\d+)</td>', per_class["Angebot"])
    assert offers[:2] == ["42", "3"]  # 42 public offers, 3 with errors
    spaces = rows_of(page, "per-space")
    assert len(spaces) == 6 and "Sozialraum Mitte" in spaces[0]
    assert "erfurt/offers.csv" in page
    assert "Angebot ohne Träger (Spalte provider)." in page


def test_overview_with_token_counts_internal_offers(client: TestClient) -> None:
    page = client.get("/", headers=READER_AUTH).text
    per_class = {re.findall(r"<td>(.*?)</td>", row)[0]: row for row in rows_of(page, "per-class")}
    assert re.findall(r'<td class="num">(\d+)</td>', per_class["Angebot"])[0] == "44"


def test_query_form_is_built_from_parameters(client: TestClient) -> None:
    page = client.get("/abfragen/coverage-gaps").text
    assert 'name="target_group"' in page and 'name="level"' in page and 'name="field_of_action"' in page
    assert '<option value="senioren">Seniorinnen und Senioren (senioren)</option>' in page
    assert '<option value="sozialraum" selected>' in page  # the declared default
    assert 'id="results"' not in page  # nothing run yet
    overlaps = client.get("/abfragen/overlaps").text
    assert 'id="param-min_offers" name="min_offers" value="2"' in overlaps


def test_query_page_runs_and_links_ids_to_entity_pages(client: TestClient, erfurt_store: GraphStore) -> None:
    page = client.get("/abfragen/coverage-gaps?ausfuehren=1&target_group=senioren&level=sozialraum").text
    expected = Catalog().run(erfurt_store, "coverage-gaps", {"target_group": "senioren"}, include_internal=False)
    assert f"Ergebnis: {len(expected.rows)} Zeilen" in page
    assert len(rows_of(page, "result-table")) == len(expected.rows)
    assert '<a href="/id/space/sr-mitte">sr-mitte</a>' in page
    assert 'href="/api/queries/coverage-gaps?target_group=senioren&amp;level=sozialraum&amp;format=csv"' in page


def test_query_page_links_each_id_of_an_id_list(client: TestClient) -> None:
    page = client.get("/abfragen/overlaps?ausfuehren=1").text
    first = rows_of(page, "result-table")[0]
    assert len(re.findall(r'<a href="/id/offer/', first)) >= 2


def test_query_page_bad_input_is_a_german_400_page(client: TestClient) -> None:
    page = client.get("/abfragen/coverage-gaps?ausfuehren=1&target_group=marsianer")
    assert page.status_code == 400
    assert "nicht erlaubt" in unescape(page.text) and 'name="target_group"' in page.text
    assert client.get("/abfragen/keine-solche").status_code == 404


def test_gap_matrix_cells_match_coverage_gaps(client: TestClient, erfurt_store: GraphStore) -> None:
    page = client.get("/lueckenmatrix?target_group=senioren").text
    gaps = Catalog().run(erfurt_store, "coverage-gaps", {"target_group": "senioren"}, include_internal=False)
    assert page.count('class="heat-0 gap"') == len(gaps.rows)
    assert f"<strong>{len(gaps.rows)}</strong> Lücken" in page
    rows = rows_of(page, "heatmap")
    assert len(rows) == 6 and len(re.findall(r"<td ", rows[0])) == 6  # 6 Sozialräume × HF1..HF6
    gap_link = re.search(r'class="heat-0 gap"><a href="([^"]+)"', page)
    assert gap_link is not None
    target = client.get(unescape(gap_link.group(1)))
    assert target.status_code == 200 and "Ergebnis:" in target.text


def test_gap_matrix_cell_lists_its_offers(client: TestClient) -> None:
    page = client.get("/lueckenmatrix?target_group=senioren").text
    cell = re.search(r'class="heat-[1-5]"><a href="(/lueckenmatrix/angebote\?[^"]+)"[^>]*>(\d+)</a>', page)
    assert cell is not None
    offers = client.get(unescape(cell.group(1))).text
    assert len(re.findall(r'<li><a href="/id/offer/', offers)) == int(cell.group(2))


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/lueckenmatrix?target_group=marsianer", 400, "nicht erlaubt"),
    ("/lueckenmatrix?farbe=rot", 400, "kennt den Parameter"),
    ("/lueckenmatrix/angebote?social_space=nirgendwo&field_of_action=HF1&target_group=senioren", 404, "nirgendwo"),
    ("/lueckenmatrix/angebote?field_of_action=HF1", 400, "fehlt"),
    ("/datenqualitaet?nur=alles", 400, "Unbekannter Filter"),
    ("/gibt-es-nicht", 404, "gibt es nicht"),
])
def test_page_errors_are_german_pages(client: TestClient, url: str, status: int, words: str) -> None:
    page = client.get(url, headers={"Accept": "text/html"})
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert words in unescape(page.text)


def test_quality_page_groups_results_by_entity(client: TestClient) -> None:
    page = client.get("/datenqualitaet").text
    report = client.get("/api/validation").json()
    focus = {result["focus"] for result in report["results"]}
    assert page.count('<section class="issue"') == len(focus)
    assert '<a href="/id/offer/of-familienfruehstueck-linderbach">of-familienfruehstueck-linderbach</a>' in page
    errors_only = client.get("/datenqualitaet?nur=fehler").text
    assert errors_only.count('<section class="issue"') == len(
        {r["focus"] for r in report["results"] if r["severity"] == "Violation"})


def test_sparql_page_loads_the_editor_from_the_app(client: TestClient) -> None:
    page = client.get("/sparql-editor").text
    assert '<script src="/assets/vendor/yasgui/yasgui.min.js"></script>' in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources), sources


def test_labels_are_escaped_everywhere(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    evil = '<img src=x onerror="alert(1)">'
    spaces = f'id,name,level,parent,code\nsr-evil,"{evil.replace(chr(34), chr(34) * 2)}",sozialraum,erfurt,99\n'
    answer = client.post("/api/sources", files={"file": ("spaces-evil.csv", spaces.encode(), "text/csv")},
                         headers=EDITOR_AUTH)
    assert answer.status_code == 200, answer.text
    for url in ("/id/space/sr-evil", "/lueckenmatrix", "/abfragen/coverage-gaps?ausfuehren=1"):
        page = client.get(url).text
        assert evil not in page, url
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page, url
