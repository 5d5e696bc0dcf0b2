"""Uploads: check a file against a copy of the store first, show what would change, then load it for real.

The dry run loads the upload into an in-memory copy of the current graphs with the same loader the CLI uses,
so "what would change" and the validation result are exactly what a commit would produce. The copy costs
memory in proportion to the store; fine for a city's inventory, to be revisited for a state-wide graph.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from api.errors import Problem
from loaders import load_sources, source_for
from sozialgraph.space_closure import DERIVED_GRAPHS
from sozialgraph.store import GraphContent, GraphStore
from sozialgraph.store.embedded import EmbeddedBackend
from sozialgraph.store.graphs import VOCABULARY_GRAPH
from sozialgraph.validation import validate_store

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl", ".geojson")
_NAME = re.compile(r"^[\w][\w.\-/ ]{0,199}$")
SHOWN_ENTITIES = 200


@dataclass
class GraphChange:
    name: str
    status: str
    """neu, ersetzt or entfernt."""
    triples_before: int
    triples_after: int
    added: int
    removed: int


@dataclass
class UploadPlan:
    committed: bool
    graphs: list[GraphChange] = field(default_factory=list)
    entities_added: list[str] = field(default_factory=list)
    entities_changed: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    validation: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_graph_name(name: str) -> str:
    cleaned = name.strip()
    if not _NAME.match(cleaned) or ".." in cleaned or cleaned.startswith("_") or cleaned.endswith("/"):
        raise Problem(400, f"Der Quellenname '{name[:80]}' ist nicht erlaubt. Erlaubt sind Buchstaben, Ziffern, "
                           "'.', '-', '_', '/' und Leerzeichen (bis 200 Zeichen), nicht mit '_' am Anfang.")
    return cleaned


def check_file_name(file_name: str) -> str:
    name = Path(file_name.replace("\\", "/")).name
    if not name or not name.casefold().endswith(UPLOAD_SUFFIXES) or not _NAME.match(name):
        raise Problem(400, f"Die Datei '{file_name[:80]}' hat keinen erlaubten Namen. Erlaubt: "
                           f"{', '.join(UPLOAD_SUFFIXES)}; der Name sagt die Tabellenart (z. B. offers.csv).")
    return name


@contextmanager
def saved_upload(file_name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sozialgraph-upload-") as folder:
        path = Path(folder) / file_name
        path.write_bytes(data)
        yield path


def _graph_triples(store: GraphStore) -> dict[str, set[Triple]]:
    graphs: dict[str, set[Triple]] = {}
    for quad in store.quads(include_vocabulary=False):
        assert isinstance(quad.graph_name, NamedNode)
        graphs.setdefault(store.graph_name(quad.graph_name), set()).add(quad.triple)
    return graphs


def _copy(store: GraphStore, graphs: dict[str, set[Triple]]) -> GraphStore:
    copy = GraphStore(EmbeddedBackend(None), store.base_uri)
    infos = {info.name: info for info in store.graphs()}
    copy.replace([GraphContent(name, list(triples), file_name=infos[name].file_name, source=infos[name].source,
                               sha256=infos[name].sha256, loader=infos[name].loader or "sozialgraph",
                               internal=infos[name].internal)
                  for name, triples in graphs.items() if name in infos and name != VOCABULARY_GRAPH])
    return copy


def _subjects(triples: set[Triple], base: str) -> set[str]:
    return {t.subject.value.split("#", 1)[0] for t in triples
            if isinstance(t.subject, NamedNode) and t.subject.value.startswith(base)}


def plan(store: GraphStore, path: Path, name: str, kind: str | None, internal: bool) -> UploadPlan:
    """What loading `path` as source `name` would change, checked on a copy; the store stays untouched."""
    before = _graph_triples(store)
    copy = _copy(store, before)
    try:
        report = load_sources(copy, [source_for(path, name)], kind=kind, internal=internal)
        after = _graph_triples(copy)
        validation = validate_store(copy)
    finally:
        copy.close()
    result = UploadPlan(committed=False, warnings=report.warnings)
    for graph in sorted(set(before) | set(after)):
        old, new = before.get(graph, set()), after.get(graph, set())
        if old == new:
            continue
        status = "neu" if not old else "entfernt" if not new else "ersetzt"
        result.graphs.append(GraphChange(graph, status, len(old), len(new), len(new - old), len(old - new)))
    # Entities are what the sources say: a derived graph (closure, offer cells) changing with them is no entity change.
    union_before = set().union(*(triples for graph, triples in before.items() if graph not in DERIVED_GRAPHS))
    union_after = set().union(*(triples for graph, triples in after.items() if graph not in DERIVED_GRAPHS))
    touched_before = _subjects(union_before - union_after, store.base_uri)
    touched_after = _subjects(union_after - union_before, store.base_uri)
    existed = _subjects(union_before, store.base_uri)
    exists = _subjects(union_after, store.base_uri)
    touched = touched_before | touched_after
    result.entities_added = sorted(touched & (exists - existed))[:SHOWN_ENTITIES]
    result.entities_removed = sorted(touched & (existed - exists))[:SHOWN_ENTITIES]
    result.entities_changed = sorted(touched & exists & existed)[:SHOWN_ENTITIES]
    about = [r for r in validation.results if r.focus.split("#", 1)[0] in touched]
    result.validation = {
        "conforms": validation.conforms,
        "violations": len(validation.violations),
        "warnings": len(validation.warnings),
        "results_about_changed_entities": [asdict(r) for r in about[:SHOWN_ENTITIES]],
    }
    return result


def commit(store: GraphStore, path: Path, name: str, kind: str | None, internal: bool) -> list[str]:
    report = load_sources(store, [source_for(path, name)], kind=kind, internal=internal)
    return [graph.name for graph in report.graphs]
