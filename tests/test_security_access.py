"""Roles over every route: public sees public data only, reader sees internal data, editor may change data.

Tokens are configured hashed (a tokens file of `role:sha256` lines from `sozialgraph token`) and rotated by
editing the file, without a restart.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from starlette.routing import BaseRoute

from sozialgraph.store import GraphStore
from sozialgraph.tokens import token_line
from tests.conftest import run_cli
from tests.webapp_support import EDITOR_AUTH, READER_AUTH, client_for, erfurt_copy_store

MARKERS = ("krisen", "schutzwohnung", "dienstberatung", ".csv/internal")
"""Words only internal data contains: two internal offers, an internal committee, the internal graphs' names."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Case:
    route: str
    """The route's path as the app declares it."""
    url: str
    marker: str | None
    """A word a reader sees here and the public must not; None where the route shows no internal data."""
    headers: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    body: str | None = None


SPARQL_ALL = "SELECT ?s ?o WHERE { ?s ?p ?o }"
READ_CASES = [
    Case("/", "/", ".csv/internal"),
    Case("/abfragen", "/abfragen", None),
    Case("/abfragen/{name}", "/abfragen/network-nodes?ausfuehren=1", "dienstberatung"),
    Case("/lueckenmatrix", "/lueckenmatrix?target_group=jugendliche", None),
    Case("/lueckenmatrix/angebote",
         "/lueckenmatrix/angebote?social_space=sr-suedost&field_of_action=HF4&target_group=jugendliche", "krisen"),
    Case("/datenqualitaet", "/datenqualitaet", "schutzwohnung"),
    Case("/quellen", "/quellen", ".csv/internal"),
    Case("/sparql-editor", "/sparql-editor", None),
    Case("/docs", "/docs", None),
    Case("/openapi.json", "/openapi.json", None),
    Case("/healthz", "/healthz", None),
    Case("/readyz", "/readyz", None),
    Case("/api/queries", "/api/queries", None),
    Case("/api/queries/{name}", "/api/queries/network-nodes", "dienstberatung"),
    Case("/api/queries/{name}", "/api/queries/network-nodes?format=csv", "dienstberatung"),
    Case("/api/queries/{name}", "/api/queries/network-nodes?format=xlsx", "dienstberatung"),
    Case("/api/validation", "/api/validation", "krisen"),
    Case("/api/stats", "/api/stats", ".csv/internal"),
    Case("/api/sources", "/api/sources", ".csv/internal"),
    Case("/sparql", "/sparql?query=" + SPARQL_ALL.replace(" ", "+"), "krisen"),
    Case("/sparql", "/sparql", "krisen", (("Content-Type", "application/sparql-query"),), "POST", SPARQL_ALL),
    Case("/id/{rest:path}", "/id/space/st-daberstedt", "krisen"),
    Case("/id/{rest:path}", "/id/offer/of-krisenwohnung-jugend.ttl", "krisen"),
    Case("/id/{rest:path}", "/id/actor/dienstberatung-ob", "dienstberatung"),
    Case("/id/{rest:path}", "/id/space/st-daberstedt", None, method="HEAD"),
    Case("/assets/vendor/{name:path}", "/assets/vendor/swagger-ui/swagger-ui.css", None),
    Case("/static", "/static/app.css", None),
]
WRITE_ROUTES = {("POST", "/api/sources"), ("DELETE", "/api/sources/{name:path}")}


def _routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _routes(inner.routes) if inner is not None else [route]


def _declared(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for route in _routes(app.routes):
        methods = getattr(route, "methods", None) or {"GET"}
        found.update((method, getattr(route, "path", "")) for method in methods if method != "HEAD"
                     or "GET" not in methods)
    return found


def _text(answer: object) -> str:
    from httpx import Response

    assert isinstance(answer, Response)
    if answer.headers.get("content-type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(answer.content), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row)
    return answer.text


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


def test_every_route_is_in_the_access_matrix(client: TestClient) -> None:
    """A new route must say what it shows; parameterless GET pages are checked below automatically."""
    covered = {(case.method, case.route) for case in READ_CASES} | WRITE_ROUTES
    missing = {(method, path) for method, path in _declared(client.app)  # type: ignore[arg-type]
               if (method, path) not in covered and not (method == "GET" and "{" not in path)}
    assert missing == set()


@pytest.mark.parametrize("case", READ_CASES, ids=lambda case: f"{case.method} {case.url[:60]}")
def test_without_a_token_only_public_data(client: TestClient, case: Case) -> None:
    def fetch(auth: dict[str, str]) -> tuple[int, str]:
        answer = client.request(case.method, case.url, headers={**dict(case.headers), **auth}, content=case.body)
        return answer.status_code, _text(answer).casefold()

    public_status, public = fetch({})
    public = public.replace(case.url.rsplit("/", 1)[-1].split(".")[0].casefold(), "")  # a 404 names the IRI
    reader_status, reader = fetch(READER_AUTH)
    editor_status, editor = fetch(EDITOR_AUTH)
    assert public_status in (200, 404), public[:300]
    assert reader_status == editor_status == 200, reader[:300]
    assert [marker for marker in MARKERS if marker in public] == []
    if case.marker is not None:
        assert case.marker in reader and case.marker in editor


def test_parameterless_pages_added_later_leak_nothing(client: TestClient) -> None:
    paths = sorted(path for method, path in _declared(client.app)  # type: ignore[arg-type]
                   if method == "GET" and "{" not in path)
    assert "/" in paths and "/quellen" in paths
    for path in paths:
        answer = client.get(path)
        assert not [marker for marker in MARKERS if marker in _text(answer).casefold()], path


@pytest.fixture
def erfurt_copy() -> Iterator[GraphStore]:
    yield from erfurt_copy_store()


CSV_UPLOAD = b"id,name\nof-neu,Neues Angebot\n"


@pytest.mark.parametrize(("auth", "status"), [({}, 401), (READER_AUTH, 403), (EDITOR_AUTH, 200)])
def test_only_the_editor_uploads_and_deletes(erfurt_copy: GraphStore, auth: dict[str, str], status: int) -> None:
    with client_for(erfurt_copy) as client:
        before = {graph.name for graph in erfurt_copy.graphs()}
        upload = client.post("/api/sources", headers=auth, data={"name": "test/neu", "kind": "offers",
                                                                 "dry_run": "true"},
                             files={"file": ("offers.csv", CSV_UPLOAD, "text/csv")})
        delete = client.delete("/api/sources/erfurt/participation.csv", headers=auth)
        assert (upload.status_code, delete.status_code) == (status, status), (upload.text, delete.text)
        after = {graph.name for graph in erfurt_copy.graphs()}
        assert ("erfurt/participation.csv" in after) == (status != 200)
        assert before - after == (set() if status != 200 else {"erfurt/participation.csv"})


# --- tokens: hashed, rotated without restart ----------------------------------------------------------------

def _write(path: Path, text: str) -> None:
    """Write and move the mtime on, as an editor saving the file a moment later would."""
    stamp = path.stat().st_mtime_ns + 1_000_000_000 if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stamp is not None:
        os.utime(path, ns=(stamp, stamp))


def test_tokens_file_holds_hashes_from_the_cli_and_rotates_without_restart(tmp_path: Path,
                                                                          erfurt_store: GraphStore) -> None:
    old = "alter-lese-token-0123456789"
    made = run_cli("token", "hash", "--role", "reader", old, store=tmp_path / "unused", check=True)
    line = made.stdout.strip()
    assert line.startswith("reader:") and old not in line and len(line) == len("reader:") + 64
    tokens = tmp_path / "tokens"
    _write(tokens, f"# Lese-Token der Fachplanung\n{line}\n")
    url = "/api/sources"
    with client_for(erfurt_store, editor_token=None, reader_token=None, tokens_file=tokens) as client:
        assert ".csv/internal" in client.get(url, headers={"Authorization": f"Bearer {old}"}).text
        rotated = run_cli("token", "new", "--role", "reader", store=tmp_path / "unused", check=True)
        new = rotated.stderr.rsplit(":", 1)[1].strip()
        assert len(new) >= 40 and new not in rotated.stdout
        assert client.get(url, headers={"Authorization": f"Bearer {new}"}).status_code == 401
        _write(tokens, rotated.stdout)
        assert client.get(url, headers={"Authorization": f"Bearer {old}"}).status_code == 401
        assert ".csv/internal" in client.get(url, headers={"Authorization": f"Bearer {new}"}).text
        assert client.post(url, headers={"Authorization": f"Bearer {new}"}).status_code == 403


def test_a_broken_tokens_file_grants_nothing(tmp_path: Path, erfurt_store: GraphStore) -> None:
    token = "ein-token-fuer-den-test-000000"
    tokens = tmp_path / "tokens"
    _write(tokens, token_line("editor", token) + "\n")
    auth = {"Authorization": f"Bearer {token}"}
    with client_for(erfurt_store, editor_token=None, reader_token=None, tokens_file=tokens) as client:
        assert client.get("/api/sources", headers=auth).status_code == 200
        _write(tokens, token_line("editor", token) + "\neditor:kein-hash\n")
        assert client.get("/api/sources", headers=auth).status_code == 401
        tokens.unlink()
        assert client.get("/api/sources", headers=auth).status_code == 401
        assert client.get("/api/sources").status_code == 200


def test_plain_environment_tokens_are_kept_only_as_hashes(erfurt_store: GraphStore) -> None:
    with client_for(erfurt_store) as client:
        table = client.app.state.tokens  # type: ignore[attr-defined]
        kept = repr(vars(table))
        assert "lesen-91c2" not in kept and "bearbeiten-7f3a" not in kept
        assert table.role_of("lesen-91c2") == "reader" and table.role_of("bearbeiten-7f3a") == "editor"


def test_token_cli_refuses_short_tokens_and_unknown_roles(tmp_path: Path) -> None:
    short = run_cli("token", "hash", "--role", "reader", "kurz", store=tmp_path)
    assert short.returncode != 0 and "zu kurz" in short.stderr
    role = run_cli("token", "new", "--role", "admin", store=tmp_path)
    assert role.returncode != 0 and "Unbekannte Rolle" in role.stderr
