"""Real SPARQL servers for the tests: `oxigraph serve` and Virtuoso, each on a free 127.0.0.1 port and its own
temporary database, started once per test session (per xdist worker) and stopped at its end."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.store.servers import endpoints_for

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # the fresh database's default; the server listens on 127.0.0.1 only and is thrown away


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    kind: str
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    user: str | None = None
    password: str | None = None
    command: list[str] = field(default_factory=list)

    def settings(self, **overrides: str) -> Settings:
        urls = endpoints_for(self.kind, self.base_url)
        values: dict[str, object] = {"endpoint": urls.query, "update_endpoint": urls.update,
                                     "store_endpoint": urls.store, "user": self.user, "password": self.password,
                                     "base_uri": DEFAULT_BASE_URI}
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    def env(self) -> dict[str, str]:
        """The environment variables a planner sets to use this server."""
        urls = endpoints_for(self.kind, self.base_url)
        env = {"SOZIALGRAPH_ENDPOINT": urls.query, "SOZIALGRAPH_UPDATE_ENDPOINT": urls.update,
               "SOZIALGRAPH_STORE_ENDPOINT": urls.store}
        if self.user:
            env.update(SOZIALGRAPH_USER=self.user, SOZIALGRAPH_PASSWORD=self.password or "")
        return env

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.process = _spawn(self.command, self.log)
        _wait_ready(self, endpoints_for(self.kind, self.base_url).query)


def _spawn(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as stream:
        return subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, cwd=log.parent)


def _wait_ready(server: Server, query_url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.kind} exited early:\n{server.log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop(kill=True)
    raise RuntimeError(f"{server.kind} not ready after {timeout}s:\n{server.log.read_text(errors='replace')[-3000:]}")


def start_oxigraph(folder: Path) -> Server:
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    command = [str(OXIGRAPH), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    log = folder / "oxigraph.log"
    server = Server("oxigraph", f"http://127.0.0.1:{port}", _spawn(command, log), log, command=command)
    _wait_ready(server, endpoints_for("oxigraph", server.base_url).query)
    return server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; As the README recommends: MaxQueryCostEstimationTime left out (OpenLink: "only meant for use when debugging";
; its estimates are random enough to refuse the same small query now and then). ResultSetMaxRows stays at the
; Debian default, so the tests meet the row limit a default installation has.
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


def start_virtuoso(folder: Path) -> Server:
    if not Path(VIRTUOSO).exists():
        pytest.fail("virtuoso-t fehlt: `make system-deps` installiert das Debian-Paket virtuoso-opensource")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    command = [VIRTUOSO, "+foreground", "+configfile", str(ini)]
    log = folder / "console.log"
    server = Server("virtuoso", f"http://127.0.0.1:{http_port}", _spawn(command, log), log, VIRTUOSO_USER,
                    VIRTUOSO_PASSWORD, command)
    _wait_ready(server, endpoints_for("virtuoso", server.base_url).query)
    return server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each test that takes `server` runs once against each real server."""
    return request.getfixturevalue(f"{request.param}_server")  # type: ignore[no-any-return]
