"""The derived `sg:withinSpace` closure: what a planner's queries count a fact for, kept right by every change."""

from __future__ import annotations

import random
from pathlib import Path

from loaders import load_sources, source_for
from sozialgraph.backup import dump, restore
from sozialgraph.space_closure import CLOSURE_GRAPH, INTERNAL_CLOSURE_GRAPH, drop_sources
from sozialgraph.store import GraphStore

BASE = "https://sozialgraph.example/id/space/"
WITHIN = """PREFIX sg: <https://w3id.org/sozialgraph/ontology#>
SELECT ?inside ?space WHERE { ?inside sg:withinSpace ?space }"""
PATH = """PREFIX sg: <https://w3id.org/sozialgraph/ontology#>
SELECT ?inside ?space WHERE { ?inside a sg:SocialSpace . ?inside sg:parentSpace* ?space }"""


def spaces_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["id,name,level,parent"] + [f"{id_},Raum {id_},{level},{parent}" for id_, level, parent in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pairs(store: GraphStore, query: str, include_internal: bool = True) -> set[tuple[str, str]]:
    rows = store.select(query, include_internal=include_internal).rows
    return {(row["inside"].value.removeprefix(BASE), row["space"].value.removeprefix(BASE)) for row in rows}


TOWN = [("stadt", "kommune", ""), ("nord", "sozialraum", "stadt"), ("sued", "sozialraum", "stadt"),
        ("altstadt", "stadtteil", "nord"), ("hafen", "stadtteil", "nord")]


def test_a_district_lies_in_itself_its_social_space_and_its_town(memory_store: GraphStore, tmp_path: Path) -> None:
    load_sources(memory_store, [source_for(spaces_csv(tmp_path / "spaces.csv", TOWN))])
    within = pairs(memory_store, WITHIN)
    assert {space for inside, space in within if inside == "altstadt"} == {"altstadt", "nord", "stadt"}
    assert {space for inside, space in within if inside == "sued"} == {"sued", "stadt"}
    assert within == pairs(memory_store, PATH)
    closure = {info.name: info for info in memory_store.graphs()}[CLOSURE_GRAPH]
    assert closure.triples == len(within) == 5 + 4 + 2  # itself, one level up, two levels up


def test_random_hierarchies_give_what_the_path_gives(memory_store: GraphStore, tmp_path: Path) -> None:
    chooser = random.Random(9)
    for round_ in range(3):
        rows: list[tuple[str, str, str]] = []
        for index in range(40):
            parent = chooser.choice(rows)[0] if rows and chooser.random() < 0.8 else ""
            rows.append((f"r{round_}-{index}", "stadtteil", parent))
        load_sources(memory_store, [source_for(spaces_csv(tmp_path / "spaces.csv", rows))])
        assert pairs(memory_store, WITHIN) == pairs(memory_store, PATH)


def test_moving_a_district_and_deleting_the_spaces_update_the_closure(memory_store: GraphStore,
                                                                      tmp_path: Path) -> None:
    path = spaces_csv(tmp_path / "spaces.csv", TOWN)
    load_sources(memory_store, [source_for(path)])
    moved = [(id_, level, "sued" if id_ == "hafen" else parent) for id_, level, parent in TOWN]
    load_sources(memory_store, [source_for(spaces_csv(path, moved))])
    assert ("hafen", "sued") in pairs(memory_store, WITHIN)
    assert ("hafen", "nord") not in pairs(memory_store, WITHIN)
    assert drop_sources(memory_store, ["tmp/spaces.csv", source_for(path).name]) == [source_for(path).name]
    assert pairs(memory_store, WITHIN) == set()
    assert CLOSURE_GRAPH not in {info.name for info in memory_store.graphs()}


def test_internal_spaces_stay_out_of_the_public_closure(memory_store: GraphStore, tmp_path: Path) -> None:
    load_sources(memory_store, [source_for(spaces_csv(tmp_path / "spaces.csv", TOWN))])
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    secret = spaces_csv(hidden / "spaces.csv", [("schutzwohnung", "stadtteil", "sued")])
    load_sources(memory_store, [source_for(secret)], internal=True)
    assert ("schutzwohnung", "stadt") in pairs(memory_store, WITHIN)
    assert not any("schutzwohnung" in inside for inside, _ in pairs(memory_store, WITHIN, include_internal=False))
    graphs = {info.name: info for info in memory_store.graphs()}
    assert graphs[INTERNAL_CLOSURE_GRAPH].internal and not graphs[CLOSURE_GRAPH].internal
    public = [quad for quad in memory_store.quads(include_internal=False)
              if "schutzwohnung" in str(quad.subject) + str(quad.object)]
    assert public == []


def test_a_restored_dump_without_the_closure_gets_it_back(memory_store: GraphStore, tmp_path: Path) -> None:
    load_sources(memory_store, [source_for(spaces_csv(tmp_path / "spaces.csv", TOWN))])
    expected = pairs(memory_store, WITHIN)
    memory_store.drop([CLOSURE_GRAPH])  # as a dump from before the closure existed
    backup = tmp_path / "backup.nq"
    dump(memory_store, backup)
    assert CLOSURE_GRAPH not in backup.read_text(encoding="utf-8")
    restore(memory_store, backup)
    assert pairs(memory_store, WITHIN) == expected
    assert memory_store.graph_iri(CLOSURE_GRAPH) in [info.iri for info in memory_store.graphs()]
