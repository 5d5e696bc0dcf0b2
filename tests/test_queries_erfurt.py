"""The catalogue on data/erfurt: the answers its README promises, and counts re-derived from its CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import json
from itertools import combinations

from sozialgraph.catalog import Catalog, Value
from sozialgraph.store import GraphStore
from tests.conftest import ERFURT

ON = dt.date(2026, 1, 1)
PLACED_BY_COORDINATES = {"of-jugendhaus-altstadt": "st-altstadt", "of-spielmobil-nord": "st-berliner-platz",
                         "of-spielmobil-west": "st-marbach", "of-jugendhaus-wiesenhuegel": "st-wiesenhuegel"}


def run(store: GraphStore, name: str, **params: str) -> list[dict[str, Value]]:
    return Catalog().run(store, name, params, today=ON).rows


def table(name: str) -> list[dict[str, str]]:
    if name == "spaces":  # the example's spaces come with areas, as GeoJSON
        features = json.loads((ERFURT / "spaces.geojson").read_text(encoding="utf-8"))["features"]
        return [{key: str(value or "") for key, value in feature["properties"].items()} for feature in features]
    with (ERFURT / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def sozialraum_of() -> dict[str, str]:
    spaces = {row["id"]: row for row in table("spaces")}
    result = {}
    for space_id, row in spaces.items():
        current = row
        while current["level"] not in ("sozialraum", "kommune") and current["parent"]:
            current = spaces[current["parent"]]
        if current["level"] == "sozialraum":
            result[space_id] = current["id"]
    return result


def test_unmet_needs_are_the_nine_the_readme_names(erfurt_store: GraphStore) -> None:
    unmet = [row["need"] for row in run(erfurt_store, "unmet-needs")]
    assert unmet == sorted(["ne-mitte-03", "ne-nord-02", "ne-nord-03", "ne-west-01", "ne-west-03",
                            "ne-suedost-03", "ne-sued-01", "ne-sued-02", "ne-ost-03"])
    # The borderline case: covered by an offer that lacks its provider.
    assert "ne-ost-02" not in unmet


def test_unplanned_target_group_and_no_unplanned_space(erfurt_store: GraphStore) -> None:
    assert [row["item"] for row in run(erfurt_store, "unplanned")] == ["menschen-mit-behinderung"]
    assert run(erfurt_store, "unplanned", dimension="social_space", level="stadtteil") == []
    assert run(erfurt_store, "unplanned", dimension="field_of_action") == []


def test_plan_overlaps_the_readme_lists(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "plan-overlaps", level="kommune")
    pairs: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in rows:
        assert row["social_space"] == "erfurt" and str(row["plan_a"]) < str(row["plan_b"])
        key = (str(row["field_of_action"]), str(row["target_group"]))
        pairs.setdefault(key, set()).add((str(row["plan_a"]), str(row["plan_b"])))
    seniors = ["plan-isek-2030", "plan-isp-2024", "plan-lsz-prozess-2019", "plan-seniorenbericht-2018"]
    assert pairs[("HF5", "senioren")] == set(combinations(seniors, 2))
    families = ["plan-fachplanung-familienbildung-2018", "plan-familienbefragung-2019", "plan-lsz-prozess-2019",
                "plan-studie-bildungssteuerung", "plan-thekiz-strategie"]
    assert pairs[("HF3", "familien")] == set(combinations(families, 2))
    assert pairs[("HF4", "zugewanderte")] == {("plan-integrationskonzept", "plan-isp-2024")}
    by_space = run(erfurt_store, "plan-overlaps")
    thekiz = {row["social_space"] for row in by_space
              if "plan-thekiz-strategie" in (row["plan_a"], row["plan_b"])}
    assert thekiz == {"sr-nord", "sr-suedost"}


def test_need_vs_supply_matches_the_tables(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "need-vs-supply", target_group="kinder", indicator="einwohner-unter-18")
    values = {row["social_space"]: float(row["value"]) for row in table("indicators")
              if row["indicator"] == "einwohner-unter-18" and row["period"] == "2023"}
    regions = sozialraum_of()
    offers = dict.fromkeys(values, 0)
    for offer in table("offers"):
        # Offers with coordinates only are placed by point in polygon where data/erfurt/README.md says.
        space = offer["social_space"] or PLACED_BY_COORDINATES.get(offer["id"], "")
        if "kinder" in offer["target_groups"].split(";") and space in regions:
            offers[regions[space]] += 1
    expected = sorted(values, key=lambda space: (offers[space] / values[space], space))
    assert [row["social_space"] for row in rows] == expected
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5, 6]
    for row in rows:
        space = str(row["social_space"])
        assert row["indicator_value"] == values[space] and row["offers"] == offers[space]
        assert row["offers_per_1000"] == round(1000 * offers[space] / values[space], 2)


def test_offers_per_1000_uses_the_latest_population(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "offers-per-1000")
    assert len(rows) == 6
    residents = sum(int(str(row["residents"])) for row in rows)
    assert 205_000 <= residents <= 225_000  # README: together about 215,000 inhabitants


def test_funding_ending_in_2027(erfurt_store: GraphStore) -> None:
    until_2027 = {row["offer"] for row in run(erfurt_store, "funding-ending", until="2027-12-31")}
    until_2026 = {row["offer"] for row in run(erfurt_store, "funding-ending", until="2026-12-31")}
    ending_2027 = until_2027 - until_2026
    assert len(ending_2027) == 13
    assert {"of-thekiz-altstadt", "of-thekiz-berliner-platz", "of-thekiz-rieth", "of-thekiz-herrenberg",
            "of-qm-nord", "of-stz-herrenberg", "of-generationentreff-melchendorf"} <= ending_2027


def test_reporting_overdue_falls_back_to_the_decision(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "reporting-overdue", on="2026-01-01")
    assert [(r["plan"], r["department"], r["last_report_date"], r["due_date"]) for r in rows] == [
        ("plan-lsz-prozess-2019", "lsz-koordinierung", "2023-06-30", "2024-06-30"),
        ("plan-isp-2024", "amt-soziales", None, "2025-05-15"),
    ]
    assert run(erfurt_store, "reporting-overdue", on="2024-06-30") == []


def test_department_silo_is_the_statistics_office(erfurt_store: GraphStore) -> None:
    assert [row["department"] for row in run(erfurt_store, "department-silos")] == ["abt-statistik"]


def test_lsz_readiness_counts_match_the_tables(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "lsz-readiness")
    offers_per_field: dict[str, int] = {}
    for offer in table("offers"):
        offers_per_field[offer["field_of_action"]] = offers_per_field.get(offer["field_of_action"], 0) + 1
    assert [row["field_of_action"] for row in rows] == ["HF1", "HF2", "HF3", "HF4", "HF5", "HF6"]
    for row in rows:
        assert row["offers"] == offers_per_field.get(str(row["field_of_action"]), 0)
        assert row["participation_events"] == len(table("participation"))
        assert row["ready"] is True


def test_vorhabenliste_is_public_and_current(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "vorhabenliste")
    expected = {m["id"] for m in table("measures") if m["status"] in ("geplant", "laufend") and not m["access"]}
    assert {row["measure"] for row in rows} == expected and len(rows) == 7
    assert rows[0]["measure"] == "m-stufe-3"  # due 2019-09-30, the earliest
    report = next(row for row in rows if row["measure"] == "m-isp-jahresbericht")
    assert report["decision_number"] == "2811/23" and report["plan"] == "plan-isp-2024"


def test_provider_profile_of_awo(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "provider-profile", provider="awo")
    assert [row["offer"] for row in rows] == sorted(o["id"] for o in table("offers") if o["provider"] == "awo")


def test_measure_status_overdue_first(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "measure-status", on="2026-01-01")
    assert len(rows) == len(table("measures"))
    overdue = [row["measure"] for row in rows if row["overdue"]]
    assert overdue == ["m-isp-jahresbericht", "m-stufe-3", "m-planungsraumdefinition"]  # by status, then due
    assert [row["measure"] for row in rows[:3]] == overdue


def test_changes_since_2024(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "changes-since", since="2024-01-01", until="2024-12-31")
    facts = {(row["date"], row["change"], row["entity"]) for row in rows}
    assert {("2024-04-08", "plan-issued", "plan-isp-2024"), ("2024-05-15", "plan-decided", "plan-isp-2024"),
            ("2024-04-24", "participation", "pa-buergerversammlung-west-2024")} <= facts
    assert all("2024-01-01" <= str(row["date"]) <= "2024-12-31" for row in rows)


def test_incomplete_entities_are_the_three_deliberate_offers(erfurt_store: GraphStore) -> None:
    rows = run(erfurt_store, "incomplete-entities")
    assert [(r["table"], r["missing"], r["entity_ids"]) for r in rows] == [
        ("offers", "offer_type", "of-sprachcafe-johannesplatz"),
        ("offers", "provider", "of-familienfruehstueck-linderbach"),
        ("offers", "target_groups", "of-hausaufgabenhilfe-roter-berg"),
    ]
