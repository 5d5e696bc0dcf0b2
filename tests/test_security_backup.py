"""A scheduled backup while the web app holds the store open: `sozialgraph dump` saves a snapshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli

HOLD_OPEN = """
import sys
from pathlib import Path
from loaders import load_sources, source_for
from sozialgraph.backup import dump
from sozialgraph.config import Settings
from sozialgraph.store import open_store
from tests.conftest import erfurt_files
store = open_store(Settings.from_env())
load_sources(store, [source_for(path) for path in erfurt_files()])
dump(store, Path(sys.argv[1]))
print("offen", flush=True)
sys.stdin.readline()
store.close()
"""


def test_dump_while_another_process_holds_the_store(tmp_path: Path) -> None:
    store, reference, snapshot = tmp_path / "store", tmp_path / "reference.nq", tmp_path / "snapshot.nq"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(reference)], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env={**os.environ, "SOZIALGRAPH_STORE": str(store)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "offen"
        made = run_cli("dump", str(snapshot), store=store)
        assert made.returncode == 0, made.stderr
        assert "Momentaufnahme" in made.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1000
    assert sorted(lines) == sorted(reference.read_text(encoding="utf-8").splitlines())
