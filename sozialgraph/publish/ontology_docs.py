"""The vocabulary in the publication, so that every `sg:` term and code resolves: `ontology/sozialgraph.ttl`,
`ontology/codes.ttl`, HTML documentation of the ontology (pyLODE) and of the code lists."""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple, parse

from sozialgraph.paths import ontology_dir
from sozialgraph.publish.files import Written, rdf_bytes, write_bytes, write_text
from sozialgraph.publish.prefixes import prefixes_for
from sozialgraph.publish.queries import select
from sozialgraph.publish.render import render

if TYPE_CHECKING:
    from rdflib import Graph

DOCS_VARIANT = "German labels only, sorted"
"""Part of the cache key: change it when the graph handed to pyLODE is prepared differently."""
ONTOLOGY_TTL = "ontology/sozialgraph.ttl"
CODES_TTL = "ontology/codes.ttl"
ONTOLOGY_HTML = "ontology/index.html"
CODES_HTML = "ontology/codes.html"


@dataclass
class OntologyFiles:
    ontology: Written
    codes: Written
    ontology_html: Written
    codes_html: Written


def write_ontology(root: Path, working: Store, base: str) -> OntologyFiles:
    source = (ontology_dir() / "sozialgraph.ttl").read_bytes()
    codes: list[Triple] = []
    for path in sorted((ontology_dir() / "codes").glob("*.ttl")):
        with path.open("rb") as stream:
            codes.extend(parse(stream, format=RdfFormat.TURTLE))
    prefixes = prefixes_for(base, (t.value for triple in codes for t in (triple.subject, triple.object)
                                   if isinstance(t, NamedNode)))
    return OntologyFiles(
        ontology=write_bytes(root, ONTOLOGY_TTL, source),
        codes=write_bytes(root, CODES_TTL, rdf_bytes(codes, RdfFormat.TURTLE, prefixes)),
        ontology_html=write_text(root, ONTOLOGY_HTML, ontology_html(source)),
        codes_html=write_text(root, CODES_HTML, codes_html(working)),
    )


def cache_dir() -> Path:
    override = os.environ.get("SOZIALGRAPH_CACHE")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sozialgraph"


def ontology_html(turtle: bytes) -> str:
    """pyLODE's documentation of the ontology, cached by content: pyLODE needs seconds (it loads its background
    ontologies each time), the ontology changes rarely."""
    version = importlib.metadata.version("pylode")
    key = hashlib.sha256(turtle + f"pylode {version}, {DOCS_VARIANT}".encode()).hexdigest()
    cached = cache_dir() / f"ontology-{key}.html"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    html = _run_pylode(turtle)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(html, encoding="utf-8")
        temporary.replace(cached)
    except OSError:
        pass  # a read-only home only costs the next run the same seconds
    return html


def _run_pylode(turtle: bytes) -> str:
    import rdflib

    root_logger = logging.getLogger()
    level, handlers = root_logger.level, list(root_logger.handlers)
    from pylode import OntPub

    # pyLODE configures the root logger at import (DEBUG, to stderr); the CLI keeps its own output quiet.
    root_logger.setLevel(level)
    for handler in list(root_logger.handlers):
        if handler not in handlers:
            root_logger.removeHandler(handler)
    graph = rdflib.Graph()
    graph.parse(data=turtle, format="turtle")
    html: str = OntPub(ontology=german(graph), sort_subjects=True).make_html()
    return html


def german(graph: Graph) -> Graph:
    """pyLODE runs the labels of all languages together ("AkteurActor"); the page shows the German ones, the
    Turtle next to it keeps both."""
    import rdflib

    has_german = {(s, p) for s, p, o in graph if isinstance(o, rdflib.Literal) and o.language == "de"}
    kept = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language not in (None, "de") and (s, p) in has_german:
            continue
        kept.add((s, p, o))
    return kept


def codes_html(working: Store) -> str:
    """pyLODE documents one concept scheme per page and takes a while for each; the twelve code lists fit one
    plain page made from the same SKOS data."""
    schemes: dict[str, dict[str, object]] = {}
    for row in select(working, "code-lists"):
        scheme = row.get("scheme")
        if not isinstance(scheme, NamedNode) or not scheme.value.startswith("https://w3id.org/sozialgraph/code/"):
            continue
        entry = schemes.setdefault(scheme.value, {
            "iri": scheme.value,
            "anchor": scheme.value.rsplit("/", 1)[-1],
            "label": _text(row.get("scheme_label")) or scheme.value.rsplit("/", 1)[-1],
            "definition": _text(row.get("scheme_definition")),
            "concepts": {},
        })
        concept = row.get("concept")
        concepts = entry["concepts"]
        assert isinstance(concepts, dict)
        if isinstance(concept, NamedNode) and concept.value not in concepts:
            concepts[concept.value] = {
                "iri": concept.value,
                "notation": _text(row.get("notation")),
                "label": _text(row.get("label")),
                "label_en": _text(row.get("label_en")),
                "definition": _text(row.get("definition")),
            }
    ordered = []
    for entry in sorted(schemes.values(), key=lambda item: str(item["label"])):
        concepts = entry["concepts"]
        assert isinstance(concepts, dict)
        ordered.append({**entry, "concepts": list(concepts.values())})
    return render("codes.html", title="sozialgraph – Codelisten", schemes=ordered, root="../")


def _text(term: object) -> str:
    return term.value if isinstance(term, Literal) else ""
