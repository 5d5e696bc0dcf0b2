"""No input makes the app answer 5xx: the API by its OpenAPI description (schemathesis), pages by hypothesis."""

from __future__ import annotations

from urllib.parse import quote

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from tests.webapp_support import EDITOR_AUTH, client_for, fresh_erfurt_store, web_settings

STORE = fresh_erfurt_store()
APP = create_app(STORE, web_settings())
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
QUICK = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@SCHEMA.parametrize()
@QUICK
def test_api_never_answers_5xx(case: schemathesis.Case) -> None:
    response = case.call(headers=EDITOR_AUTH if case.method in ("POST", "DELETE") else None)
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])


CLIENT: TestClient = client_for(STORE)
PAGES = ["/abfragen/coverage-gaps", "/abfragen/overlaps", "/lueckenmatrix", "/lueckenmatrix/angebote",
         "/datenqualitaet", "/", "/quellen"]


@given(page=st.sampled_from(PAGES), key=st.text(max_size=20), value=st.text(max_size=40))
@QUICK
def test_pages_never_answer_5xx(page: str, key: str, value: str) -> None:
    answer = CLIENT.get(f"{page}?{quote(key)}={quote(value)}&ausfuehren=1")
    assert answer.status_code < 500, (page, key, value, answer.text[:300])
    assert answer.headers["content-type"].startswith("text/html")


@given(path=st.text(min_size=1, max_size=60), accept=st.sampled_from(["text/html", "text/turtle", "*/*", "x/y"]))
@QUICK
def test_entity_paths_never_answer_5xx(path: str, accept: str) -> None:
    answer = CLIENT.get("/id/" + quote(path, safe="/%"), headers={"Accept": accept})
    assert answer.status_code < 500, (path, answer.text[:300])
