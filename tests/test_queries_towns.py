"""Every saved query on tests/fixtures/towns, two small municipalities whose answers were worked out by hand.

Astadt (ka): ka-sr1 {ka-st1, ka-st2}, ka-sr2 {ka-st3}. Bdorf (kb): kb-sr1 {kb-st1}, kb-sr2 {kb-st2}.
Offers: o1 HF4 familien+kinder ka-st1 (p-awo), o2 HF4 familien ka-st2 (p-cari), o3 HF6 senioren ka-sr2,
o4 HF4 familien kb-st1 (p-cari), o5 HF3 kinder ka-st1 (p-awo), o6 HF5 jugendliche ka-st3 (no offer type),
o7 HF5 senioren without any space. Plans: pl-a1 (ka; HF3+HF4 × familien+kinder), pl-a2 (ka-sr1; HF4 × familien),
pl-a3 superseded, pl-a4 an atlas without fields, pl-b1 (kb-st1; HF4+HF6 × familien+senioren).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sozialgraph.catalog import Catalog, Value
from sozialgraph.errors import QueryParameterError
from sozialgraph.store import GraphStore
from sozialgraph.vocabulary import code_list

TODAY = dt.date(2025, 3, 1)


def run(store: GraphStore, name: str, **params: str) -> list[dict[str, Value]]:
    return Catalog().run(store, name, params, today=TODAY).rows


def pick(rows: list[dict[str, Value]], *columns: str) -> list[tuple[Value, ...]]:
    return [tuple(row[column] for column in columns) for row in rows]


def test_coverage_gaps_are_every_combination_without_an_offer_inside(towns: GraphStore) -> None:
    combinations = len(code_list("field-of-action").codes) * len(code_list("target-group").codes)
    rows = run(towns, "coverage-gaps")
    covered = {("ka-sr1", "HF4", "familien"), ("ka-sr1", "HF4", "kinder"), ("ka-sr1", "HF3", "kinder"),
               ("ka-sr2", "HF6", "senioren"), ("ka-sr2", "HF5", "jugendliche"), ("kb-sr1", "HF4", "familien")}
    assert len(rows) == 4 * combinations - len(covered)
    assert not covered & set(pick(rows, "social_space", "field_of_action", "target_group"))
    assert pick(run(towns, "coverage-gaps", field_of_action="HF4", target_group="familien"), "social_space") == [
        ("ka-sr2",), ("kb-sr2",)]
    only_b = run(towns, "coverage-gaps", field_of_action="HF4", target_group="familien", municipality="kb")
    assert pick(only_b, "social_space", "social_space_label") == [("kb-sr2", "B-Land")]
    assert len(run(towns, "coverage-gaps", municipality="kb")) == 2 * combinations - 1


def test_overlaps_need_two_providers_in_the_space(towns: GraphStore) -> None:
    assert run(towns, "overlaps") == [{
        "social_space": "ka-sr1", "social_space_label": "A-Nord",
        "field_of_action": "HF4", "field_of_action_label": "Beratung, Unterstützung und Information",
        "target_group": "familien", "target_group_label": "Familien",
        "offers": 2, "providers": 2, "offer_ids": "o1;o2",
    }]
    assert pick(run(towns, "overlaps", level="kommune"), "social_space", "offer_ids") == [("ka", "o1;o2")]
    assert run(towns, "overlaps", level="kommune", municipality="kb") == []
    same_provider = run(towns, "overlaps", level="stadtteil", min_providers="1")
    assert pick(same_provider, "social_space", "field_of_action", "target_group", "offer_ids") == []
    one_provider = run(towns, "overlaps", level="kommune", min_providers="1")
    assert pick(one_provider, "social_space", "field_of_action", "target_group", "offers") == [
        ("ka", "HF4", "familien", 2)]
    assert run(towns, "overlaps", level="kommune", min_offers="3", min_providers="1") == []


def test_unplanned_by_each_dimension(towns: GraphStore) -> None:
    groups = ["alleinerziehende", "eltern", "frauen", "jugendliche", "langzeitarbeitslose",
              "menschen-mit-behinderung", "pflegende-angehoerige", "zugewanderte"]
    assert [row["item"] for row in run(towns, "unplanned")] == groups
    # In Astadt only the superseded pl-a3 names Senioren, so it counts as unplanned there.
    assert [row["item"] for row in run(towns, "unplanned", municipality="ka")] == sorted([*groups, "senioren"])
    assert [row["item"] for row in run(towns, "unplanned", municipality="kb")] == sorted([*groups, "kinder"])
    assert [row["item"] for row in run(towns, "unplanned", dimension="field_of_action")] == ["HF1", "HF2", "HF5"]
    assert [row["item"] for row in run(towns, "unplanned", dimension="field_of_action", municipality="ka")] == [
        "HF1", "HF2", "HF5", "HF6"]
    assert pick(run(towns, "unplanned", dimension="social_space"), "item", "item_label") == [("kb-sr2", "B-Land")]
    assert [row["item"] for row in run(towns, "unplanned", dimension="social_space", level="stadtteil")] == [
        "kb-st2"]
    assert run(towns, "unplanned", dimension="social_space", municipality="ka") == []


def test_plan_overlaps_follow_the_nesting_both_ways(towns: GraphStore) -> None:
    rows = run(towns, "plan-overlaps")
    assert rows == [{
        "plan_a": "pl-a1", "plan_a_label": "Fachplan Familie Astadt",
        "plan_b": "pl-a2", "plan_b_label": "Konzept Nord",
        "social_space": "ka-sr1", "social_space_label": "A-Nord",
        "field_of_action": "HF4", "field_of_action_label": "Beratung, Unterstützung und Information",
        "target_group": "familien", "target_group_label": "Familien",
    }]
    columns = ("plan_a", "plan_b", "social_space")
    # pl-a1 covers everything inside Astadt; pl-a2 (A-Nord) counts for Astadt as a whole too.
    assert pick(run(towns, "plan-overlaps", level="stadtteil"), *columns) == [
        ("pl-a1", "pl-a2", "ka-st1"), ("pl-a1", "pl-a2", "ka-st2")]
    assert pick(run(towns, "plan-overlaps", level="kommune"), *columns) == [("pl-a1", "pl-a2", "ka")]
    assert run(towns, "plan-overlaps", municipality="kb") == []


def test_unmet_needs(towns: GraphStore) -> None:
    rows = run(towns, "unmet-needs")
    assert pick(rows, "need", "social_space", "target_group", "field_of_action", "source") == [
        ("n2", "ka-st2", "kinder", "HF4", "Stadtteilkonferenz A-Nord"),
        ("n4", "kb-sr2", "senioren", "HF6", "Ortsteilrat B-Land"),
    ]
    assert rows[0]["need_label"] == "Beratung für Kinder am Hafen"
    assert [row["need"] for row in run(towns, "unmet-needs", municipality="kb")] == ["n4"]


def test_need_vs_supply_ranks_least_supply_first(towns: GraphStore) -> None:
    rows = run(towns, "need-vs-supply", target_group="familien", indicator="einwohner-unter-18")
    assert pick(rows, "social_space", "indicator_value", "offers", "offers_per_1000", "rank") == [
        ("ka-sr2", 400, 0, 0, 1), ("kb-sr2", 250, 0, 0, 1),
        ("ka-sr1", 1200, 2, 1.67, 3), ("kb-sr1", 400, 1, 2.5, 4),
    ]
    in_2022 = run(towns, "need-vs-supply", target_group="familien", indicator="einwohner-unter-18", period="2022")
    assert pick(in_2022, "social_space", "indicator_value", "offers_per_1000", "rank") == [
        ("ka-sr1", 1000, 2, 1), ("kb-sr1", 400, 2.5, 2)]
    only_b = run(towns, "need-vs-supply", target_group="familien", indicator="einwohner-unter-18",
                 municipality="kb")
    assert pick(only_b, "social_space", "rank") == [("kb-sr2", 1), ("kb-sr1", 2)]


def test_offers_per_1000_residents(towns: GraphStore) -> None:
    columns = ("social_space", "residents", "offers", "offers_per_1000")
    assert pick(run(towns, "offers-per-1000"), *columns) == [
        ("ka-sr1", 8000, 3, 0.38), ("ka-sr2", 2000, 2, 1), ("kb-sr1", 3000, 1, 0.33), ("kb-sr2", None, 0, None)]
    families = run(towns, "offers-per-1000", target_group="familien", field_of_action="HF4")
    assert pick(families, *columns) == [
        ("ka-sr1", 8000, 2, 0.25), ("ka-sr2", 2000, 0, 0), ("kb-sr1", 3000, 1, 0.33), ("kb-sr2", None, 0, None)]
    children = run(towns, "offers-per-1000", indicator="einwohner-unter-18", target_group="kinder",
                   municipality="ka")
    assert pick(children, *columns) == [("ka-sr1", 1200, 2, 1.67), ("ka-sr2", 400, 0, 0)]


def test_funding_ending_until_a_day(towns: GraphStore) -> None:
    rows = run(towns, "funding-ending", until="2025-12-31")
    assert pick(rows, "offer", "provider", "funding_programme", "end_date") == [
        ("o5", "p-awo", None, "2024-12-31"), ("o1", "p-awo", "lsz", "2025-06-30"),
        ("o4", "p-cari", "thekiz", "2025-12-31")]
    assert rows[1]["provider_label"] == "AWO Astadt" and rows[1]["funding_programme_label"] == "LSZ"
    # The default is twelve months from today.
    assert [row["offer"] for row in run(towns, "funding-ending")] == ["o5", "o1", "o4"]
    assert [row["offer"] for row in run(towns, "funding-ending", until="31.12.2025", municipality="kb")] == ["o4"]


def test_reporting_overdue_counts_from_report_decision_or_issue(towns: GraphStore) -> None:
    columns = ("plan", "department", "last_report_date", "due_date")
    # pl-a2 (issued 31 Aug, every 6 months) and pl-b1 (decided 29 Feb 2024) fall due on 28 Feb 2025.
    assert pick(run(towns, "reporting-overdue"), *columns) == [
        ("pl-a1", "a-soz", "2024-01-31", "2025-01-31"),
        ("pl-a2", "a-jug", None, "2025-02-28"),
        ("pl-b1", "b-soz", None, "2025-02-28"),
    ]
    assert [row["plan"] for row in run(towns, "reporting-overdue", on="2025-02-28")] == ["pl-a1"]
    assert run(towns, "reporting-overdue", on="2025-01-31") == []
    assert [row["plan"] for row in run(towns, "reporting-overdue", municipality="kb")] == ["pl-b1"]


def test_department_silos(towns: GraphStore) -> None:
    assert pick(run(towns, "department-silos"), "department", "department_label") == [
        ("a-stat", "Statistikstelle Astadt"), ("b-ord", "Ordnungsamt Bdorf"), ("b-soz", "Sozialamt Bdorf")]


def test_lsz_readiness(towns: GraphStore) -> None:
    columns = ("field_of_action", "offers", "plans", "needs", "participation_events", "ready")
    assert pick(run(towns, "lsz-readiness"), *columns) == [
        ("HF1", 0, 0, 0, 2, False), ("HF2", 0, 0, 0, 2, False), ("HF3", 1, 1, 0, 2, True),
        ("HF4", 3, 3, 3, 2, True), ("HF5", 2, 0, 1, 2, False), ("HF6", 1, 1, 2, 2, True)]
    assert pick(run(towns, "lsz-readiness", municipality="kb"), *columns) == [
        ("HF1", 0, 0, 0, 1, False), ("HF2", 0, 0, 0, 1, False), ("HF3", 0, 0, 0, 1, False),
        ("HF4", 1, 1, 1, 1, True), ("HF5", 0, 0, 0, 1, False), ("HF6", 0, 1, 1, 1, True)]


def test_vorhabenliste_lists_public_planned_and_running_measures(towns: GraphStore) -> None:
    rows = run(towns, "vorhabenliste")
    assert rows == [
        {"measure": "m2", "measure_label": "Kinderkurse ausbauen", "plan": "pl-a1",
         "plan_label": "Fachplan Familie Astadt", "field_of_action_ids": "HF3", "target_group_ids": "kinder",
         "target_group_labels": "Kinder", "social_space_ids": "ka-st1", "social_space_labels": "A-Altstadt",
         "responsible": "a-jug", "responsible_label": "Jugendamt Astadt", "due_date": "2024-12-31",
         "decision_number": "12/2023", "cost_eur": None, "status": "laufend", "status_label": "laufend"},
        {"measure": "m1", "measure_label": "Familienlotsen einsetzen", "plan": "pl-a1",
         "plan_label": "Fachplan Familie Astadt", "field_of_action_ids": "HF4",
         "target_group_ids": "familien;kinder", "target_group_labels": "Familien;Kinder",
         "social_space_ids": "ka-sr1;ka-sr2", "social_space_labels": "A-Nord;A-Süd", "responsible": "a-soz",
         "responsible_label": "Amt für Soziales Astadt", "due_date": "2025-06-30", "decision_number": "12/2023-1",
         "cost_eur": 12000, "status": "geplant", "status_label": "geplant"},
    ]
    assert run(towns, "vorhabenliste", municipality="kb") == []


def test_provider_profile(towns: GraphStore) -> None:
    rows = run(towns, "provider-profile", provider="p-cari")
    assert pick(rows, "offer", "offer_type", "field_of_action", "target_group_ids", "social_space",
                "funding_programme", "start_date", "end_date") == [
        ("o2", "beratungsstelle", "HF4", "familien", "ka-st2", "kommunal", "2024-09-01", "2026-03-31"),
        ("o4", "beratungsstelle", "HF4", "familien", "kb-st1", "thekiz", "2023-01-01", "2025-12-31")]
    assert rows[1]["social_space_label"] == "B-Kern" and rows[1]["funding_programme_label"] == "ThEKiZ"
    assert [row["offer"] for row in run(towns, "provider-profile", provider="p-cari", municipality="kb")] == ["o4"]
    with pytest.raises(QueryParameterError, match=r"provider.*gibt es im Datenbestand nicht"):
        run(towns, "provider-profile", provider="p-unbekannt")
    with pytest.raises(QueryParameterError, match="braucht den Parameter 'provider'"):
        run(towns, "provider-profile")


def test_measure_status_puts_overdue_first(towns: GraphStore) -> None:
    columns = ("measure", "status", "due_date", "overdue")
    assert pick(run(towns, "measure-status"), *columns) == [
        ("m6", None, "2024-01-01", True), ("m2", "laufend", "2024-12-31", True),
        ("m1", "geplant", "2025-06-30", False), ("m4", "geplant", None, False),
        ("m3", "umgesetzt", "2024-06-30", False), ("m5", "verworfen", "2023-01-01", False)]
    assert pick(run(towns, "measure-status", plan="pl-b1"), *columns) == [
        ("m3", "umgesetzt", "2024-06-30", False), ("m5", "verworfen", "2023-01-01", False)]
    later = run(towns, "measure-status", plan="pl-a1", on="2025-07-01")
    assert [(row["measure"], row["overdue"]) for row in later] == [("m6", True), ("m1", True), ("m2", True)]


def test_changes_since(towns: GraphStore) -> None:
    rows = run(towns, "changes-since", since="2024-06-01")
    assert pick(rows, "date", "change", "entity") == [
        ("2024-06-15", "need-recorded", "n2"), ("2024-07-01", "offer-started", "o6"),
        ("2024-08-31", "plan-issued", "pl-a2"), ("2024-09-01", "offer-started", "o2"),
        ("2024-11-11", "need-recorded", "n4"), ("2024-12-31", "offer-ended", "o5"),
        ("2025-01-15", "need-recorded", "n6")]
    assert rows[2]["change_label"] == "Plan vorgelegt" and rows[2]["entity_label"] == "Konzept Nord"
    assert rows[0]["entity_label"] == "Beratung für Kinder am Hafen"
    only_b = run(towns, "changes-since", since="2024-01-01", until="2024-12-31", municipality="kb")
    assert pick(only_b, "date", "change", "entity") == [
        ("2024-02-29", "plan-decided", "pl-b1"), ("2024-11-11", "need-recorded", "n4")]


def test_incomplete_entities(towns: GraphStore) -> None:
    columns = ("table", "missing", "social_space", "entities", "entity_ids")
    assert pick(run(towns, "incomplete-entities"), *columns) == [
        ("measures", "status", "ka", 1, "m6"),
        ("offers", "offer_type", "ka-st3", 1, "o6"),
        ("offers", "social_space", None, 1, "o7")]
    assert pick(run(towns, "incomplete-entities", municipality="ka"), *columns) == [
        ("measures", "status", "ka", 1, "m6"), ("offers", "offer_type", "ka-st3", 1, "o6")]
    assert run(towns, "incomplete-entities", municipality="kb") == []
