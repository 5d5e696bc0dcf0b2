"""The CLI contract, run as a planner runs it: a real subprocess on a real store folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ERFURT, run_cli


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = run_cli("load", str(ERFURT), store=store)
    assert result.returncode == 0, result.stderr
    return store


def test_validate_names_every_incomplete_offer(loaded: Path) -> None:
    result = run_cli("validate", "--format", "json", store=loaded)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    violating = {r["identifier"] for r in report["results"] if r["severity"] == "Violation"}
    # data/erfurt/README.md lists these as deliberately incomplete.
    assert {"of-sprachcafe-johannesplatz", "of-hausaufgabenhilfe-roter-berg",
            "of-familienfruehstueck-linderbach"} <= violating
    first = next(r for r in report["results"] if r["identifier"] == "of-sprachcafe-johannesplatz")
    assert set(first) >= {"identifier", "classes", "path", "severity", "message"}
    assert "offer_type" in first["message"]
    assert all(r["message"] for r in report["results"])


def test_info_json(loaded: Path) -> None:
    data = json.loads(run_cli("info", "--format", "json", store=loaded, check=True).stdout)
    assert data["triples"] > 1000
    names = {g["name"] for g in data["graphs"]}
    assert "erfurt/offers.csv" in names
    offers = next(g for g in data["graphs"] if g["name"] == "erfurt/offers.csv")
    assert offers["source"] == "offers.csv" and offers["triples"] > 0 and offers["loaded_at"]
    assert data["counts"]["sg:Offer"] == 44  # internal offers included: the CLI is the planner's own view
    assert data["counts"]["sg:Committee"] >= 5


def test_query_run_in_every_format(loaded: Path, tmp_path: Path) -> None:
    as_json = json.loads(run_cli("query", "run", "overlaps", "--format", "json", store=loaded,
                                 check=True).stdout)
    assert as_json and {"social_space", "social_space_label", "offer_ids"} <= set(as_json[0])
    as_csv = run_cli("query", "run", "overlaps", "--format", "csv", store=loaded, check=True).stdout
    assert as_csv.startswith("\ufeffsocial_space,social_space_label")
    assert len(as_csv.strip().splitlines()) == len(as_json) + 1
    target = tmp_path / "gaps.xlsx"
    run_cli("query", "run", "coverage-gaps", "-p", "field_of_action=HF6", "--format", "xlsx",
            "--output", str(target), store=loaded, check=True)
    sheet = load_workbook(target).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:2] == ["social_space", "social_space_label"]
    table = run_cli("query", "run", "overlaps", store=loaded, check=True).stdout
    assert "sr-nord" in table


def test_query_list_shows_summaries_and_parameters(loaded: Path) -> None:
    listed = json.loads(run_cli("query", "list", "--format", "json", store=loaded, check=True).stdout)
    names = {q["name"]: q for q in listed}
    assert {"coverage-gaps", "overlaps"} <= set(names)
    assert names["overlaps"]["summary"]
    assert {p["name"] for p in names["overlaps"]["params"]} >= {"level", "min_offers", "min_providers"}


def test_refused_load_exits_2_with_one_german_line(loaded: Path, tmp_path: Path) -> None:
    before = run_cli("info", "--format", "json", store=loaded, check=True).stdout
    bad = tmp_path / "offers.csv"
    bad.write_text("id,name,field_of_action\nx,Y,HF9\n", encoding="utf-8")
    result = run_cli("load", str(bad), store=loaded)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "offers.csv, Zeile 2, Spalte field_of_action" in lines[0]
    after = run_cli("info", "--format", "json", store=loaded, check=True).stdout
    assert json.loads(after)["graphs"] == json.loads(before)["graphs"]


def test_bad_query_parameter_exits_2(loaded: Path) -> None:
    result = run_cli("query", "run", "overlaps", "-p", "level=bezirk", store=loaded)
    assert result.returncode == 2
    assert "level" in result.stderr and "Traceback" not in result.stderr


def test_export_writes_every_graph(loaded: Path, tmp_path: Path) -> None:
    target = tmp_path / "all.nq"
    run_cli("export", str(target), store=loaded, check=True)
    graphs = {line.rsplit(" ", 2)[-2] for line in target.read_text(encoding="utf-8").splitlines() if line}
    assert any(g.endswith("graph/erfurt/offers.csv>") for g in graphs)


def test_dump_and_restore_commands(loaded: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.nq"
    run_cli("dump", str(backup), store=loaded, check=True)
    fresh = tmp_path / "fresh"
    result = run_cli("restore", str(backup), store=fresh)
    assert result.returncode == 0, result.stderr
    original = json.loads(run_cli("info", "--format", "json", store=loaded, check=True).stdout)
    restored = json.loads(run_cli("info", "--format", "json", store=fresh, check=True).stdout)
    assert restored["counts"] == original["counts"]
    def loads(info: dict[str, list[dict[str, str]]]) -> list[tuple[str, str, str]]:
        # The vocabulary is rebuilt from ontology/ when a store opens, so it has its own load time.
        return [(g["name"], g["sha256"], g["loaded_at"]) for g in info["graphs"] if g["name"] != "_vocabulary"]

    assert loads(restored) == loads(original)
