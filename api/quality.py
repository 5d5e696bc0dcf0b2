"""The completeness report, computed once per state of the store and shared by pages and API.

pySHACL over the whole graph takes about half a second on the Erfurt example; the report changes only when a
source is loaded or dropped, so it is cached under the list of current graph versions.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from pyoxigraph import NamedNode

from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphStore
from sozialgraph.validation import ValidationReport, validate_store

_VISIBLE = (Path(__file__).parent / "rq" / "visible-nodes.rq").read_text(encoding="utf-8")


class QualityCache:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._key: tuple[str, ...] | None = None
        self._reports: dict[bool, ValidationReport] = {}

    def report(self, include_internal: bool) -> ValidationReport:
        key = tuple(info.version.value for info in self.store.graphs())
        with self._lock:
            if key != self._key:
                self._reports = {True: validate_store(self.store)}
                self._key = key
            if include_internal not in self._reports:
                self._reports[include_internal] = self._public(self._reports[True])
            return self._reports[include_internal]

    def _public(self, full: ValidationReport) -> ValidationReport:
        """Only results about resources that public data mentions: internal rows stay internal."""
        focus = sorted({result.focus for result in full.results})
        visible: set[str] = set()
        for start in range(0, len(focus), 500):
            rows = [{"node": NamedNode(iri)} for iri in focus[start : start + 500]]
            for row in self.store.select(bind(_VISIBLE, rows), include_internal=False).rows:
                node = row.get("node")
                if isinstance(node, NamedNode):
                    visible.add(node.value)
        results = [result for result in full.results if result.focus in visible]
        conforms = not any(result.severity == "Violation" for result in results)
        return replace(full, conforms=conforms, results=results, report_graph=None)
