"""What operations relies on: security headers on every answer, request ids in JSON logs, /readyz."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.operations import JsonFormatter
from sozialgraph.config import Settings
from sozialgraph.store import GraphStore, open_store
from tests.webapp_support import BASE, READER_AUTH, client_for


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


@pytest.mark.parametrize(("method", "url", "headers", "status"), [
    ("GET", "/", {}, 200),
    ("GET", "/api/queries", {}, 200),
    ("GET", "/api/queries/network-nodes?format=xlsx", {}, 200),
    ("GET", "/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"}, 200),
    ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, 403),
    ("GET", "/id/space/sr-mitte", {"Accept": "text/turtle"}, 200),
    ("GET", "/static/app.css", {}, 200),
    ("GET", "/assets/vendor/swagger-ui/swagger-ui.css", {}, 200),
    ("GET", "/gibt-es-nicht", {}, 404),
    ("GET", "/api/sources", {"Authorization": "Bearer falsch"}, 401),
    ("GET", "/readyz", {}, 200),
])
def test_every_answer_carries_the_security_headers(client: TestClient, method: str, url: str,
                                                   headers: dict[str, str], status: int) -> None:
    answer = client.request(method, url, headers=headers)
    assert answer.status_code == status
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
    assert "unsafe-inline" not in policy


def test_only_the_library_pages_allow_inline_styles(client: TestClient) -> None:
    for path in ("/docs", "/sparql-editor"):
        policy = client.get(path).headers["content-security-policy"]
        assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("sozialgraph.access")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def _entries(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_id_is_echoed_and_logged_as_json(client: TestClient, log_lines: io.StringIO) -> None:
    answer = client.get("/api/stats", headers={"X-Request-ID": "proxy-4711.a", **READER_AUTH})
    assert answer.headers["x-request-id"] == "proxy-4711.a"
    entry = _entries(log_lines)[-1]
    assert entry["request_id"] == "proxy-4711.a"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/stats", 200)
    assert isinstance(entry["duration_ms"], float) and "Bearer" not in log_lines.getvalue()


def test_a_missing_or_odd_request_id_gets_a_fresh_one(client: TestClient, log_lines: io.StringIO) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz", headers={"X-Request-ID": 'evil"\n{"level":"x'}).headers["x-request-id"]
    assert len(first) == 32 and len(second) == 32 and first != second
    assert [entry["request_id"] for entry in _entries(log_lines)] == [first, second]


def test_readyz_answers_an_ask_and_503_when_the_store_does_not_answer() -> None:
    store = open_store(Settings(base_uri=BASE), in_memory=True)
    with client_for(store) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"status": "bereit", "ask": True}
        store.close()
        gone = client.get("/readyz")
        assert gone.status_code == 503 and gone.headers["Retry-After"].isdigit()
        assert gone.json()["detail"] == "Der Datenspeicher antwortet nicht."
