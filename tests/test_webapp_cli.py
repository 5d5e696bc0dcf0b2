"""`sozialgraph demo` and `serve` start the web app for real (what `make demo` runs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_serves_the_erfurt_example(tmp_path: Path) -> None:
    port = free_port()
    environment = {**os.environ, "SOZIALGRAPH_STORE": str(tmp_path / "store"), "SOZIALGRAPH_EDITOR_TOKEN": "demo-t"}
    environment.pop("SOZIALGRAPH_ENDPOINT", None)
    process = subprocess.Popen([sys.executable, "-m", "sozialgraph.cli", "demo", "--port", str(port)], cwd=ROOT,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the demo did not answer within two minutes"
                time.sleep(0.3)
        assert page.status_code == 200
        assert "<h1>Übersicht</h1>" in page.text and "erfurt/offers.csv" in page.text
        # the token from the environment reaches the app: a wrong one is refused, the right one may delete
        base = f"http://127.0.0.1:{port}"
        assert httpx.delete(f"{base}/api/sources/erfurt/needs.csv",
                            headers={"Authorization": "Bearer falsch"}).status_code == 401
        assert httpx.delete(f"{base}/api/sources/erfurt/needs.csv",
                            headers={"Authorization": "Bearer demo-t"}).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
