"""The fast validator gives exactly pySHACL's report: on the shape fixtures, on Erfurt, on graphs with planted
errors, and on the W3C SHACL core tests of every constraint component our shapes use."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat
from pyoxigraph import parse as parse_rdf
from rdflib import Graph
from rdflib.namespace import SH

from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.shacl import UnsupportedShapes, compile_shapes
from sozialgraph.store import GraphContent, GraphStore, open_store
from sozialgraph.validation import ValidationReport, shapes_graph, validate_store
from tests.conftest import FIXTURES, PEERS, run_cli
from tests.planted import planted_graphs
from tests.w3c_shacl import W3CTest, components_of, core_tests, expected_conforms, expected_results, parse, run_fast

SHAPE_FIXTURES = FIXTURES / "shapes"


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> Iterator[None]:
    # Both engines meet ill-typed literals on purpose here; rdflib logs a traceback for each.
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


# Blank node labels differ between the engines' parsers (Oxigraph keeps the source's label, e.g. g7 from
# tests/planted.py, or makes 32 hex digits; rdflib makes N/n + hex [+ bN]).
BLANK_LABEL = re.compile(r"^([0-9a-f]{32}|[Nn][0-9a-f]{32,}(b[0-9]+)?|g[0-9]+)$")


def comparable(report: ValidationReport) -> Counter[tuple[tuple[str, str], ...]]:
    """Every field of every result; a blank node counts by its kind only."""
    keys: Counter[tuple[tuple[str, str], ...]] = Counter()
    for result in report.results:
        fields = asdict(result)
        for name in ("focus", "value"):
            if fields[name] is not None and BLANK_LABEL.match(fields[name]):
                fields[name] = "_:blank"
        keys[tuple(sorted((name, str(value)) for name, value in fields.items()))] += 1
    return keys


def assert_same(store: GraphStore) -> ValidationReport:
    reference = validate_store(store, engine="pyshacl")
    fast = validate_store(store, engine="fast")
    assert fast.conforms == reference.conforms
    only_reference = comparable(reference) - comparable(fast)
    only_fast = comparable(fast) - comparable(reference)
    assert not only_reference and not only_fast, (only_reference, only_fast)
    assert len(fast.results) == len(reference.results)
    return fast


def memory() -> GraphStore:
    return open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)


@pytest.mark.parametrize("fixture", sorted(p.name for p in SHAPE_FIXTURES.glob("*.ttl")))
def test_shape_fixture_same_as_pyshacl(fixture: str) -> None:
    store = memory()
    files = [SHAPE_FIXTURES / "base.ttl"] + ([SHAPE_FIXTURES / fixture] if fixture != "base.ttl" else [])
    # Stored as they are (not through the loaders, which would place coordinates in spaces first).
    store.replace([GraphContent(path.name, [quad.triple for quad in parse_rdf(path.read_bytes(),
                                                                             format=RdfFormat.TURTLE)])
                   for path in files])
    report = assert_same(store)
    # The fixtures are named for what is wrong with them; those without a problem in the name are clean.
    clean = fixture in ("base.ttl", "offer-coordinates-only.ttl")
    assert report.conforms == clean or fixture == "offer-missing-optional.ttl"
    store.close()


def test_erfurt_same_as_pyshacl(erfurt_store: GraphStore) -> None:
    report = assert_same(erfurt_store)
    assert report.results, "the Erfurt example has deliberately incomplete offers"


@pytest.mark.parametrize(("seed", "error_rate", "coverage"), [(1, 0.05, 0.6), (2, 0.3, 0.9), (3, 0.7, 0.6)])
def test_planted_errors_same_as_pyshacl(seed: int, error_rate: float, coverage: float) -> None:
    store = memory()
    store.replace([GraphContent(name, triples) for name, triples in
                   planted_graphs(seed=seed, size=120, error_rate=error_rate).items()])
    report = assert_same(store)
    messages = {result.message for result in report.results}
    # The planted graph must exercise most constraints, or the comparison proves little.
    constraints_with_message = {str(m) for m in shapes_graph().objects(None, SH.message)}
    assert len(messages) >= len(constraints_with_message) * coverage
    store.close()


def test_internal_and_public_graphs_are_both_checked(memory_store: GraphStore) -> None:
    graphs = planted_graphs(seed=4, size=40, error_rate=0.3)
    memory_store.replace([GraphContent("a", graphs["planted-a"], internal=True),
                          GraphContent("b", graphs["planted-b"])])
    assert_same(memory_store)


# --- W3C SHACL core tests --------------------------------------------------------------------------------

SUITE = PEERS / "shacl-tests"
TESTS = core_tests(SUITE)
# Where the store, not the validator, changes the data: Oxigraph stores the out-of-range "300"^^xsd:byte as
# "300"^^xsd:integer, so the (correct) violation names a value of another datatype. pySHACL over our store sees
# the same rewritten literal, so both engines still agree.
STORE_REWRITES = {"property/datatype-ill-formed"}


def _skip_reason(test: W3CTest) -> str | None:
    if test.expects_failure:
        return "tests that the shapes graph is refused as ill-formed; not a validation result"
    if test.name in STORE_REWRITES:
        return "Oxigraph rewrites the literal's datatype on storing (see STORE_REWRITES)"
    try:
        compile_shapes(test.graph if test.shapes == test.file else parse(test.shapes))
    except UnsupportedShapes as error:
        return f"uses a component our shapes do not use: {error.message}"
    return None


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_core(test: W3CTest) -> None:
    reason = _skip_reason(test)
    if reason:
        pytest.skip(reason)
    shapes = test.graph if test.shapes == test.file else parse(test.shapes)
    results, conforms = run_fast(test)
    assert results == expected_results(test, shapes)
    assert conforms == expected_conforms(test)


def test_w3c_suite_covers_every_component_of_our_shapes() -> None:
    ours = components_of(shapes_graph())
    covered: set[object] = set()
    for test in TESTS:
        if _skip_reason(test) is None:
            covered |= components_of(test.graph if test.shapes == test.file else parse(test.shapes))
    assert ours, "our shapes use constraint components"
    assert ours <= covered, ours - covered


# --- the command line -------------------------------------------------------------------------------------


def test_cli_engines_agree_and_fast_is_default(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    store = open_store(Settings(store_path=store_path, base_uri=DEFAULT_BASE_URI))
    store.replace([GraphContent(name, triples) for name, triples in planted_graphs(seed=5, size=30).items()])
    store.close()
    default = run_cli("validate", "--format", "json", store=store_path)
    reference = run_cli("validate", "--format", "json", "--engine", "pyshacl", store=store_path)
    assert default.returncode == reference.returncode == 1
    fast_json, reference_json = json.loads(default.stdout), json.loads(reference.stdout)
    assert fast_json["violations"] == reference_json["violations"] > 0
    assert fast_json["warnings"] == reference_json["warnings"]
    turtle = run_cli("validate", "--format", "turtle", store=store_path)
    report = Graph().parse(data=turtle.stdout, format="turtle")
    assert len(set(report.objects(None, SH.result))) == len(fast_json["results"])
    wrong = run_cli("validate", "--engine", "schnell", store=store_path)
    assert wrong.returncode == 2
    assert "Prüfmaschine 'schnell'" in wrong.stderr and "fast, pyshacl" in wrong.stderr
