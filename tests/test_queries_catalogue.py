"""The catalogue as a contract: names, parameters and columns; hostile values refused; every format; the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sozialgraph.catalog import Catalog, bind_parameters
from sozialgraph.config import DEFAULT_BASE_URI
from sozialgraph.errors import QueryParameterError
from sozialgraph.results import FORMATS, render
from sozialgraph.store import GraphStore
from tests.conftest import FIXTURES, run_cli

TODAY = dt.date(2025, 3, 1)
HOSTILE = 'senioren" } ; DROP ALL ; {'

# The table: name -> (parameters, columns). Labels beside ids are the catalogue's convention.
CONTRACT: dict[str, tuple[set[str], list[str]]] = {
    "coverage-gaps": ({"level", "field_of_action", "target_group"}, ["social_space", "field_of_action",
                                                                     "target_group"]),
    "overlaps": ({"level", "min_offers", "min_providers", "field_of_action", "target_group"},
                 ["social_space", "field_of_action", "target_group", "offers", "providers", "offer_ids"]),
    "unplanned": ({"dimension", "level"}, ["item"]),
    "plan-overlaps": ({"level"}, ["plan_a", "plan_b", "social_space", "field_of_action", "target_group"]),
    "unmet-needs": (set(), ["need", "social_space", "target_group", "field_of_action", "source"]),
    "need-vs-supply": ({"target_group", "indicator", "level", "period"},
                       ["social_space", "indicator_value", "offers", "offers_per_1000", "rank"]),
    "funding-ending": ({"until"}, ["offer", "provider", "funding_programme", "end_date"]),
    "reporting-overdue": ({"on"}, ["plan", "department", "last_report_date", "due_date"]),
    "department-silos": (set(), ["department"]),
    "lsz-readiness": (set(), ["field_of_action", "offers", "plans", "needs", "participation_events", "ready"]),
    "vorhabenliste": (set(), ["measure", "target_group_ids", "social_space_ids", "due_date", "decision_number",
                              "cost_eur", "status"]),
    "provider-profile": ({"provider"}, ["offer", "target_group_ids", "social_space", "funding_programme"]),
    "measure-status": ({"plan"}, ["measure", "status", "due_date", "overdue"]),
    "offers-per-1000": ({"target_group", "indicator", "level"}, ["social_space", "residents", "offers",
                                                                  "offers_per_1000"]),
    "changes-since": ({"since"}, ["date", "change", "entity"]),
    "incomplete-entities": (set(), ["table", "missing", "social_space", "entities", "entity_ids"]),
}
REQUIRED = {"need-vs-supply": {"target_group": "kinder", "indicator": "einwohner-unter-18"},
            "provider-profile": {"provider": "p-cari"}}
FOLDERS = {"coverage-gaps": "gaps", "unplanned": "gaps", "unmet-needs": "gaps", "overlaps": "overlaps",
           "plan-overlaps": "overlaps", "department-silos": "network", "incomplete-entities": "quality",
           "vorhabenliste": "publication"}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_names_parameters_columns_and_folders(towns: GraphStore, name: str) -> None:
    catalog = Catalog()
    query = catalog.get(name)
    params, columns = CONTRACT[name]
    declared = {param.name for param in query.params}
    assert params <= declared
    if name not in ("department-silos",):
        assert "municipality" in declared, "several municipalities in one store: every spatial query filters"
    assert query.folder == FOLDERS.get(name, "planning")
    assert query.summary and query.description
    result = catalog.run(towns, name, REQUIRED.get(name, {}), today=TODAY)
    assert [column for column in result.columns if column in columns] == columns
    for column in result.columns:
        if column.endswith("_label"):
            assert column.removesuffix("_label") in result.columns, f"{column} without its id column"


def every_parameter() -> list[tuple[str, str]]:
    return [(query.name, param.name) for query in Catalog().queries() for param in query.params]


@pytest.mark.parametrize(("name", "param"), every_parameter())
def test_hostile_value_is_refused_and_changes_nothing(towns: GraphStore, name: str, param: str) -> None:
    before = towns.triple_count()
    values = {**REQUIRED.get(name, {}), param: HOSTILE}
    with pytest.raises(QueryParameterError) as error:
        Catalog().run(towns, name, values, today=TODAY)
    assert f"'{param}'" in str(error.value) and "Erlaubt" in str(error.value)
    assert towns.triple_count() == before
    assert len(Catalog().run(towns, "department-silos").rows) == 3


def test_values_are_bound_as_terms_where_they_are_used() -> None:
    catalog = Catalog()
    query = catalog.get("unplanned")
    bound = catalog.bindings(query, {"municipality": "ka"}, DEFAULT_BASE_URI, TODAY)
    text = bind_parameters(query.text, bound)
    top = text[text.index("WHERE {"):]
    # The outer group uses only the dimension; each sub-select binds what it mentions (Virtuoso needs that).
    assert top.startswith('WHERE { VALUES (?_dimension) { ("target_group") }')
    assert text.count("VALUES (?_municipality) { (<https://sozialgraph.example/id/space/ka>) }") == 2
    assert "VALUES (?_level ?_municipality) { (<https://w3id.org/sozialgraph/code/space-level/sozialraum> " \
           "<https://sozialgraph.example/id/space/ka>) }" in text
    left_out = bind_parameters(query.text, catalog.bindings(query, {}, DEFAULT_BASE_URI, TODAY))
    # Left out entirely rather than bound to UNDEF: the same in SPARQL, and Virtuoso 7 takes UNDEF for a value.
    assert "?_municipality) {" not in left_out and "!BOUND(?_municipality)" in left_out


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_query_renders_in_every_format(towns: GraphStore, output_format: str) -> None:
    catalog = Catalog()
    for query in catalog.queries():
        result = catalog.run(towns, query.name, REQUIRED.get(query.name, {}), today=TODAY)
        data = render(result, output_format)
        if output_format == "csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            assert rows[0] == result.columns and len(rows) == len(result.rows) + 1
        elif output_format == "json":
            assert json.loads(data) == result.rows
        elif output_format == "xlsx":
            sheet = load_workbook(io.BytesIO(data)).active
            assert sheet is not None and [cell.value for cell in sheet[1]] == result.columns
        else:
            assert query.name in data.decode("utf-8")


@pytest.fixture(scope="module")
def towns_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("towns") / "store"
    result = run_cli("load", str(FIXTURES / "towns"), store=store)
    assert result.returncode == 0, result.stderr
    return store


def test_cli_query_list_shows_every_query(towns_folder: Path) -> None:
    names = sorted(query.name for query in Catalog().queries())
    listed = json.loads(run_cli("query", "list", "--format", "json", store=towns_folder, check=True).stdout)
    assert sorted(item["name"] for item in listed) == names
    assert all(item["summary"] for item in listed)
    by_name = {item["name"]: item for item in listed}
    assert [p["name"] for p in by_name["need-vs-supply"]["params"]] == [
        "target_group", "indicator", "level", "period", "municipality"]
    assert by_name["reporting-overdue"]["params"][0] == {
        "name": "on", "type": "date", "description": "Stichtag (JJJJ-MM-TT, TT.MM.JJJJ oder today)",
        "default": "today", "required": False, "allowed": []}
    table = run_cli("query", "list", store=towns_folder, check=True).stdout
    for name in names:
        assert name in table
    assert "min_offers=2" in table and "municipality" in table


def test_cli_query_run_in_every_format(towns_folder: Path, tmp_path: Path) -> None:
    args = ("query", "run", "reporting-overdue", "-p", "on=01.03.2025")
    as_json = json.loads(run_cli(*args, "--format", "json", store=towns_folder, check=True).stdout)
    assert [row["plan"] for row in as_json] == ["pl-a1", "pl-a2", "pl-b1"]
    as_csv = run_cli(*args, "--format", "csv", store=towns_folder, check=True).stdout
    assert as_csv.startswith("\ufeffplan,plan_label,department,department_label,last_report_date,due_date")
    assert "pl-a2,Konzept Nord,a-jug,Jugendamt Astadt,,2025-02-28" in as_csv
    target = tmp_path / "berichte.xlsx"
    run_cli(*args, "--format", "xlsx", "--output", str(target), store=towns_folder, check=True)
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.max_row == 4 and sheet["A2"].value == "pl-a1"
    table = run_cli(*args, store=towns_folder, check=True).stdout
    assert "pl-b1" in table and "2025-02-28" in table


def test_cli_refuses_hostile_and_missing_values(towns_folder: Path) -> None:
    before = run_cli("info", "--format", "json", store=towns_folder, check=True).stdout
    hostile = run_cli("query", "run", "unmet-needs", "-p", f"municipality={HOSTILE}", store=towns_folder)
    assert hostile.returncode == 2 and "municipality" in hostile.stderr and "Traceback" not in hostile.stderr
    missing = run_cli("query", "run", "need-vs-supply", "-p", "target_group=kinder", store=towns_folder)
    assert missing.returncode == 2 and "braucht den Parameter 'indicator'" in missing.stderr
    unknown = run_cli("query", "run", "unmet-needs", "-p", "municipality=kc", store=towns_folder)
    assert unknown.returncode == 2 and "'kc' gibt es im Datenbestand nicht" in unknown.stderr
    after = run_cli("info", "--format", "json", store=towns_folder, check=True).stdout
    assert json.loads(after)["graphs"] == json.loads(before)["graphs"]
