"""Prefixes for Turtle and the JSON-LD context: the shared ones, plus one per entity kind and code list, so
that the dumps read `offer:of-1` and `target-group:familien` rather than escaped or full IRIs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sozialgraph.namespaces import CODE_BASE, PREFIXES

_PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
EXTRA = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "code": CODE_BASE,
}


def prefixes_for(base: str, iris: Iterable[str]) -> dict[str, str]:
    prefixes = {**PREFIXES, **EXTRA, "id": base}
    taken = set(prefixes)
    for iri in iris:
        for namespace in (base, CODE_BASE):
            if not iri.startswith(namespace):
                continue
            head, slash, _ = iri[len(namespace):].partition("/")
            if slash and _PREFIX_NAME.fullmatch(head) and head not in taken:
                prefixes[head] = f"{namespace}{head}/"
                taken.add(head)
    return prefixes
