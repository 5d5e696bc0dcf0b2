"""Fast SHACL Core validation: the shapes compiled to SPARQL and run inside the store.

pySHACL copies the whole graph into rdflib and walks it in Python, which takes minutes at state scale. Here each
constraint becomes one SPARQL query that returns only the violations, so the store does the work with its
indexes, and a remote SPARQL server validates without sending the graph. The results are the same as pySHACL's
(tests/test_fast_validation.py compares them, also on the W3C SHACL test suite).
"""

from __future__ import annotations

from rdflib import Graph

from sozialgraph.shacl.compiler import Check, Compiler
from sozialgraph.shacl.engine import RawResult, Selector, run_checks
from sozialgraph.shacl.shapes import ShapesModel, UnsupportedShapes

__all__ = ["Check", "Compiler", "RawResult", "ShapesModel", "UnsupportedShapes", "compile_shapes", "validate"]


def compile_shapes(shapes: Graph) -> tuple[Compiler, list[Check]]:
    compiler = Compiler(ShapesModel(shapes))
    return compiler, compiler.compile()


def validate(shapes: Graph, select: Selector) -> list[RawResult]:
    """Every validation result of `shapes` over the data `select` queries (its default graph)."""
    compiler, checks = compile_shapes(shapes)
    return run_checks(compiler, checks, select)
