"""The synthetic inventory: loadable as the planners' tables, and its N-Triples are exactly what `load` makes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, RdfFormat, Store

from bench.generate import NTRIPLES, generate
from loaders import load_sources, source_for
from sozialgraph.catalog import Catalog
from sozialgraph.space_closure import DERIVED_GRAPHS
from sozialgraph.store import GraphStore


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    generate("city", folder, seed=7, incomplete=0.05)
    return folder


def rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_city_loads_and_the_ntriples_are_the_same_triples(city: Path, memory_store: GraphStore) -> None:
    csvs = sorted(city.glob("*.csv"))
    load_sources(memory_store, [source_for(path) for path in csvs])
    derived = {memory_store.graph_iri(name) for name in DERIVED_GRAPHS}  # computed on load, not in the file
    loaded = {quad.triple for quad in memory_store.quads(include_vocabulary=False) if quad.graph_name not in derived}
    # Through a store too, so both sides get the same canonical literals ("12.0"^^xsd:decimal is 12).
    other = Store()
    with (city / NTRIPLES).open("rb") as stream:
        other.bulk_load(stream, RdfFormat.N_TRIPLES, to_graph=DefaultGraph())
    written = {quad.triple for quad in other}
    assert len(loaded) > 20_000
    assert loaded == written


def test_city_has_the_promised_shape(city: Path) -> None:
    spaces = rows(city, "spaces")
    levels = [row["level"] for row in spaces]
    assert 45 <= len(spaces) <= 55 and levels.count("kommune") == 1
    by_id = {row["id"]: row for row in spaces}
    for row in spaces:
        parent = by_id.get(row["parent"])
        expected = {"kommune": None, "sozialraum": "kommune", "stadtteil": "sozialraum"}[row["level"]]
        assert (parent["level"] if parent else None) == expected
    offers = rows(city, "offers")
    per_space: dict[str, int] = {}
    for offer in offers:
        per_space[offer["social_space"]] = per_space.get(offer["social_space"], 0) + 1
    districts = [row["id"] for row in spaces if row["level"] == "stadtteil"]
    empty = [d for d in districts if d not in per_space]
    assert empty, "some districts should have no offer at all"
    assert max(per_space.values()) >= 5 * (len(offers) / len(districts)) / 2, "offers should be skewed"
    incomplete = [o for o in offers if not all(o[c] for c in ("offer_type", "provider", "target_groups",
                                                               "field_of_action"))
                  or not (o["social_space"] or o["lat"])]
    assert 0.01 * len(offers) <= len(incomplete) <= 0.12 * len(offers)
    committees = [row for row in rows(city, "actors") if row["kind"] == "committee"]
    assert committees and all(row["members"].count(";") >= 1 for row in committees)


def test_same_seed_same_files_and_no_incomplete_when_asked(city: Path, tmp_path: Path) -> None:
    generate("city", tmp_path / "again", seed=7, incomplete=0.05)
    for name in ("offers.csv", "plans.csv", "actors.csv", str(NTRIPLES)):
        assert (tmp_path / "again" / name).read_bytes() == (city / name).read_bytes(), name
    generate("city", tmp_path / "complete", seed=7, incomplete=0.0, ntriples=False)
    assert not (tmp_path / "complete" / NTRIPLES).exists()
    offers = rows(tmp_path / "complete", "offers")
    assert all(o["offer_type"] and o["provider"] and o["target_groups"] and o["social_space"] for o in offers)


def test_a_factor_multiplies_the_entries_and_keeps_the_make_up(tmp_path: Path) -> None:
    once = generate("city", tmp_path / "once", seed=7, ntriples=False).rows
    twice = generate("city", tmp_path / "twice", seed=7, ntriples=False, factor=2).rows
    assert twice["offers"] == 2 * once["offers"] and twice["spaces"] >= 2 * once["spaces"] - 2
    assert 1.5 < twice["indicators"] / once["indicators"] < 2.5
    with pytest.raises(ValueError, match="factor"):
        generate("city", tmp_path / "none", factor=0)


def test_saved_queries_find_something_in_the_generated_city(city: Path, memory_store: GraphStore) -> None:
    load_sources(memory_store, [source_for(path) for path in sorted(city.glob("*.csv"))])
    catalog = Catalog()
    assert catalog.run(memory_store, "overlaps").rows
    assert catalog.run(memory_store, "coverage-gaps").rows
