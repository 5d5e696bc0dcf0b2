"""A publication is written from sorted files, never from the whole graph in memory: the pieces give what the
in-memory versions gave, and tiny sort runs and JSON-LD chunks (spilled and merged many times over) give the same
publication byte for byte."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import random
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, RdfFormat, parse

from sozialgraph.publish import PublishOptions, dumps, publish, sorting, subset
from sozialgraph.publish.jsonld import compact_jsonld
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.sorting import ExternalSort, unique
from sozialgraph.publish.subset import public_graph
from sozialgraph.store import GraphStore
from tests.test_publish import BASE, build_store

NOW = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return build_store()


def test_external_sort_spills_and_merges_to_the_sorted_lines(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = [bytes(rng.choice(b"ab<> #\x00\xc3") for _ in range(rng.randrange(0, 12))) for _ in range(3000)]
    external = ExternalSort(tmp_path, "t", run_bytes=2000)
    external.extend(lines)
    assert len(list(tmp_path.iterdir())) > 10
    assert list(external.sorted()) == sorted(lines)
    assert list(tmp_path.iterdir()) == []  # runs are removed once read
    small = ExternalSort(tmp_path, "small")
    small.extend([b"b", b"a", b"b"])
    assert list(unique(small.sorted())) == [b"a", b"b"]


def test_working_copy_on_disk_holds_the_same_triples_as_in_memory(store: GraphStore, tmp_path: Path) -> None:
    layout = Layout.for_base(BASE)
    memory = public_graph(store, layout)
    disk = public_graph(store, layout, tmp_path, in_memory_bytes=0)
    assert set(disk.triples()) == set(memory.triples())
    assert disk.documents == memory.documents
    assert (disk.withheld_entities, disk.withheld_triples) == (memory.withheld_entities, memory.withheld_triples)


def test_streamed_dumps_equal_the_whole_graph_written_at_once(store: GraphStore, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    graph = public_graph(store, Layout.for_base(BASE))
    data = graph.store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    assert data is not None
    ordered = b"".join(line + b"\n" for line in sorted(data.splitlines()))
    path = tmp_path / "sorted.nt"
    path.write_bytes(ordered)
    triples = list(parse(ordered, format=RdfFormat.N_TRIPLES))
    prefixes = {"id": BASE, "sg": "https://w3id.org/sozialgraph/ontology#"}
    expected = compact_jsonld(triples, prefixes, "https://example.org/context.jsonld", indent=False)
    monkeypatch.setattr(dumps, "JSONLD_CHUNK", 7)  # cut often, between the triples of one subject never
    written = io.BytesIO()
    dumps.write_jsonld(written, path, prefixes, "https://example.org/context.jsonld")
    assert written.getvalue().decode("utf-8") == expected
    compressed = io.BytesIO()
    dumps._gzip(path, compressed)
    # mtime=0: the same data gives the same bytes, hence the same checksum in the catalogue.
    assert compressed.getvalue() == gzip.compress(ordered, compresslevel=6, mtime=0)


def test_tiny_sort_runs_give_the_same_publication(store: GraphStore, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    options = PublishOptions(base_uri=BASE, now=NOW)
    publish(store, tmp_path / "one-run", options)
    monkeypatch.setattr(sorting, "RUN_BYTES", 4096)
    monkeypatch.setattr(ExternalSort.__init__, "__defaults__", (4096,))
    monkeypatch.setattr(dumps, "JSONLD_CHUNK", 5)
    monkeypatch.setattr(subset.public_graph, "__defaults__", (None, 0))  # the working store on disk
    publish(store, tmp_path / "many-runs", options)
    one = {path.relative_to(tmp_path / "one-run"): path for path in (tmp_path / "one-run").rglob("*")}
    many = {path.relative_to(tmp_path / "many-runs"): path for path in (tmp_path / "many-runs").rglob("*")}
    assert sorted(one) == sorted(many)
    for relative, path in one.items():
        if path.is_file():
            assert path.read_bytes() == many[relative].read_bytes(), relative
    assert sorted(path.name for path in tmp_path.iterdir()) == ["many-runs", "one-run"]  # no scratch left


def test_table_records_sort_like_their_fields_and_read_back() -> None:
    rng = random.Random(3)
    rows = [tuple("".join(rng.choice("a\x00\x01\x02ä") for _ in range(rng.randrange(0, 4))) for _ in range(3))
            for _ in range(2000)]
    records = [sorting.record(*row) for row in rows]
    assert [tuple(sorting.fields(record)) for record in sorted(records)] == sorted(rows)
