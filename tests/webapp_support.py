"""Helpers shared by the web-app tests: an app over a store, tokens, and a fresh Erfurt store per test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import WebSettings
from loaders import load_sources, source_for
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.store import GraphStore, open_store
from tests.conftest import erfurt_files

EDITOR = "bearbeiten-7f3a"
READER = "lesen-91c2"
EDITOR_AUTH = {"Authorization": f"Bearer {EDITOR}"}
READER_AUTH = {"Authorization": f"Bearer {READER}"}
BASE = DEFAULT_BASE_URI


def web_settings(**overrides: object) -> WebSettings:
    values: dict[str, object] = {"base_uri": BASE, "editor_token": EDITOR, "reader_token": READER}
    values.update(overrides)
    return WebSettings(**values)  # type: ignore[arg-type]


def client_for(store: GraphStore, **overrides: object) -> TestClient:
    return TestClient(create_app(store, web_settings(**overrides)), raise_server_exceptions=False)


def fresh_erfurt_store() -> GraphStore:
    store = open_store(Settings(base_uri=BASE), in_memory=True)
    load_sources(store, [source_for(path) for path in erfurt_files()])
    return store


def erfurt_copy_store() -> Iterator[GraphStore]:
    """Erfurt in a store of its own, for tests that upload or delete (wrap in a fixture)."""
    store = fresh_erfurt_store()
    yield store
    store.close()


def snapshot(store: GraphStore) -> set[tuple[str, str]]:
    """Every current quad (logical graph names) as text, to prove a refused change changed nothing."""
    return {(str(quad.triple), quad.graph_name.value) for quad in store.quads()}  # type: ignore[union-attr]


@contextmanager
def running(store: GraphStore) -> Iterator[str]:
    """The app over `store`, served by uvicorn on a free port of 127.0.0.1 in a background thread."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    uvicorn_server = uvicorn.Server(uvicorn.Config(create_app(store, web_settings()), log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)
    listener.close()
