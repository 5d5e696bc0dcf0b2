"""The JSON API against the Erfurt example: every route, its formats and its error answers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pyoxigraph import NamedNode, RdfFormat, parse

from sozialgraph.catalog import Catalog
from sozialgraph.store import GraphStore
from tests.conftest import ERFURT
from tests.webapp_support import (
    BASE,
    EDITOR_AUTH,
    READER_AUTH,
    client_for,
    erfurt_copy_store,
    snapshot,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def erfurt_copy() -> Iterator[GraphStore]:
    yield from erfurt_copy_store()


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


# --- catalogue and saved queries -------------------------------------------------------------------------

def test_healthz_counts_graphs(client: TestClient, erfurt_store: GraphStore) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "graphs": len(erfurt_store.graphs())}


def test_catalogue_lists_queries_with_parameters(client: TestClient) -> None:
    queries = {query["name"]: query for query in client.get("/api/queries").json()}
    assert {"coverage-gaps", "overlaps", "coverage-matrix"} <= set(queries)
    params = {param["name"]: param for param in queries["coverage-gaps"]["params"]}
    assert params["level"]["default"] == "sozialraum"
    assert "senioren" in params["target_group"]["allowed"]
    assert queries["coverage-gaps"]["summary"].startswith("Versorgungslücken")


def test_saved_query_json_rows_match_the_catalogue(client: TestClient, erfurt_store: GraphStore) -> None:
    answer = client.get("/api/queries/coverage-gaps", params={"target_group": "senioren"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    expected = Catalog().run(erfurt_store, "coverage-gaps", {"target_group": "senioren"}, include_internal=False)
    assert answer.json() == expected.rows
    assert all(row["target_group"] == "senioren" for row in answer.json())


def test_saved_query_csv_by_accept_opens_in_excel(client: TestClient) -> None:
    answer = client.get("/api/queries/coverage-gaps?target_group=senioren", headers={"Accept": "text/csv"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="coverage-gaps.csv"' in answer.headers["content-disposition"]
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows and rows[0]["target_group_label"] == "Seniorinnen und Senioren"
    json_rows = client.get("/api/queries/coverage-gaps?target_group=senioren").json()
    assert len(rows) == len(json_rows)


def test_saved_query_xlsx_by_accept_and_by_format(client: TestClient) -> None:
    for answer in (client.get("/api/queries/overlaps", headers={"Accept": XLSX}),
                   client.get("/api/queries/overlaps?format=xlsx")):
        assert answer.status_code == 200
        assert answer.headers["content-type"] == XLSX
        sheet = load_workbook(io.BytesIO(answer.content)).active
        assert sheet is not None
        header = [cell.value for cell in sheet[1]]
        assert "offer_ids" in header
        assert sheet.max_row == len(client.get("/api/queries/overlaps").json()) + 1


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/api/queries/gibt-es-nicht", 404, "gibt es nicht"),
    ("/api/queries/coverage-gaps?target_group=marsianer", 400, "nicht erlaubt"),
    ("/api/queries/coverage-gaps?zielgruppe=senioren", 400, "kennt den Parameter"),
    ("/api/queries/coverage-gaps?target_group=senioren&target_group=kinder", 400, "mehrfach"),
    ("/api/queries/coverage-gaps?format=pdf", 400, "Unbekanntes Format"),
    ("/api/queries/overlaps?min_offers=viele", 400, "ganze Zahl"),
])
def test_saved_query_refuses_bad_input_in_german(client: TestClient, url: str, status: int, words: str) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    assert words in answer.json()["detail"]


def test_saved_query_answers_406_for_a_format_it_cannot_make(client: TestClient) -> None:
    answer = client.get("/api/queries/overlaps", headers={"Accept": "application/pdf"})
    assert answer.status_code == 406
    assert "text/csv" in answer.json()["detail"]


def test_internal_offers_only_with_a_token(client: TestClient) -> None:
    url = "/api/queries/coverage-gaps?target_group=jugendliche&field_of_action=HF4"
    public = {row["social_space"] for row in client.get(url).json()}
    reader = {row["social_space"] for row in client.get(url, headers=READER_AUTH).json()}
    editor = {row["social_space"] for row in client.get(url, headers=EDITOR_AUTH).json()}
    # The internal Krisenwohnung in Daberstedt (Sozialraum Südost) closes a gap only for those who may see it.
    assert reader == editor
    assert public - reader == {"sr-suedost"}


@pytest.mark.parametrize("header", ["Bearer falsch", "Basic YWRtaW46YWRtaW4=", "Bearer "])
def test_a_wrong_token_is_refused_not_downgraded(client: TestClient, header: str) -> None:
    answer = client.get("/api/sources", headers={"Authorization": header})
    assert answer.status_code == 401
    assert "WWW-Authenticate" in answer.headers
    assert "token" in answer.json()["detail"].casefold() or "Bearer" in answer.json()["detail"]


# --- sources, stats, validation --------------------------------------------------------------------------

def test_sources_show_provenance_and_hide_internal_graphs(client: TestClient) -> None:
    public = {graph["name"]: graph for graph in client.get("/api/sources").json()}
    internal = {graph["name"]: graph for graph in client.get("/api/sources", headers=READER_AUTH).json()}
    assert "erfurt/offers.csv" in public
    assert public["erfurt/offers.csv"]["loader"] == "loaders.spreadsheets"
    assert len(public["erfurt/offers.csv"]["sha256"]) == 64
    assert not any(name.endswith("/internal") for name in public)
    assert internal["erfurt/offers.csv/internal"]["access"] == "internal"


def test_stats_count_more_with_a_token(client: TestClient) -> None:
    public = client.get("/api/stats").json()
    internal = client.get("/api/stats", headers=READER_AUTH).json()
    assert public["counts"]["sg:Offer"] + 2 == internal["counts"]["sg:Offer"]
    assert public["triples"] < internal["triples"]


def test_validation_report_names_incomplete_offers_in_german(client: TestClient) -> None:
    report = client.get("/api/validation").json()
    assert report["conforms"] is False
    assert report["violations"] == len([r for r in report["results"] if r["severity"] == "Violation"])
    messages = {r["identifier"]: r["message"] for r in report["results"] if r["severity"] == "Violation"}
    assert messages["of-familienfruehstueck-linderbach"] == "Angebot ohne Träger (Spalte provider)."


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/queries", "/api/queries/{name}", "/api/validation", "/api/stats", "/api/sources",
                 "/api/sources/{name}", "/sparql", "/healthz"):
        assert path in paths, path
    assert "post" in paths["/api/sources"] and "delete" in paths["/api/sources/{name}"]


# --- uploads and deletes ---------------------------------------------------------------------------------

def _offers_with(tmp_path: Path, extra_rows: list[str], rename: tuple[str, str] | None = None) -> bytes:
    text = (ERFURT / "offers.csv").read_text(encoding="utf-8")
    if rename:
        text = text.replace(*rename)
    return (text.rstrip("\n") + "\n" + "\n".join(extra_rows) + "\n").encode("utf-8")


NEW_OFFER = ("of-neu-test,Neues Seniorencafé,begegnungsstaette,awo,HF6,senioren,st-altstadt,,,,lsz,"
             "2025-01-01,2026-12-31,,Beispiel: neu")


def test_upload_needs_the_editor_token(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    before = snapshot(erfurt_copy)
    files = {"file": ("offers.csv", _offers_with(Path(), [NEW_OFFER]), "text/csv")}
    assert client.post("/api/sources", files=files).status_code == 401
    assert client.post("/api/sources", files=files, headers={"Authorization": "Bearer rate-mal"}).status_code == 401
    refused = client.post("/api/sources", files=files, headers=READER_AUTH)
    assert refused.status_code == 403
    assert "nur lesen" in refused.json()["detail"]
    assert snapshot(erfurt_copy) == before


def test_without_configured_editor_token_nobody_may_change(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy, editor_token=None)
    answer = client.delete("/api/sources/erfurt/offers.csv", headers=EDITOR_AUTH)
    assert answer.status_code == 403
    assert "SOZIALGRAPH_EDITOR_TOKEN" in answer.json()["detail"]
    assert "erfurt/offers.csv" in {g.name for g in erfurt_copy.graphs()}


def test_bad_upload_answers_400_with_the_loader_message_and_changes_nothing(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    before = snapshot(erfurt_copy)
    bad = _offers_with(Path(), [NEW_OFFER.replace(",HF6,", ",HF9,")])
    answer = client.post("/api/sources", files={"file": ("offers.csv", bad, "text/csv")},
                         data={"name": "erfurt/offers.csv"}, headers=EDITOR_AUTH)
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert detail.startswith("erfurt/offers.csv, Zeile 46, Spalte field_of_action: unbekannter Code 'HF9'")
    assert "Erlaubt: HF1" in detail
    assert snapshot(erfurt_copy) == before


def test_dry_run_shows_changes_and_validation_but_stores_nothing(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    before = snapshot(erfurt_copy)
    data = _offers_with(Path(), [NEW_OFFER], rename=("ThEKiZ Kita Altstadt,", "ThEKiZ Kita Altstadt (neu),"))
    answer = client.post("/api/sources", files={"file": ("offers.csv", data, "text/csv")},
                         data={"name": "erfurt/offers.csv", "dry_run": "true"}, headers=EDITOR_AUTH)
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["committed"] is False
    graphs = {graph["name"]: graph for graph in plan["graphs"]}
    assert graphs["erfurt/offers.csv"]["status"] == "ersetzt"
    assert graphs["erfurt/offers.csv"]["added"] > 0
    assert plan["entities_added"] == [f"{BASE}offer/of-neu-test"]
    assert plan["entities_changed"] == [f"{BASE}offer/of-thekiz-altstadt"]
    assert plan["validation"]["violations"] == 3
    assert snapshot(erfurt_copy) == before
    assert client.get("/id/offer/of-neu-test").status_code == 404


def test_commit_loads_the_upload_and_records_provenance(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    answer = client.post("/api/sources", files={"file": ("offers.csv", _offers_with(Path(), [NEW_OFFER]), "text/csv")},
                         data={"name": "erfurt/offers.csv"}, headers=EDITOR_AUTH)
    assert answer.status_code == 200, answer.text
    assert answer.json()["committed"] is True
    page = client.get("/id/offer/of-neu-test")
    assert page.status_code == 200
    assert "Neues Seniorencafé" in page.text
    sources = {g["name"]: g for g in client.get("/api/sources").json()}
    assert sources["erfurt/offers.csv"]["file_name"] == "offers.csv"
    # internal rows were in the upload as before, so the internal part is still there for readers
    assert "erfurt/offers.csv/internal" in {g["name"] for g in client.get("/api/sources", headers=READER_AUTH).json()}


def test_upload_of_a_new_rdf_source_and_its_deletion(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    turtle = (f"<{BASE}note/n1> <http://www.w3.org/2000/01/rdf-schema#label> \"Notiz <b>fett</b>\"@de .\n"
              f"<{BASE}note/n1> <http://purl.org/dc/terms/identifier> \"n1\" .\n").encode()
    answer = client.post("/api/sources", files={"file": ("notizen.ttl", turtle, "text/turtle")},
                         headers=EDITOR_AUTH)
    assert answer.status_code == 200, answer.text
    assert answer.json()["graphs"][0] | {"triples_before": 0} == {
        "name": "notizen.ttl", "status": "neu", "triples_before": 0, "triples_after": 2, "added": 2, "removed": 0}
    page = client.get("/id/note/n1")
    assert "Notiz &lt;b&gt;fett&lt;/b&gt;" in page.text and "<b>fett</b>" not in page.text
    assert client.delete("/api/sources/notizen.ttl").status_code == 401
    deleted = client.delete("/api/sources/notizen.ttl", headers=EDITOR_AUTH)
    assert deleted.status_code == 200
    assert deleted.json() == {"deleted": ["notizen.ttl"]}
    assert client.get("/id/note/n1").status_code == 404


def test_delete_drops_the_internal_part_too(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    answer = client.delete("/api/sources/erfurt/offers.csv", headers=EDITOR_AUTH)
    assert answer.status_code == 200
    assert set(answer.json()["deleted"]) == {"erfurt/offers.csv", "erfurt/offers.csv/internal"}
    assert not any(g.name.startswith("erfurt/offers.csv") for g in erfurt_copy.graphs())


@pytest.mark.parametrize(("name", "status", "words"), [
    ("gibt/es/nicht.csv", 404, "gibt es nicht"),
    ("_vocabulary", 400, "Vokabular"),
])
def test_delete_refuses_unknown_and_vocabulary(erfurt_copy: GraphStore, name: str, status: int, words: str) -> None:
    client = client_for(erfurt_copy)
    before = snapshot(erfurt_copy)
    answer = client.delete(f"/api/sources/{name}", headers=EDITOR_AUTH)
    assert answer.status_code == status
    assert words in answer.json()["detail"]
    assert snapshot(erfurt_copy) == before


@pytest.mark.parametrize(("file_name", "content", "form", "status", "words"), [
    ("programm.exe", b"MZ", {}, 400, "keinen erlaubten Namen"),
    ("offers.csv", b"", {}, 400, "leer"),
    ("offers.csv", b"id,name\n", {"name": "../../etc"}, 400, "Quellenname"),
    ("offers.csv", b"id,name\n", {"name": "_meta"}, 400, "Quellenname"),
    ("liste.csv", b"id,name\nx,y\n", {}, 400, "Tabellenart nicht am Dateinamen erkennbar"),
    ("offers.csv", b"x" * 3000, {}, 413, "größer"),
    ("offers.csv", b"id,name\n", {"dry_run": "vielleicht"}, 400, "dry_run"),
])
def test_upload_refuses_bad_requests(erfurt_copy: GraphStore, file_name: str, content: bytes,
                                     form: dict[str, str], status: int, words: str) -> None:
    client = client_for(erfurt_copy, max_upload_bytes=2048)
    before = snapshot(erfurt_copy)
    answer = client.post("/api/sources", files={"file": (file_name, content, "text/csv")}, data=form,
                         headers=EDITOR_AUTH)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["detail"]
    assert snapshot(erfurt_copy) == before


def test_upload_without_a_file_is_a_german_400(erfurt_copy: GraphStore) -> None:
    answer = client_for(erfurt_copy).post("/api/sources", data={"name": "x"}, headers=EDITOR_AUTH)
    assert answer.status_code == 400
    assert "file: fehlt" in answer.json()["detail"]


# --- linked data -----------------------------------------------------------------------------------------

OFFER = "/id/offer/of-thekiz-altstadt"
OFFER_IRI = NamedNode(f"{BASE}offer/of-thekiz-altstadt")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", RdfFormat.TURTLE),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/rdf+xml", RdfFormat.RDF_XML),
])
def test_entity_rdf_by_accept(client: TestClient, accept: str, rdf_format: RdfFormat) -> None:
    answer = client.get(OFFER, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(accept)
    assert answer.headers["vary"] == "Accept"
    triples = list(parse(answer.content, format=rdf_format))
    labels = {t.object.value for t in triples if t.subject == OFFER_IRI and t.predicate == LABEL}
    assert labels == {"ThEKiZ Kita Altstadt"}


@pytest.mark.parametrize(("suffix", "rdf_format", "media"), [
    (".ttl", RdfFormat.TURTLE, "text/turtle"),
    (".jsonld", RdfFormat.JSON_LD, "application/ld+json"),
    (".nt", RdfFormat.N_TRIPLES, "application/n-triples"),
])
def test_entity_rdf_by_suffix(client: TestClient, suffix: str, rdf_format: RdfFormat, media: str) -> None:
    answer = client.get(OFFER + suffix, headers={"Accept": "text/html"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert any(t.subject == OFFER_IRI for t in parse(answer.content, format=rdf_format))


def test_entity_with_coordinates_includes_its_geometry(client: TestClient) -> None:
    rows = [line for line in (ERFURT / "offers.csv").read_text(encoding="utf-8").splitlines()[1:]
            if next(csv.reader([line]))[8]]
    identifier = next(csv.reader([rows[0]]))[0]
    turtle = client.get(f"/id/offer/{identifier}.nt").text
    assert f"<{BASE}offer/{identifier}#geometry> <http://www.opengis.net/ont/geosparql#asWKT>" in turtle


def test_entity_html_shows_labelled_facts_links_and_provenance(client: TestClient) -> None:
    page = client.get("/id/space/sr-mitte", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200
    assert "<h1>Sozialraum Mitte</h1>" in page.text
    assert "erfurt/spaces.geojson" in page.text  # provenance
    assert 'href="/id/space/st-altstadt"' in page.text  # a Stadtteil points at its Sozialraum
    assert "Sozialraum/Planungsraum" in page.text  # the level's German label, not its code IRI


def test_internal_entity_is_hidden_without_a_token(client: TestClient) -> None:
    url = "/id/offer/of-krisenwohnung-jugend"
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"Accept": "text/turtle"}).status_code == 404
    answer = client.get(url, headers=READER_AUTH)
    assert answer.status_code == 200
    assert "Krisenwohnung für Jugendliche" in answer.text
    assert "inkl. interner Daten" in answer.text


def test_entity_errors(client: TestClient) -> None:
    missing = client.get("/id/offer/gibt-es-nicht", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404
    assert "keine Angaben" in missing.text
    html_missing = client.get("/id/offer/gibt-es-nicht", headers={"Accept": "text/html"})
    assert html_missing.status_code == 404 and "<h1>Nicht gefunden</h1>" in html_missing.text
    assert client.get(OFFER, headers={"Accept": "image/png"}).status_code == 406


# --- front-end assets ------------------------------------------------------------------------------------

def test_vendor_assets_come_from_the_allow_list_only(client: TestClient) -> None:
    script = client.get("/assets/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert len(script.content) > 100_000
    for path in ("/assets/vendor/yasgui/../../package.json", "/assets/vendor/%2e%2e/package.json",
                 "/assets/vendor/@zazuko/yasgui/package.json", "/static/../app.py"):
        assert client.get(path).status_code == 404, path


def test_package_lock_uses_only_the_npm_registry() -> None:
    lock = json.loads((Path(__file__).parents[1] / "package-lock.json").read_text(encoding="utf-8"))
    assert "node_modules/@zazuko/yasgui" in lock["packages"]
    for entry in lock["packages"].values():
        resolved = entry.get("resolved")
        assert resolved is None or resolved.startswith("https://registry.npmjs.org/"), resolved


def test_entity_ids_with_umlauts_and_odd_paths(erfurt_copy: GraphStore) -> None:
    client = client_for(erfurt_copy)
    spaces = "id,name,level,parent,code\nst-büßleben,Büßleben,stadtteil,sr-ost,77\n"
    answer = client.post("/api/sources", files={"file": ("spaces-extra.csv", spaces.encode(), "text/csv")},
                         headers=EDITOR_AUTH)
    assert answer.status_code == 200, answer.text
    page = client.get("/id/space/st-b%C3%BC%C3%9Fleben")
    assert page.status_code == 200 and "<h1>Büßleben</h1>" in page.text
    assert client.get("/id/space/st-b%C3%BC%C3%9Fleben.ttl").headers["content-type"].startswith("text/turtle")
    assert 'href="/id/space/st-b%C3%BC%C3%9Fleben"' in client.get("/id/space/sr-ost").text
    for odd in ("/id/%22", "/id/a%7Cb", "/id/%00", "/id/a%20b", "/id/"):
        assert client.get(odd).status_code == 404, odd


def test_entity_answers_head_like_get(client: TestClient) -> None:
    answer = client.head(OFFER, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    assert client.head("/id/offer/gibt-es-nicht").status_code == 404


def test_saved_query_answers_are_kept_until_the_data_changes(erfurt_copy: GraphStore,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    client = client_for(erfurt_copy)
    runs: list[str] = []
    original = Catalog.run
    monkeypatch.setattr(Catalog, "run", lambda self, store, name, *args, **kwargs: (
        runs.append(name), original(self, store, name, *args, **kwargs))[1])
    first = client.get("/api/queries/overlaps").json()
    assert client.get("/api/queries/overlaps").json() == first
    assert client.get("/api/queries/overlaps", headers=READER_AUTH).status_code == 200
    assert runs == ["overlaps", "overlaps"], "the repeat comes from the cache; another access level does not"
    answer = client.delete("/api/sources/erfurt/offers.csv", headers=EDITOR_AUTH)
    assert answer.status_code == 200, answer.text
    after = client.get("/api/queries/overlaps").json()
    assert runs[-1] == "overlaps" and len(runs) == 3
    assert after != first, "after a delete the answer is computed again from the new data"
