"""Basic and Bearer authentication, as a city's reverse proxy in front of an Oxigraph server asks for it (the way
the README suggests to protect Oxigraph, and how Fuseki and GraphDB ask). Virtuoso's Digest is covered by every
Virtuoso test."""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from sozialgraph.config import Settings
from sozialgraph.errors import SozialgraphError
from sozialgraph.store import GraphContent, open_store
from sozialgraph.store.servers import endpoints_for
from tests.sparql_servers import Server
from tests.test_remote_backend import tricky_triples

pytestmark = pytest.mark.server

USER, PASSWORD, TOKEN = "planerin", "geheim", "token-123"


class _Proxy(BaseHTTPRequestHandler):
    """Forwards to the server what carries the right credentials; answers 401 with a Basic challenge otherwise."""

    target = ""
    seen: ClassVar[list[str]] = []

    def _forward(self) -> None:
        given = self.headers.get("Authorization", "")
        basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        self.seen.append(given.split(" ")[0] if given else "none")
        if given not in (basic, f"Bearer {TOKEN}"):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sozialgraph"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        skip = ("host", "authorization", "content-length")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        answer = httpx.request(self.command, self.target + self.path, headers=headers, content=body, timeout=60)
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = _forward

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy(oxigraph_server: Server) -> Iterator[tuple[str, list[str]]]:
    seen: ClassVar[list[str]] = []
    handler = type("Proxy", (_Proxy,), {"target": oxigraph_server.base_url, "seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def _settings(base_url: str, **credentials: str) -> Settings:
    urls = endpoints_for("oxigraph", base_url)
    return Settings(endpoint=urls.query, update_endpoint=urls.update, store_endpoint=urls.store,
                    base_uri=f"https://auth.sozialgraph.example/{uuid.uuid4().hex}/", **credentials)


def test_basic_authentication_after_the_challenge(proxy: tuple[str, list[str]]) -> None:
    url, seen = proxy
    store = open_store(_settings(url, user=USER, password=PASSWORD))
    store.replace([GraphContent("tricky.ttl", tricky_triples())])
    assert {g.name for g in store.graphs()} == {"_vocabulary", "tricky.ttl"}
    store.close()
    # One unauthenticated try, then Basic from the start: the password is not sent before the server asks.
    assert seen[0] == "none" and set(seen[1:]) == {"Basic"}


def test_bearer_token(proxy: tuple[str, list[str]]) -> None:
    url, seen = proxy
    store = open_store(_settings(url, token=TOKEN))
    assert store.graphs()[0].name == "_vocabulary"
    store.close()
    assert set(seen) == {"Bearer"}


def test_wrong_or_missing_credentials_are_named(proxy: tuple[str, list[str]]) -> None:
    url, _ = proxy
    for credentials in ({}, {"user": USER, "password": "falsch"}, {"token": "abgelaufen"}):
        with pytest.raises(SozialgraphError) as caught:
            open_store(_settings(url, **credentials))
        assert caught.value.message.startswith(f"Der SPARQL-Server {url}/query verlangt eine Anmeldung")
        assert "SOZIALGRAPH_USER" in caught.value.message
