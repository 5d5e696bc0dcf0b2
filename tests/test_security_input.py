"""Uploads are judged by their bytes, not their names; no route reads a file outside its own folder."""

from __future__ import annotations

import http.client
import io
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from sozialgraph.config import Settings
from sozialgraph.store import GraphStore, open_store
from tests.webapp_support import BASE, EDITOR_AUTH, client_for, running, snapshot

OFFERS_CSV = b"id,name\nof-sniff,Test-Angebot\n"


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name"])
    sheet.append(["of-sniff", "Test-Angebot"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def small_store() -> Iterator[GraphStore]:
    """A store with only the vocabulary: a dry run over it is quick."""
    store = open_store(Settings(base_uri=BASE), in_memory=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(small_store: GraphStore) -> Iterator[TestClient]:
    with client_for(small_store) as test_client:
        yield test_client


def _upload(client: TestClient, file_name: str, data: bytes, **form: str) -> tuple[int, str]:
    answer = client.post("/api/sources", headers=EDITOR_AUTH, data={"kind": "offers", "dry_run": "true", **form},
                         files={"file": (file_name, data, "application/octet-stream")})
    body = answer.json()
    return answer.status_code, str(body.get("detail", body))


@pytest.mark.parametrize(("file_name", "data", "words"), [
    ("offers.xlsx", OFFERS_CSV, "der Inhalt ist Text (CSV?)"),
    ("offers.csv", _xlsx(), "Excel-Arbeitsmappe oder ZIP-Datei"),
    ("offers.csv", b"\xef\xbb\xbf  <!DOCTYPE html><html><body><script>alert(1)</script>", "HTML-Seite"),
    ("offers.csv", b"<script>fetch('https://evil.example')</script>\nid,name\n", "HTML-Seite"),
    ("offers.csv", b"id,name\nof-x,\x00\x01\x02\x03", "Binärdatei"),
    ("offers.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "alten Excel-Format (.xls)"),
    ("offers.ttl", b"PK\x03\x04" + b"\x00" * 64, "ZIP-Datei"),
])
def test_content_that_does_not_match_the_name_is_refused_in_german(client: TestClient, small_store: GraphStore,
                                                                   file_name: str, data: bytes,
                                                                   words: str) -> None:
    before = snapshot(small_store)
    status, message = _upload(client, file_name, data, dry_run="false")
    assert status == 415
    assert words in message and file_name in message
    assert snapshot(small_store) == before


@pytest.mark.parametrize(("file_name", "data"), [("offers.csv", OFFERS_CSV), ("offers.xlsx", _xlsx())])
def test_the_real_thing_passes_the_check(client: TestClient, file_name: str, data: bytes) -> None:
    status, message = _upload(client, file_name, data, name="test/sniff")
    assert status == 200, message
    assert "test/sniff" in message


def test_an_uploaded_file_name_with_dot_dots_stays_a_plain_name(client: TestClient) -> None:
    status, message = _upload(client, "../../../tmp/offers.csv", OFFERS_CSV)
    assert status == 200, message
    assert "'name': 'offers.csv'" in message and ".." not in message


@pytest.mark.parametrize("name", ["../../etc/passwd", "erfurt/../../x", "%2e%2e/x", "_vocabulary"])
def test_a_source_name_with_dot_dots_is_refused(client: TestClient, name: str) -> None:
    status, message = _upload(client, "offers.csv", OFFERS_CSV, name=name)
    assert status == 400 and "nicht erlaubt" in message


SECRETS = ("[project]", '"dependencies"', "root:x:0", "create_app")
"""Lines of pyproject.toml, package.json, /etc/passwd and api/app.py: none may come back."""
RAW_PATHS = [
    "/static/../pyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/..%5c..%5capi%5capp.py",
    "/static/%2e%2e/app.py",
    "/assets/vendor/../../package.json",
    "/assets/vendor/%2e%2e/%2e%2e/package.json",
    "/assets/vendor/yasgui/..%2f..%2f..%2fpackage.json",
    "/assets/vendor/yasgui%2f..%2f..%2f..%2f..%2fpackage.json",
    "/id/../../etc/passwd",
    "/id/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/id/offer/..%2f..%2f..%2fpyproject.toml",
    "/api/queries/..%2f..%2fpyproject.toml",
    "/abfragen/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "//etc/passwd",
]


@pytest.fixture(scope="module")
def server(erfurt_store: GraphStore) -> Iterator[str]:
    with running(erfurt_store) as base:
        yield base


@pytest.mark.parametrize("path", RAW_PATHS)
def test_no_path_reaches_a_file_outside_its_folder(server: str, path: str) -> None:
    """Sent byte for byte over real HTTP (a client library would normalise the dots away)."""
    address = urlsplit(server)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=20)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read().decode("utf-8", "replace")
    connection.close()
    assert answer.status in (400, 404), (answer.status, body[:200])
    assert [secret for secret in SECRETS if secret in body] == []


def test_delete_with_dot_dots_touches_nothing(client: TestClient, small_store: GraphStore) -> None:
    before = snapshot(small_store)
    for name in ("..%2f..%2fetc%2fpasswd", "erfurt%2f..%2f_vocabulary", "%2e%2e"):
        answer = client.delete(f"/api/sources/{name}", headers=EDITOR_AUTH)
        assert answer.status_code in (400, 404)
    assert snapshot(small_store) == before
