"""The compaction after a large load: it merges the files the bulk loads left, and no answer changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.compaction import HeldBack
from bench.examples import GENERATED_ENTITIES, example_values
from bench.generate import generate
from loaders.pipeline import load_sources, source_for
from sozialgraph.catalog import Catalog, Value
from sozialgraph.config import DEFAULT_BASE_URI
from sozialgraph.store import GraphStore
from sozialgraph.store.embedded import EmbeddedBackend

CATALOG = Catalog()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    generate("city", folder, seed=11, incomplete=0.05, ntriples=False)
    return folder


def load(folder: Path, tables: Path, backend_class: type[EmbeddedBackend]) -> GraphStore:
    store = GraphStore(backend_class(folder), DEFAULT_BASE_URI)
    load_sources(store, [source_for(path) for path in sorted(tables.glob("*.csv"))])
    return store


def answers(store: GraphStore) -> dict[str, list[dict[str, Value]]]:
    return {query.name: CATALOG.run(store, query.name, example_values(query, GENERATED_ENTITIES)).rows
            for query in CATALOG.queries()}


def table_files(folder: Path) -> int:
    return len(list(folder.glob("*.sst")))


def test_a_large_load_leaves_fewer_files_to_search(city: Path, tmp_path: Path) -> None:
    compacted = load(tmp_path / "compacted", city, EmbeddedBackend)
    held_back = load(tmp_path / "held-back", city, HeldBack)
    assert compacted.triple_count() == held_back.triple_count() > 20_000
    # Counted once the stores are closed: RocksDB deletes the files a compaction replaced in the background.
    compacted.close()
    held_back.close()
    assert table_files(tmp_path / "compacted") < table_files(tmp_path / "held-back")


def test_compaction_changes_no_answer_also_after_a_table_is_loaded_again(city: Path, tmp_path: Path) -> None:
    held_back = load(tmp_path / "held-back", city, HeldBack)
    compacted = load(tmp_path / "compacted", city, EmbeddedBackend)
    expected = answers(held_back)
    assert sum(len(rows) for rows in expected.values()) > 1_000
    assert answers(compacted) == expected
    # Loaded again, the offers supersede their first version, whose graph is dropped and compacted away.
    load_sources(compacted, [source_for(city / "offers.csv")])
    assert answers(compacted) == expected
    held_back.close()
    compacted.close()
