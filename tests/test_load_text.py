"""The loaders write N-Triples text instead of term objects: every cell must still arrive in the store exactly."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from loaders import load_sources, source_for
from loaders.convert import string_term
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.namespaces import DCT, RDF, RDFS, SCHEMA, XSD
from sozialgraph.store import GraphStore, open_store
from sozialgraph.store.ntriples import NTriples

STORE = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
TRICKY = st.one_of(
    st.sampled_from(['"', "\\", '\\"', "a\nb", "a\r\nb", "\t", "\u00a0x", "\u2028", "\x0b", "\x1f", "😀",
                     "Straße 1 \"Hinterhaus\"", "C:\\Daten\\", "<b>", "_:x", "x .", "@de"]),
    st.text(),
)
SUBJECT = NamedNode("https://sozialgraph.example/id/offer/s")


def parsed_literal(term: str) -> Literal:
    triples = list(parse(f"<{SUBJECT.value}> <{RDFS.label.value}> {term} .\n", format=RdfFormat.N_TRIPLES))
    assert len(triples) == 1
    literal = triples[0].object
    assert isinstance(literal, Literal)
    return literal


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_every_text_becomes_the_same_literal_oxigraph_would_write(text: str) -> None:
    assert parsed_literal(string_term(text)) == Literal(text)
    assert parsed_literal(string_term(text, "@de")) == Literal(text, language="de")
    assert parsed_literal(string_term(text, f"^^<{XSD.date.value}>")) == Literal(text, datatype=XSD.date)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TRICKY, address=TRICKY, description=TRICKY)
def test_cell_text_is_stored_as_written_in_the_spreadsheet(name: str, address: str, description: str) -> None:
    cells = [text.replace("\x00", "") for text in (name, address, description)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "offers.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows([["id", "name", "address", "description"], ["o1", *cells]])
        load_sources(STORE, [source_for(path, name="offers.csv")])
    stored = {(q.predicate, q.object) for q in STORE.quads(include_vocabulary=False)
              if q.subject.value.endswith("/offer/o1") and q.predicate not in (RDF.type, DCT.identifier)}
    # The reader strips each cell; an empty cell gives no triple.
    expected = {(RDFS.label, Literal(cells[0].strip(), language="de")), (SCHEMA.address, Literal(cells[1].strip())),
                (DCT.description, Literal(cells[2].strip(), language="de"))}
    assert stored == {fact for fact in expected if fact[1].value}


def test_text_graph_keeps_every_triple_and_switches_to_objects_for_blank_nodes() -> None:
    plain = [Triple(SUBJECT, RDFS.label, Literal(f'Angebot "{i}"\n', language="de")) for i in range(3)]
    graph = NTriples(plain)
    assert len(graph) == 3 and list(graph) == plain and graph.blocks() is not None
    blank = Triple(SUBJECT, SCHEMA.address, BlankNode("b1"))
    graph.append(blank)
    assert graph.blocks() is None, "a parser would rename the blank node, so it stays an object"
    assert list(graph) == [*plain, blank] and graph[3] == blank and len(graph) == 4


def test_big_table_goes_through_the_bulk_path_and_replaces_cleanly(disk_store: GraphStore, tmp_path: Path) -> None:
    rows = [["id", "name", "address", "start_date"]]
    rows += [[f"o{i}", f'Treff "{i}"', f"Weg {i}\\a", "01.02.2025"] for i in range(2_000)]
    path = tmp_path / "offers.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    load_sources(disk_store, [source_for(path)])
    load_sources(disk_store, [source_for(path)])
    [info] = [graph for graph in disk_store.graphs() if graph.name.endswith("offers.csv")]
    assert info.triples == 2_000 * 5 > 5_000  # type, id, label, address, date: above the bulk threshold
    facts = {(q.subject.value.rsplit("/", 1)[1], q.predicate, q.object) for q in disk_store.quads()
             if q.subject.value.endswith("/offer/o1999")}
    assert ("o1999", RDFS.label, Literal('Treff "1999"', language="de")) in facts
    assert ("o1999", SCHEMA.address, Literal("Weg 1999\\a")) in facts
    assert ("o1999", SCHEMA.startDate, Literal("2025-02-01", datatype=XSD.date)) in facts
