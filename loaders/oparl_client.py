"""Fetching OParl objects: over HTTP or from a folder copy, page by page, each checked against its JSON schema.

Real council information systems deviate from the schema in fields nobody reads (the specification's own
Meeting example lacks `agendaItem.order`), so a schema violation refuses the load only where it touches a field
the loader uses; elsewhere it becomes a warning. Every message names the URL and the field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from sozialgraph.errors import InputError

SCHEMAS = Path(__file__).parent / "oparl_schemas"
SCHEMA_BASE = "https://schema.oparl.org/1.1/"
MAX_PAGES = 100_000
TIMEOUT = httpx.Timeout(30.0, connect=10.0)

# Fields the loader reads, per object type ("*" = every array item). A schema error on one of them, or on a
# path leading to one of them, refuses the load.
USED: dict[str, tuple[tuple[str, ...], ...]] = {
    "System": (("id",), ("type",), ("body",)),
    "Body": (("id",), ("type",), ("name",), ("paper",)),
    "Paper": (("id",), ("type",), ("name",), ("reference",), ("date",), ("paperType",), ("created",),
              ("modified",), ("deleted",), ("web",),
              *(("consultation", "*", name) for name in ("id", "type", "meeting", "organization", "role",
                                                          "authoritative", "agendaItem"))),
    "Meeting": (("id",), ("type",), ("start",), ("cancelled",),
                *(("agendaItem", "*", name) for name in ("id", "consultation", "result", "resolutionText"))),
    "Organization": (("id",), ("type",), ("name",), ("shortName",), ("organizationType",), ("classification",)),
}


@dataclass
class Page:
    url: str
    items: list[dict[str, Any]]
    next_url: str | None


@lru_cache(maxsize=1)
def _validators() -> dict[str, Draft7Validator]:
    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.json")}
    registry: Registry = Registry()
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema)
        registry = registry.with_resource(schema["$id"], resource).with_resource(f"{SCHEMA_BASE}{name}.json",
                                                                                 resource)
    checker = FormatChecker()
    return {name: Draft7Validator(schema, registry=registry, format_checker=checker)
            for name, schema in schemas.items()}


def object_type(data: Mapping[str, Any]) -> str | None:
    """`Paper` for `https://schema.oparl.org/1.1/Paper` (OParl 1.0 types are read the same way)."""
    value = data.get("type")
    if not isinstance(value, str) or not value.startswith("https://schema.oparl.org/1."):
        return None
    return value.rsplit("/", 1)[-1]


def field_path(parts: Sequence[str | int]) -> str:
    return "/".join(str(part) for part in parts)


class OParlClient:
    """Fetches from `http(s)://…` or, for a folder, from files laid out by URL path (as `wget --mirror` does)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.folder = None if location.startswith(("http://", "https://")) else Path(location)
        self.warnings: list[str] = []
        self.digest = hashlib.sha256()
        self.requests = 0
        self._http = httpx.Client(timeout=TIMEOUT, follow_redirects=True,
                                  headers={"Accept": "application/json", "User-Agent": "sozialgraph-oparl"}) \
            if self.folder is None else None
        self._cache: dict[str, dict[str, Any] | None] = {}

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    # --- raw access --------------------------------------------------------------------------------------------
    def entry_url(self) -> str:
        """The System object's URL: the location itself, or the one System file in the folder."""
        if self.folder is None:
            return self.location
        if self.folder.is_file():
            return self.folder.resolve().as_uri()
        if not self.folder.is_dir():
            raise InputError(self.location, "weder Web-Adresse (http://, https://) noch vorhandener Ordner")
        systems = []
        for path in sorted(self.folder.rglob("*")):
            if path.is_file() and path.stat().st_size < 1_000_000:
                try:
                    data = json.loads(path.read_bytes())
                except (ValueError, UnicodeDecodeError):
                    continue
                if isinstance(data, dict) and object_type(data) == "System":
                    systems.append(path)
        if len(systems) != 1:
            raise InputError(self.location, f"der Ordner muss genau ein OParl-System-Objekt enthalten, "
                             f"gefunden: {len(systems)}")
        return systems[0].resolve().as_uri()

    def get_json(self, url: str) -> dict[str, Any]:
        body = self._read(url)
        self.digest.update(url.encode() + b"\n" + body)
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise InputError(url, f"die Antwort ist kein JSON ({error})") from error
        if not isinstance(data, dict):
            raise InputError(url, "die Antwort ist kein JSON-Objekt")
        return data

    def _read(self, url: str) -> bytes:
        self.requests += 1
        if self._http is None:
            return self._read_file(url)
        try:
            response = self._http.get(url)
        except httpx.HTTPError as error:
            raise InputError(url, f"nicht erreichbar ({type(error).__name__}: {error})") from error
        if response.status_code != 200:
            raise InputError(url, f"der Server antwortet mit HTTP {response.status_code}")
        return response.content

    def _read_file(self, url: str) -> bytes:
        assert self.folder is not None
        parts = urlsplit(url)
        if parts.scheme == "file":
            candidates = [Path(parts.path)]
        else:
            relative = parts.path.strip("/")
            root = self.folder if self.folder.is_dir() else self.folder.parent
            candidates = [root / relative, root / parts.netloc / relative]
        for path in candidates:
            if path.is_dir():
                path = path / "index.json"
            if path.is_file():
                return path.read_bytes()
        raise InputError(url, f"im Ordner {self.location} nicht gefunden (gesucht: {candidates[0]})")

    # --- objects and lists ---------------------------------------------------------------------------------
    def get_object(self, url: str, expected: str) -> dict[str, Any]:
        data = self.get_json(url)
        self.check(data, expected, url)
        return data

    def get_optional(self, url: str, expected: str) -> dict[str, Any] | None:
        """A referenced object (meeting, organization): unreachable or broken ones become a warning."""
        if url not in self._cache:
            try:
                self._cache[url] = self.get_object(url, expected)
            except InputError as error:
                self.warnings.append(f"übersprungen: {error.message}")
                self._cache[url] = None
        return self._cache[url]

    def remember(self, data: Mapping[str, Any]) -> None:
        """Objects embedded in others (e.g. a meeting's agenda items) need no request of their own."""
        if isinstance(data.get("id"), str):
            self._cache.setdefault(data["id"], dict(data))

    def pages(self, url: str, params: Mapping[str, str] | None = None) -> Iterator[Page]:
        """Every page of an OParl list, following `links.next`."""
        next_url: str | None = with_params(url, params or {})
        seen: set[str] = set()
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise InputError(next_url, "die Seitenfolge (links.next) kehrt zu einer schon gelesenen Seite zurück")
            seen.add(next_url)
            data = self.get_json(next_url)
            items = data.get("data")
            if not isinstance(items, list):
                raise InputError(f"{next_url}, Feld 'data'", "Pflichtfeld einer OParl-Liste fehlt oder ist keine "
                                 "Liste", allowed=['{"data": [...], "links": {"next": "…"}}'])
            links = data.get("links", {})
            if not isinstance(links, dict):
                raise InputError(f"{next_url}, Feld 'links'", "muss ein Objekt sein")
            following = links.get("next")
            if following is not None and not isinstance(following, str):
                raise InputError(f"{next_url}, Feld 'links/next'", "muss eine URL (Text) sein",
                                 value=json.dumps(following))
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    raise InputError(f"{next_url}, Feld 'data/{index}'", "muss ein OParl-Objekt sein")
            yield Page(next_url, items, following)
            next_url = following

    # --- schema ----------------------------------------------------------------------------------------------
    def check(self, data: Mapping[str, Any], expected: str, where: str) -> None:
        """Refuse what breaks a used field, warn about the rest of what the schema says."""
        found = object_type(data)
        if found != expected:
            raise InputError(f"{where}, Feld 'type'", f"erwartet ein OParl-Objekt vom Typ {expected}",
                             value=str(data.get("type")), allowed=[f"{SCHEMA_BASE}{expected}"])
        validator = _validators()[expected]
        instance = {**data, "type": f"{SCHEMA_BASE}{expected}"}  # 1.0 objects are checked as 1.1
        used = USED.get(expected, (("id",), ("type",)))
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            path, problem = _describe(error)
            if _touches(path, used):
                raise InputError(f"{where}, Feld '{field_path(path)}'", problem)
            self.warnings.append(f"{where}, Feld '{field_path(path)}': weicht vom OParl-Schema ab ({problem}); "
                                 "das Feld wird nicht gebraucht")


def with_params(url: str, params: Mapping[str, str]) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


_JSON_TYPES = {"string": "Text", "array": "Liste", "object": "Objekt", "boolean": "wahr/falsch",
               "integer": "ganze Zahl", "number": "Zahl", "null": "leer"}


def _describe(error: ValidationError) -> tuple[list[str | int], str]:
    path: list[str | int] = list(error.absolute_path)
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [*path, missing[0] if missing else "?"], "Pflichtfeld fehlt"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return path, (f"falscher Typ: erwartet {' oder '.join(_JSON_TYPES.get(str(t), str(t)) for t in expected)}, "
                      f"gefunden {_kind(error.instance)} {json.dumps(error.instance, ensure_ascii=False)[:60]}")
    if error.validator == "format":
        names = {"date": "Datum JJJJ-MM-TT", "date-time": "Zeitpunkt JJJJ-MM-TTThh:mm:ss+01:00"}
        return path, f"ungültiges Format, erwartet {names.get(error.validator_value, error.validator_value)} " \
                     f"(Wert: {json.dumps(error.instance, ensure_ascii=False)[:60]})"
    if error.validator in ("const", "enum"):
        allowed = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return path, f"nicht erlaubter Wert; erlaubt: {', '.join(map(str, allowed))}"
    return path, error.message


def _kind(value: object) -> str:
    for name, python in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                         ("array", list), ("object", dict)):
        if isinstance(value, python):
            return _JSON_TYPES[name]
    return _JSON_TYPES["null"]


def _touches(path: Sequence[str | int], used: Sequence[tuple[str, ...]]) -> bool:
    normal = tuple("*" if isinstance(part, int) else part for part in path)
    return any(normal[: len(u)] == u[: len(normal)] for u in used) if normal else True

