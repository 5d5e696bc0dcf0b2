"""Loaders on real files: what they accept, and that whatever they refuse leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders import load_sources, source_for
from sozialgraph.errors import InputError
from sozialgraph.store import GraphStore
from tests.conftest import FIXTURES, load_folder

TINY = FIXTURES / "tiny"


def state(store: GraphStore) -> tuple[int, list[tuple[str, int]]]:
    return store.triple_count(), [(g.name, g.triples) for g in store.graphs()]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_csv_with_bom_and_german_labels(memory_store: GraphStore, tmp_path: Path) -> None:
    load_sources(memory_store, [source_for(TINY / "spaces.csv"), source_for(TINY / "actors.csv")])
    offers = write(tmp_path / "offers-2025.csv",
                   "\ufeffid;name;offer_type;provider;field_of_action;target_groups;social_space;end_date\n"
                   "x1;Café;Beratungsstelle;p1;HF4;Familien|Seniorinnen und Senioren;st-a1;31.12.2027\n")
    load_sources(memory_store, [source_for(offers)])
    rows = memory_store.select(
        "PREFIX sg: <https://w3id.org/sozialgraph/ontology#> PREFIX schema: <http://schema.org/> "
        "SELECT ?g ?end WHERE { ?o sg:targetGroup ?g ; schema:endDate ?end }").rows
    assert sorted(r["g"].value.rsplit("/", 1)[1] for r in rows) == ["familien", "senioren"]
    assert {r["end"].value for r in rows} == {"2027-12-31"}


def test_xlsx_with_one_sheet_per_table(memory_store: GraphStore, tmp_path: Path) -> None:
    workbook = Workbook()
    spaces = workbook.active
    assert spaces is not None
    spaces.title = "spaces"
    spaces.append(["id", "name", "level", "parent"])
    spaces.append(["k", "Kleinstadt", "kommune", None])
    spaces.append(["s1", "Süd", "Sozialraum", "k"])
    actors = workbook.create_sheet("actors")
    actors.append(["id", "name", "kind"])
    actors.append(["t1", "Träger", "Träger"])
    path = tmp_path / "inventar.xlsx"
    workbook.save(path)
    report = load_sources(memory_store, [source_for(path)])
    assert [g.name for g in report.graphs] == [f"{tmp_path.name}/inventar.xlsx"]
    counts = memory_store.select(
        "PREFIX sg: <https://w3id.org/sozialgraph/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { { ?x a sg:SocialSpace } UNION { ?x a sg:Provider } }").rows
    assert counts[0]["n"].value == "3"


@pytest.mark.parametrize(
    ("name", "content", "row", "column", "fragment"),
    [
        ("offers.csv", "id,name,field_of_action\nx,Y,HF9\n", 2, "field_of_action", "HF1"),
        ("offers.csv", "id,name,end_date\nx,Y,2027-13-45\n", 2, "end_date", "JJJJ-MM-TT"),
        ("offers.csv", 'id,name\nx,"Y\n', 2, None, "CSV"),
        ("offers.csv", "id,name,provider\nx,Y,niemand\n", 2, "provider", "niemand"),
        ("offers.csv", "id,name\nx,Y\nx,Z\n", 3, "id", "doppelt"),
        ("plans.csv", "id,title,reporting_interval_months\np,T,zwölf\n", 2, "reporting_interval_months", "ganze"),
        ("spaces.csv", "id,name,level\na,A,kommune,extra\n", 2, None, "Zellen"),
    ],
)
def test_refused_load_names_file_row_column_and_changes_nothing(
    memory_store: GraphStore, tmp_path: Path, name: str, content: str, row: int, column: str | None,
    fragment: str,
) -> None:
    load_folder(memory_store, TINY)
    before = state(memory_store)
    path = write(tmp_path / name, content)
    with pytest.raises(InputError) as error:
        load_sources(memory_store, [source_for(TINY / "actors.csv"), source_for(path)])
    message = str(error.value)
    assert message.startswith(name)
    assert f"Zeile {row}" in message
    if column:
        assert f"Spalte {column}" in message
    assert fragment in message
    assert "\n" not in message
    assert state(memory_store) == before


def test_not_utf8_is_refused(memory_store: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path / "spaces.csv", "id,name,level\nü,Müll,kommune\n", encoding="latin-1")
    with pytest.raises(InputError, match="UTF-8"):
        load_sources(memory_store, [source_for(path)])


def test_reload_replaces_the_graph(memory_store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "stadt"
    folder.mkdir()
    path = write(folder / "spaces.csv", "id,name,level\na,A,kommune\nb,B,kommune\n")
    load_sources(memory_store, [source_for(path)])
    first = state(memory_store)
    write(path, "id,name,level\na,A,kommune\n")
    load_sources(memory_store, [source_for(path)])
    second = state(memory_store)
    assert [name for name, _ in second[1]] == [name for name, _ in first[1]]
    assert second[0] < first[0]
    ids = memory_store.select("PREFIX dct: <http://purl.org/dc/terms/> "
                              "SELECT ?id WHERE { ?s dct:identifier ?id }").rows
    assert [r["id"].value for r in ids] == ["a"]


def test_internal_rows_go_to_an_internal_graph(memory_store: GraphStore) -> None:
    load_folder(memory_store, TINY)
    path = FIXTURES / "internal" / "actors.csv"
    load_sources(memory_store, [source_for(path)])
    names = {g.name: g.internal for g in memory_store.graphs()}
    assert names["internal/actors.csv/internal"] is True
    assert names["internal/actors.csv"] is False
    public = memory_store.select("PREFIX dct: <http://purl.org/dc/terms/> "
                                 "SELECT ?id WHERE { ?s dct:identifier ?id }", include_internal=False).rows
    assert "geheim" not in {r["id"].value for r in public}


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".rdf", ".trig", ".nq"])
def test_rdf_files_in_every_format(memory_store: GraphStore, tmp_path: Path, suffix: str) -> None:
    from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

    quad = Quad(NamedNode("http://example.org/a"), NamedNode("http://purl.org/dc/terms/identifier"),
                Literal("a"), NamedNode("http://example.org/g"))
    rdf_format = RdfFormat.from_extension(suffix.lstrip(".")) or RdfFormat.RDF_XML
    data = [quad] if rdf_format.supports_datasets else [quad.triple]
    path = tmp_path / f"extra{suffix}"
    path.write_bytes(serialize(data, format=rdf_format))
    report = load_sources(memory_store, [source_for(path)])
    assert report.graphs[0].triples == 1


def test_malformed_turtle_names_the_line(memory_store: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path / "broken.ttl", "@prefix ex: <http://e/> .\n\nex:a ex:b .\n")
    with pytest.raises(InputError, match=r"broken.ttl, Zeile 3"):
        load_sources(memory_store, [source_for(path)])
    assert [g.name for g in memory_store.graphs()] == ["_vocabulary"]
