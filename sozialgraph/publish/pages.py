"""A static HTML page and a Turtle file for every entity under the base, so that any plain web server makes the
IRIs answer (`id/offer/of-1.html` and `id/offer/of-1.ttl` for `{base}offer/of-1`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from sozialgraph.namespaces import RDF
from sozialgraph.publish.files import rdf_bytes
from sozialgraph.publish.labels import Labels
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.render import render


@dataclass
class Pages:
    written: list[str]
    skipped: list[str]
    """IRIs under the base that cannot be a safe file name (reported, not published as pages)."""


def href(from_file: PurePosixPath, to_file: PurePosixPath) -> str:
    """The relative link between two pages of the folder (`Layout.page` paths: no `.` or `..` parts), the
    result of `posixpath.relpath` without its normalising of absolute paths, which cost more than a page's
    rendering."""
    here, there = from_file.parts[:-1], to_file.parts
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    relative = "../" * (len(here) - common) + "/".join(there[common:])
    return quote(relative, safe="/-._~")


def root_prefix(page: PurePosixPath) -> str:
    return "../" * (len(page.parts) - 1)


def write_entity_pages(root: Path, layout: Layout, documents: Sequence[str], triples: Sequence[Triple],
                       labels: Labels, prefixes: dict[str, str]) -> Pages:
    outgoing: dict[str, list[Triple]] = defaultdict(list)
    incoming: dict[str, set[tuple[str, str]]] = defaultdict(set)
    document_of: dict[str, str | None] = {}  # the same subjects and objects recur: look each up once
    for triple in triples:
        subject_iri = _iri(triple.subject)
        subject_doc = None
        if subject_iri is not None:
            if subject_iri not in document_of:
                document_of[subject_iri] = layout.document(subject_iri)
            subject_doc = document_of[subject_iri]
        if subject_doc is None:
            continue
        outgoing[subject_doc].append(triple)
        if isinstance(triple.object, NamedNode):
            object_iri = triple.object.value
            if object_iri not in document_of:
                document_of[object_iri] = layout.document(object_iri)
            object_doc = document_of[object_iri]
            if object_doc is not None and object_doc != subject_doc:
                incoming[object_doc].add((subject_doc, triple.predicate.value))
    del document_of
    written: list[str] = []
    skipped: list[str] = []
    used = _UsedPrefixes(prefixes)
    folders: set[PurePosixPath] = set()
    for document in documents:
        page = layout.page(document, ".html")
        turtle = layout.page(document, ".ttl")
        if page is None or turtle is None:
            skipped.append(document)
            continue
        if page.parent not in folders:
            (root / page.parent).mkdir(parents=True, exist_ok=True)
            folders.add(page.parent)
        own = outgoing.get(document, [])
        # Pages are not listed in the catalogue: written without a checksum.
        (root / turtle).write_bytes(rdf_bytes(own, RdfFormat.TURTLE, used(own)))
        html = _entity_html(layout, document, page, turtle, own, incoming.get(document, set()), labels)
        (root / page).write_bytes(html.encode("utf-8"))
        written += [str(page), str(turtle)]
    return Pages(written, skipped)


class _UsedPrefixes:
    """Only the prefixes a page needs, so that each small Turtle file stays readable. Which namespaces an IRI
    lies in is worked out once per IRI: predicates, classes and codes recur on thousands of pages."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._matching: dict[str, frozenset[str]] = {}

    def __call__(self, triples: Sequence[Triple]) -> dict[str, str]:
        iris = set()
        for triple in triples:
            iris.add(triple.predicate.value)
            for term in (triple.subject, triple.object):
                if isinstance(term, NamedNode):
                    iris.add(term.value)
                elif isinstance(term, Literal):
                    iris.add(term.datatype.value)
        names: set[str] = set()
        for iri in iris:
            names |= self._names(iri)
        return {prefix: namespace for prefix, namespace in self.prefixes.items() if prefix in names}

    def _names(self, iri: str) -> frozenset[str]:
        found = self._matching.get(iri)
        if found is None:
            found = self._matching[iri] = frozenset(
                prefix for prefix, namespace in self.prefixes.items() if iri.startswith(namespace))
        return found


def _entity_html(layout: Layout, document: str, page: PurePosixPath, turtle: PurePosixPath, own: list[Triple],
                 incoming: set[tuple[str, str]], labels: Labels) -> str:
    types = sorted({labels.get(t.object.value) for t in own
                    if _iri(t.subject) == document and t.predicate == RDF.type and isinstance(t.object, NamedNode)})
    rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)  # (fragment, predicate) -> values
    for triple in own:
        subject = _iri(triple.subject)
        if subject == document and triple.predicate == RDF.type:
            continue
        fragment = subject[len(document):] if subject else ""
        rows[(fragment, triple.predicate.value)].append(_value(layout, page, triple.object, labels))
    facts: list[dict[str, object]] = []
    for (fragment, predicate), values in sorted(rows.items(), key=lambda item: (item[0][0], labels.get(item[0][1]))):
        label = labels.get(predicate) + (f" ({fragment})" if fragment else "")
        facts.append({"predicate": predicate, "label": label,
                      "items": sorted(values, key=lambda value: value["text"])})
    links = []
    for subject_doc, predicate in sorted(incoming, key=lambda item: (labels.get(item[0]), item[1])):
        target = layout.page(subject_doc, ".html")
        if target is not None:
            links.append({"href": href(page, target), "text": labels.get(subject_doc),
                          "label": labels.get(predicate)})
    title = labels.get(document) if labels.known(document) else document[len(layout.base):]
    return render("entity.html", title=title, iri=document, types=types, facts=facts, incoming=links,
                  root=root_prefix(page), turtle_href=href(page, turtle))


def _iri(term: object) -> str | None:
    return term.value if isinstance(term, NamedNode) else None


def _value(layout: Layout, page: PurePosixPath, term: object, labels: Labels) -> dict[str, str]:
    if isinstance(term, NamedNode):
        document = layout.document(term.value)
        if document is not None:
            target = layout.page(document, ".html")
            link = href(page, target) if target is not None else term.value
            if document != term.value:
                link += "#" + quote(term.value.split("#", 1)[1], safe="-._~")
            return {"text": labels.get(term.value) if labels.known(term.value) else term.value[len(layout.base):],
                    "href": link}
        return {"text": labels.get(term.value), "href": term.value}
    if isinstance(term, Literal):
        return {"text": term.value, "note": term.language if term.language not in (None, "de") else ""}
    if isinstance(term, BlankNode):
        return {"text": "[…]"}
    return {"text": str(term)}
