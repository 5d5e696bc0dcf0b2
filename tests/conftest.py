"""Shared fixtures: stores in memory and on disk, the example data set, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from loaders import load_sources, source_for
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.space_closure import with_space_closure
from sozialgraph.store import GraphContent, GraphStore, open_store
from tests.sparql_servers import oxigraph_server, server, virtuoso_server  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
ERFURT = ROOT / "data" / "erfurt"
FIXTURES = Path(__file__).parent / "fixtures"
PEERS = ROOT.parent / "shared" / "peers"
if not PEERS.exists():
    PEERS = Path("/work/shared/peers")
ARTIFACTS = ROOT / "test-artifacts"
# `publish --check` finds the official shapes and schemas through this variable (a checkout need not sit beside
# shared/); the tests and the CLI subprocesses they start use the same copy.
os.environ.setdefault("SOZIALGRAPH_PEERS", str(PEERS))


def erfurt_files() -> list[Path]:
    return sorted(p for p in ERFURT.iterdir() if p.suffix in (".csv", ".geojson", ".xlsx", ".ttl"))


@pytest.fixture
def memory_store() -> Iterator[GraphStore]:
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    yield store
    store.close()


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = open_store(Settings(store_path=tmp_path / "store", base_uri=DEFAULT_BASE_URI))
    yield store
    store.close()


@pytest.fixture(scope="session")
def erfurt_store() -> Iterator[GraphStore]:
    """The example data set, loaded once per test session (read-only use!)."""
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    load_sources(store, [source_for(path) for path in erfurt_files()])
    yield store
    store.close()


def write_with_derived(store: GraphStore, contents: list[GraphContent]) -> None:
    """Write graphs as a load does: with the derived graphs (closure, cells, rows) in the same commit."""
    written, dropped = with_space_closure(store, contents)
    store.replace(written, drop=dropped)


def load_files(store: GraphStore, paths: list[Path]) -> None:
    load_sources(store, [source_for(path) for path in paths])


def server_and_memory_stores(request: pytest.FixtureRequest, kind: str, label: str) -> tuple[str, list[GraphStore]]:
    """A fresh base URI, and a store on the `kind` SPARQL server and one in memory under it, to compare."""
    import uuid

    base = f"https://{label}.sozialgraph.example/{uuid.uuid4().hex}/"
    running = request.getfixturevalue(f"{kind}_server")
    return base, [open_store(running.settings(base_uri=base)), open_store(Settings(base_uri=base), in_memory=True)]


def load_folder(store: GraphStore, folder: Path) -> None:
    load_sources(store, [source_for(p) for p in sorted(folder.iterdir()) if p.is_file()])


@pytest.fixture(scope="module")
def towns() -> Iterator[GraphStore]:
    """Two small towns with hand-computed answers (fixtures/towns), loaded once per test module."""
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    load_folder(store, FIXTURES / "towns")
    yield store
    store.close()


@pytest.fixture
def towns_copy(tmp_path: Path) -> Path:
    """A copy of fixtures/towns that a test may edit."""
    folder = tmp_path / "towns"
    shutil.copytree(FIXTURES / "towns", folder)
    return folder


def assert_cli_derives_once(path: Path, note: str) -> None:
    """The CLI derives what a store from an older version lacks on its first open, noting it on stderr (the note
    contains `note`), and not on the next."""
    from typer.testing import CliRunner

    from sozialgraph.cli import app

    first = CliRunner().invoke(app, ["--store", str(path), "info"])
    assert first.exit_code == 0 and note in first.stderr
    again = CliRunner().invoke(app, ["--store", str(path), "info"])
    assert again.exit_code == 0 and note not in again.stderr


def run_cli(*args: str, store: Path, check: bool = False, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real `sozialgraph` command in a subprocess, as a planner runs it."""
    environment = {**os.environ, "SOZIALGRAPH_STORE": str(store)}
    environment.pop("SOZIALGRAPH_ENDPOINT", None)
    environment.update(env or {})  # a test may point the CLI at a SPARQL server
    return subprocess.run(
        [sys.executable, "-m", "sozialgraph.cli", *args],
        capture_output=True, text=True, env=environment, check=check, cwd=cwd or ROOT, timeout=300,
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright: one per test module."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: make system-deps installs it"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def web_server(erfurt_store: GraphStore) -> Iterator[str]:
    """The web app over the example data, served by uvicorn on 127.0.0.1: its base URL."""
    from tests.webapp_support import running

    with running(erfurt_store) as base:
        yield base
