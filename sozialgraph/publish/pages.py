"""A static HTML page and a Turtle file for every entity under the base, so that any plain web server makes the
IRIs answer (`id/offer/of-1.html` and `id/offer/of-1.ttl` for `{base}offer/of-1`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from sozialgraph.namespaces import RDF
from sozialgraph.publish.files import rdf_bytes
from sozialgraph.publish.jsonld import CACHE_SIZE
from sozialgraph.publish.labels import Labels
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.render import render
from sozialgraph.publish.sorting import ExternalSort, unique


@dataclass
class Pages:
    written: int
    """How many files (an HTML and a Turtle file per page)."""
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


class PageRecords:
    """Turns N-Triples lines into records sorted by the page they belong to: `{document}\\0o{line}` for a triple
    whose subject lies in the document, `{document}\\0i{subject document} {predicate}` for a link from another
    document (IRIs hold no spaces). Sorted as bytes, each document's records come together, in the order of
    the sorted document list, its own triples in the order of the dump."""

    def __init__(self, layout: Layout, sort: ExternalSort) -> None:
        self.sort = sort
        self._base = b"<" + layout.base.encode("utf-8")
        self._subject = b""
        self._document: bytes | None = None

    def _of(self, term: bytes) -> bytes | None:
        """The document of an N-Triples IRI term (`<…>`), as `Layout.document` finds it."""
        if not term.startswith(self._base):
            return None
        document = term[1:-1].split(b"#", 1)[0]
        return document if len(document) > len(self._base) - 1 else None

    def add(self, line: bytes) -> None:
        end = line.index(b" ")
        subject = line[:end]
        if subject != self._subject:  # the lines of one subject mostly come together
            self._subject, self._document = subject, self._of(subject)
        document = self._document
        if document is None:
            return
        self.sort.add(document + b"\0o" + line)
        object_start = line.index(b" ", end + 1) + 1
        target = self._of(line[object_start:-2])
        if target is not None and target != document:
            self.sort.add(target + b"\0i" + document + b" " + line[end + 2:object_start - 2])


def write_entity_pages(root: Path, layout: Layout, documents: Sequence[str], records: Iterable[bytes],
                       labels: Labels, prefixes: dict[str, str]) -> Pages:
    """`records` are the sorted `PageRecords`."""
    written = 0
    skipped: list[str] = []
    used = _UsedPrefixes(prefixes)
    folders: set[PurePosixPath] = set()
    groups = _groups(unique(records))
    current: tuple[bytes, list[bytes], list[bytes]] | None = next(groups, None)
    for document in documents:
        key = document.encode("utf-8")
        while current is not None and current[0] < key:
            current = next(groups, None)
        lines: list[bytes] = []
        links: list[bytes] = []
        if current is not None and current[0] == key:
            _, lines, links = current
            current = next(groups, None)
        page = layout.page(document, ".html")
        turtle = layout.page(document, ".ttl")
        if page is None or turtle is None:
            skipped.append(document)
            continue
        if page.parent not in folders:
            (root / page.parent).mkdir(parents=True, exist_ok=True)
            folders.add(page.parent)
        own = list(parse(b"\n".join(lines) + b"\n", format=RdfFormat.N_TRIPLES)) if lines else []
        incoming = [(subject.decode("utf-8"), predicate.decode("utf-8"))
                    for subject, predicate in (link.split(b" ", 1) for link in links)]
        # Pages are not listed in the catalogue: written without a checksum.
        (root / turtle).write_bytes(rdf_bytes(own, RdfFormat.TURTLE, used(own)))
        html = _entity_html(layout, document, page, turtle, own, incoming, labels)
        (root / page).write_bytes(html.encode("utf-8"))
        written += 2
    return Pages(written, skipped)


def _groups(records: Iterable[bytes]) -> Iterator[tuple[bytes, list[bytes], list[bytes]]]:
    """(document, own N-Triples lines, incoming links) per document, in the records' order."""
    document = None
    lines: list[bytes] = []
    links: list[bytes] = []
    for record in records:
        end = record.index(b"\0")
        key = record[:end]
        if key != document:
            if document is not None:
                yield document, lines, links
            document, lines, links = key, [], []
        (lines if record[end + 1:end + 2] == b"o" else links).append(record[end + 2:])
    if document is not None:
        yield document, lines, links


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
            if len(self._matching) >= CACHE_SIZE:  # entity IRIs pass by once or twice each: keep memory flat
                self._matching.clear()
            found = self._matching[iri] = frozenset(
                prefix for prefix, namespace in self.prefixes.items() if iri.startswith(namespace))
        return found


def _entity_html(layout: Layout, document: str, page: PurePosixPath, turtle: PurePosixPath, own: list[Triple],
                 incoming: list[tuple[str, str]], labels: Labels) -> str:
    """`incoming` in IRI order, which settles the order of links with the same label."""
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
