"""A scheduled backup while the web app holds the store open: `sozialgraph dump` saves a snapshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, erfurt_files, run_cli

HOLD_OPEN = """
import sys, time
from sozialgraph.config import Settings
from sozialgraph.store import open_store
store = open_store(Settings.from_env())
print("offen", flush=True)
sys.stdin.readline()
store.close()
"""


def test_dump_while_another_process_holds_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_cli("load", *map(str, erfurt_files()), store=store, check=True)
    alone = tmp_path / "alone.nq"
    run_cli("dump", str(alone), store=store, check=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_OPEN], cwd=ROOT, text=True, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env={**os.environ, "SOZIALGRAPH_STORE": str(store)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "offen"
        snapshot = tmp_path / "snapshot.nq"
        made = run_cli("dump", str(snapshot), store=store)
        assert made.returncode == 0, made.stderr
        assert "Momentaufnahme" in made.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)
    assert sorted(snapshot.read_text(encoding="utf-8").splitlines()) == \
        sorted(alone.read_text(encoding="utf-8").splitlines())
