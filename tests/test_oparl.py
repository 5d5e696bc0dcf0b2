"""OParl 1.1: the specification's examples served by a real HTTP server, walked page by page into council papers."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from loaders import load_sources, source_for
from loaders.oparl import load_oparl, parse_since
from sozialgraph.errors import InputError
from sozialgraph.store import GraphStore
from tests.conftest import FIXTURES, PEERS, run_cli

EXAMPLES = PEERS / "oparl" / "master" / "examples"
ORIGIN = "https://oparl.example.org/"
PREFIXES = ("PREFIX sg: <https://w3id.org/sozialgraph/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
# (reference, date, name) of the papers built from Paper-01.json; the last one is Paper-01 itself.
PAPERS = [
    ("2811/23", "2024-04-08", "Integrierter Sozialraumplan Erfurt"),
    ("0724/18", "2018-10-01", "Prozessbeschreibung LSZ"),
    ("1001/22", "2022-03-01", "Sozialstrukturatlas 2020"),
    ("1002/23", "2023-06-15", "Bericht Familienbildung"),
    ("1003/24", "2024-01-10", "Seniorenbericht"),
    ("0999/13", "2013-05-05", "Spielplatzkonzeption"),
]
PER_PAGE = 3


class Site:
    """Files laid out by URL path (`<path>/index.json`), served by http.server on 127.0.0.1 in a thread."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                path = site.root / urlsplit(self.path).path.strip("/") / "index.json"
                body = path.read_bytes() if path.is_file() else b'{"error": "not found"}'
                self.send_response(200 if path.is_file() else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def put(self, url: str, data: object) -> None:
        target = self.root / urlsplit(url).path.strip("/") / "index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    def example(self, name: str) -> dict[str, Any]:
        """An example of the specification with its URLs pointing at this server."""
        return json.loads((EXAMPLES / name).read_text(encoding="utf-8").replace(ORIGIN, self.base))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build(site: Site) -> dict[str, Any]:
    system = site.example("System-01.json")
    body = site.example("Body-01.json")
    meeting = site.example("Meeting-01.json")  # fails its own schema upstream (agendaItem.order): served unchanged
    organization = site.example("Organization-01.json")
    template = site.example("Paper-01.json")
    site.put(system["id"], system)
    site.put(system["body"], {"data": [body], "links": {}, "pagination": {"totalElements": 1}})
    site.put(meeting["id"], meeting)
    site.put(organization["id"], organization)
    papers = []
    for number, (reference, date, name) in enumerate(PAPERS, start=1):
        paper = copy.deepcopy(template)
        paper.update(id=f"{site.base}paper/{number}", reference=reference, date=date, name=name)
        paper["consultation"][0].update(meeting=meeting["id"], organization=[organization["id"]],
                                        agendaItem=meeting["agendaItem"][0]["id"])
        papers.append(paper)
    papers.append(template)  # its meeting/243 and organization/96 exist nowhere: a warning each, not an error
    pages = [papers[i: i + PER_PAGE] for i in range(0, len(papers), PER_PAGE)]
    urls = [body["paper"]] + [f"{body['paper']}page-{n}" for n in range(2, len(pages) + 1)]
    for number, (url, items) in enumerate(zip(urls, pages, strict=True)):
        links = {"first": urls[0], "last": urls[-1]}
        if number + 1 < len(urls):
            links["next"] = urls[number + 1]
        site.put(url, {"data": items, "links": links, "pagination": {
            "totalElements": len(papers), "elementsPerPage": PER_PAGE, "currentPage": number + 1,
            "totalPages": len(pages)}})
    return {"system": system, "pages": urls, "meeting": meeting, "organization": organization}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    served = Site(tmp_path / "site")
    yield served
    served.close()


@pytest.fixture
def planned(memory_store: GraphStore, tmp_path: Path) -> GraphStore:
    """A plan adopted by decision 2811/23 and the finance committee the OParl example names."""
    actors = tmp_path / "actors.csv"
    actors.write_text((FIXTURES / "tiny" / "actors.csv").read_text(encoding="utf-8")
                      + "finanzausschuss,Finanzausschuss,committee,,amt-a;amt-b,\n", encoding="utf-8")
    plans = tmp_path / "plans.csv"
    plans.write_text("id,title,department,fields_of_action,decision_number\n"
                     "plan-isp,Integrierter Sozialraumplan,amt-a,HF1,2811 / 23\n", encoding="utf-8")
    load_sources(memory_store, [source_for(actors), source_for(plans)])
    return memory_store


def papers(store: GraphStore) -> dict[str, dict[str, Any]]:
    rows = store.select(PREFIXES + """SELECT ?ref ?date ?type ?plan WHERE {
        ?p a sg:CouncilPaper ; dct:identifier ?ref . OPTIONAL { ?p dct:date ?date } OPTIONAL { ?p sg:paperType ?type }
        OPTIONAL { ?p sg:concernsPlan/dct:identifier ?plan } }""").rows
    return {r["ref"].value: {k: r[k].value for k in ("date", "type", "plan") if k in r} for r in rows}


def test_walk_over_several_pages_links_the_plan(planned: GraphStore, site: Site) -> None:
    built = build(site)
    report = load_oparl(planned, site.base)
    found = papers(planned)
    assert set(found) == {ref for ref, _, _ in PAPERS} | {"1234/2014"}
    assert report.pages == 3 and all(urlsplit(url).path in site.requests for url in built["pages"])
    assert found["2811/23"] == {"date": "2024-04-08", "type": "Beantwortung einer Anfrage", "plan": "plan-isp"}
    assert report.linked_plans == ["https://sozialgraph.example/id/plan/plan-isp"]
    assert "plan" not in found["0724/18"]
    # The Beratungsfolge: committee (the store's own Finanzausschuss, found by name), meeting date, role, decision.
    steps = planned.select(PREFIXES + """SELECT ?body ?day ?role ?result ?text ?number ?decided WHERE {
        ?p dct:identifier "2811/23" ; sg:consultation ?c . ?c a sg:Consultation ; sg:consultedBy/dct:identifier ?body ;
        sg:consultationDate ?day ; sg:consultationRole ?role ; sg:decision ?d . ?d a sg:Decision ;
        rdfs:label ?result ; dct:description ?text ; sg:decisionNumber ?number ; sg:decisionDate ?decided .
        ?p sg:decision ?d }""").rows
    assert [(r["body"].value, r["day"].value, r["role"].value, r["result"].value, r["number"].value)
            for r in steps] == [("finanzausschuss", "2013-01-04", "Beschlussfassung", "Geändert beschlossen",
                                 "2811/23")]
    assert steps[0]["text"].value.startswith("Der Beschluss weicht wie folgt vom Antrag ab")
    # Meeting-01.json breaks its own schema upstream in a field the loader does not use: a warning, not a refusal.
    assert any("/meeting/281" in w and "agendaItem/0/order" in w for w in report.warnings)
    assert any("/meeting/243" in w and "HTTP 404" in w for w in report.warnings)
    info = next(g for g in planned.graphs() if g.name.startswith("oparl/127.0.0.1"))
    assert info.loader == "loaders.oparl" and info.source == site.base and info.sha256


def test_folder_copy_gives_the_same_papers(planned: GraphStore, site: Site) -> None:
    build(site)
    site.close()  # the folder is read without any server
    report = load_oparl(planned, str(site.root))
    assert set(papers(planned)) == {ref for ref, _, _ in PAPERS} | {"1234/2014"}
    assert report.pages == 3 and papers(planned)["2811/23"]["plan"] == "plan-isp"


def test_since_keeps_later_papers_via_cli(site: Site, tmp_path: Path) -> None:
    built = build(site)
    store = tmp_path / "store"
    result = run_cli("load", "--kind", "oparl", site.base, "--since", "2023-01-01", store=store)
    assert result.returncode == 0, result.stderr
    assert "3 Drucksachen aus 3 Listenseiten gelesen, 4 vor --since ausgelassen" in result.stdout
    first_page = [r for r in site.requests if urlsplit(r).path == urlsplit(built["pages"][0]).path]
    assert first_page and "modified_since=2023-01-01T00%3A00%3A00%2B00%3A00" in first_page[0]
    assert "das Gremium 'Ausschuss für Haushalt und Finanzen' steht nicht unter den Akteuren" in result.stderr
    from sozialgraph.config import DEFAULT_BASE_URI, Settings
    from sozialgraph.store import open_store

    opened = open_store(Settings(store_path=store, base_uri=DEFAULT_BASE_URI))
    try:
        assert set(papers(opened)) == {"2811/23", "1002/23", "1003/24"}
        # No actor of the store is named like the committee: it is named, but stays outside the inventory.
        bodies = opened.select(PREFIXES + "PREFIX org: <http://www.w3.org/ns/org#> SELECT DISTINCT ?name ?type "
                               "WHERE { ?c sg:consultedBy ?b . ?b rdfs:label ?name ; a ?type }").rows
        assert [(r["name"].value, r["type"].value) for r in bodies] == [
            ("Ausschuss für Haushalt und Finanzen", "http://www.w3.org/ns/org#Organization")]
    finally:
        opened.close()
    with pytest.raises(InputError, match="--since"):
        parse_since("Anfang 2023")


def _break(field: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(page: dict[str, Any]) -> None:
        page["data"][1][field] = value
    return change


@pytest.mark.parametrize(("change", "expected"), [
    (_break("consultation", "https://x.example/consultation/1"),
     "page-2, data/1 (id {base}paper/5), Feld 'consultation': falscher Typ: erwartet Liste, gefunden Text"),
    (_break("date", "15.06.2023"),
     "page-2, data/1 (id {base}paper/5), Feld 'date': ungültiges Format, erwartet Datum JJJJ-MM-TT"),
    (_break("reference", 1002),
     "page-2, data/1 (id {base}paper/5), Feld 'reference': falscher Typ: erwartet Text, gefunden ganze Zahl"),
    (lambda page: page["data"][1].pop("id"), "page-2, data/1, Feld 'id': Pflichtfeld fehlt"),
    (lambda page: page.pop("data"), "page-2, Feld 'data': Pflichtfeld einer OParl-Liste fehlt"),
    (lambda page: page["links"].__setitem__("next", 3), "page-2, Feld 'links/next': muss eine URL (Text) sein"),
])
def test_broken_page_names_url_and_field_and_changes_nothing(
        planned: GraphStore, site: Site, change: Callable[[dict[str, Any]], None], expected: str) -> None:
    built = build(site)
    load_oparl(planned, site.base)
    before = [(g.name, g.triples, g.loaded_at) for g in planned.graphs()]
    page_url = built["pages"][1]
    page = json.loads((site.root / urlsplit(page_url).path.strip("/") / "index.json").read_text(encoding="utf-8"))
    change(page)
    site.put(page_url, page)
    with pytest.raises(InputError) as caught:
        load_oparl(planned, site.base)
    assert caught.value.message.startswith(page_url.removesuffix("page-2"))
    assert expected.format(base=site.base) in caught.value.message
    assert [(g.name, g.triples, g.loaded_at) for g in planned.graphs()] == before


def test_unreachable_system_is_a_clear_error(memory_store: GraphStore, site: Site) -> None:
    with pytest.raises(InputError, match="HTTP 404"):
        load_oparl(memory_store, site.base + "nowhere/")
