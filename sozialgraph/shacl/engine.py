"""Run compiled shapes against any SPARQL store and collect the raw validation results."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pyoxigraph import Literal

from sozialgraph.shacl.compiler import Check, Compiler, Oracle
from sozialgraph.shacl.literals import to_oxigraph, to_rdflib
from sozialgraph.store.backend import Term

Selector = Callable[[str], Iterable[Mapping[str, Term]]]


@dataclass
class RawResult:
    focus: Term
    value: Term | None
    check: Check


def run_checks(compiler: Compiler, checks: list[Check], select: Selector,
               threads: int | None = None) -> list[RawResult]:
    """Run every check; the queries run on a few threads (stores answer in native code, without the GIL)."""
    verdicts: dict[tuple[str, str], list[Literal]] = {}
    queries: list[str] = []
    for check in checks:
        query = check.query
        for oracle in check.oracles:
            key = (oracle.candidates, oracle.rule_key)
            if key not in verdicts:
                verdicts[key] = _judge(compiler, oracle, select)
            accepted = verdicts[key]
            replacement = (
                "(" + " || ".join(f"sameTerm({oracle.variable}, {term})" for term in accepted) + ")"
                if accepted else "false"
            )
            query = query.replace(oracle.marker, replacement)
        queries.append(query)
    workers = threads if threads is not None else min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        answers = list(pool.map(lambda query: list(select(query)), queries))
    results: list[RawResult] = []
    for check, rows in zip(checks, answers, strict=True):
        for row in rows:
            focus = row["focus"]
            value: Term | None = None
            if check.value_is_focus:
                value = focus
            elif check.reports_value:
                value = row.get("value")
            results.append(RawResult(focus, value, check))
    return results


def _judge(compiler: Compiler, oracle: Oracle, select: Selector) -> list[Literal]:
    """The undecided literals that pass the rule, judged in Python exactly as pySHACL judges them."""
    candidates = {row["value"] for row in select(oracle.candidates) if isinstance(row.get("value"), Literal)}
    if oracle.scan_all:
        candidates.update(to_oxigraph(term) for term in compiler.target_literals)
    return sorted((term for term in candidates if isinstance(term, Literal) and oracle.rule(to_rdflib(term))),
                  key=str)
