"""coverage-gaps and overlaps on a hand-built inventory whose answers were worked out by hand."""

from __future__ import annotations

import pytest

from sozialgraph.catalog import Catalog
from sozialgraph.errors import QueryParameterError
from sozialgraph.store import GraphStore
from sozialgraph.vocabulary import code_list
from tests.conftest import FIXTURES, load_folder


@pytest.fixture
def tiny(memory_store: GraphStore) -> GraphStore:
    load_folder(memory_store, FIXTURES / "tiny")
    return memory_store


def test_overlaps_default_finds_the_one_parallel_structure(tiny: GraphStore) -> None:
    result = Catalog().run(tiny, "overlaps")
    assert result.rows == [
        {
            "social_space": "sr-a", "social_space_label": "Sozialraum A",
            "field_of_action": "HF4", "field_of_action_label": "Beratung, Unterstützung und Information",
            "target_group": "familien", "target_group_label": "Familien",
            "offers": 3, "providers": 2, "offer_ids": "o1;o2;o3",
        }
    ]


def test_overlaps_thresholds_and_levels(tiny: GraphStore) -> None:
    catalog = Catalog()
    assert catalog.run(tiny, "overlaps", {"min_providers": "3"}).rows == []
    kommune = catalog.run(tiny, "overlaps", {"level": "kommune"}).rows
    assert [(r["social_space"], r["offers"], r["providers"]) for r in kommune] == [("k", 3, 2)]
    assert catalog.run(tiny, "overlaps", {"level": "stadtteil"}).rows == []
    single = catalog.run(tiny, "overlaps", {"level": "stadtteil", "min_offers": "2", "min_providers": "1"})
    assert [(r["social_space"], r["offer_ids"]) for r in single.rows] == [("st-a1", "o1;o3")]


def test_coverage_gaps_counts_offers_in_contained_spaces(tiny: GraphStore) -> None:
    catalog = Catalog()
    fields = len(code_list("field-of-action").codes)
    groups = len(code_list("target-group").codes)
    rows = catalog.run(tiny, "coverage-gaps").rows
    assert len(rows) == 2 * fields * groups - 3
    covered = {("sr-a", "HF4", "familien"), ("sr-a", "HF4", "kinder"), ("sr-b", "HF6", "senioren")}
    assert not covered & {(r["social_space"], r["field_of_action"], r["target_group"]) for r in rows}
    one = catalog.run(tiny, "coverage-gaps", {"field_of_action": "HF4", "target_group": "familien"}).rows
    assert [r["social_space"] for r in one] == ["sr-b"]
    assert one[0]["social_space_label"] == "Sozialraum B"
    assert one[0]["target_group_label"] == "Familien"


def test_coverage_gaps_do_not_count_an_offer_for_the_spaces_inside_its_space(tiny: GraphStore) -> None:
    rows = Catalog().run(tiny, "coverage-gaps", {"level": "stadtteil", "field_of_action": "HF6",
                                                 "target_group": "senioren"}).rows
    assert [r["social_space"] for r in rows] == ["st-a1", "st-a2", "st-b1"]


def test_german_label_is_accepted_as_parameter(tiny: GraphStore) -> None:
    rows = Catalog().run(tiny, "coverage-gaps", {"field_of_action": "HF4", "target_group": "Familien"}).rows
    assert [r["social_space"] for r in rows] == ["sr-b"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"target_group": 'senioren" } ; DROP ALL ; {'}, "target_group"),
        ({"level": "bezirk"}, "level"),
        ({"min_offers": "zwei"}, "min_offers"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_refused_and_change_nothing(tiny: GraphStore, params: dict[str, str],
                                                       fragment: str) -> None:
    before = tiny.triple_count()
    name = "overlaps"
    with pytest.raises(QueryParameterError) as error:
        Catalog().run(tiny, name, params)
    assert fragment in str(error.value)
    assert "Erlaubt" in str(error.value) or "kennt" in str(error.value)
    assert tiny.triple_count() == before


def test_erfurt_answers_both_queries(erfurt_store: GraphStore) -> None:
    catalog = Catalog()
    overlaps = catalog.run(erfurt_store, "overlaps").rows
    keys = {(r["social_space"], r["field_of_action"], r["target_group"]) for r in overlaps}
    # data/erfurt/README.md names these deliberate parallel structures.
    assert {("sr-suedost", "HF6", "senioren"), ("sr-nord", "HF4", "familien"),
            ("sr-mitte", "HF3", "eltern")} <= keys
    for row in overlaps:
        assert row["offers"] >= 2 and row["providers"] >= 2
        assert row["offer_ids"].split(";") == sorted(row["offer_ids"].split(";"))
    gaps = {(r["social_space"], r["field_of_action"], r["target_group"])
            for r in catalog.run(erfurt_store, "coverage-gaps").rows}
    assert {("sr-west", "HF6", "senioren"), ("sr-west", "HF5", "jugendliche"),
            ("sr-sued", "HF4", "familien")} <= gaps
    assert not gaps & keys
