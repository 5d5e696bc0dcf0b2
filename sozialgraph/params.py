"""Saved-query parameters: declared in the query header, checked, and turned into typed RDF terms."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from sozialgraph.errors import QueryParameterError, allowed_list
from sozialgraph.namespaces import XSD
from sozialgraph.vocabulary import code_list

PARAMETER_TYPES = ("code", "entity", "date", "integer", "decimal", "enum", "string", "period")
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_RELATIVE_DATE = re.compile(r"^today(?:\s*([+-])\s*(\d+)\s*(days?|months?|years?))?$")


@dataclass
class Parameter:
    name: str
    type: str
    description: str = ""
    default: str | None = None
    required: bool = False
    scheme: str | None = None
    """Code list for `code` parameters."""
    kind: str | None = None
    """Entity kind (`actor`, `plan`, `space`, ...) for `entity` parameters."""
    allowed: list[str] = field(default_factory=list)
    minimum: int | None = None
    """The smallest value an `integer` parameter takes."""

    def allowed_values(self) -> list[str]:
        if self.type == "code" and self.scheme:
            return list(code_list(self.scheme).codes)
        if self.type == "period":
            return ["latest", "JJJJ", "JJJJ-MM", "JJJJ-MM-TT"]
        return list(self.allowed)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "default": self.default,
            "required": self.required,
            "allowed": self.allowed_values(),
            **({"scheme": self.scheme} if self.scheme else {}),
            **({"kind": self.kind} if self.kind else {}),
            **({"minimum": self.minimum} if self.minimum is not None else {}),
        }

    def to_term(self, value: str, base_uri: str, today: dt.date) -> NamedNode | Literal | None:
        """The RDF term for a value, or None for 'no restriction' (`latest`, empty)."""
        text = value.strip()
        if text == "":
            return None
        if self.type == "code":
            assert self.scheme is not None
            codes = code_list(self.scheme)
            code = codes.lookup(text)
            if code is None:
                self._refuse(text, codes.allowed())
            assert code is not None
            return code.iri
        if self.type == "entity":
            if not re.fullmatch(r"[\w.\-~äöüÄÖÜß]+", text):
                self._refuse(text, ["eine Id aus Buchstaben, Ziffern, '-', '_' und '.'"])
            return NamedNode(f"{base_uri}{self.kind}/{quote(text, safe='-._~')}")
        if self.type == "date":
            return Literal(self._date(text, today).isoformat(), datatype=XSD.date)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,9}", text):
                self._refuse(text, ["ganze Zahl" if self.minimum is None else f"ganze Zahl ab {self.minimum}"])
            if self.minimum is not None and int(text) < self.minimum:
                self._refuse(text, [f"ganze Zahl ab {self.minimum}"])
            return Literal(str(int(text)), datatype=XSD.integer)
        if self.type == "decimal":
            if not re.fullmatch(r"[+-]?\d{1,12}([.,]\d{1,9})?", text):
                self._refuse(text, ["Dezimalzahl"])
            return Literal(text.replace(",", "."), datatype=XSD.decimal)
        if self.type == "enum":
            if text not in self.allowed:
                self._refuse(text, self.allowed)
            if text == "latest":
                return None
            return Literal(text)
        if self.type == "period":
            # Periods are stored as the planners wrote them ("2023", "2023-12-31"); `latest` means each
            # space's newest one.
            if text == "latest":
                return None
            if not _PERIOD.match(text):
                self._refuse(text, ["latest", "JJJJ", "JJJJ-MM", "JJJJ-MM-TT"])
            return Literal(text)
        if self.type == "string":
            if len(text) > 200 or any(ord(ch) < 32 for ch in text):
                self._refuse(text, ["Text bis 200 Zeichen ohne Steuerzeichen"])
            return Literal(text)
        raise AssertionError(self.type)

    def _date(self, text: str, today: dt.date) -> dt.date:
        relative = _RELATIVE_DATE.match(text)
        if relative:
            sign, amount, unit = relative.groups()
            if not sign:
                return today
            step = int(amount) * (1 if sign == "+" else -1)
            if unit.startswith("day"):
                return today + dt.timedelta(days=step)
            months = step * (12 if unit.startswith("year") else 1)
            return add_months(today, months)
        german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        try:
            if german:
                day, month, year = (int(p) for p in german.groups())
                return dt.date(year, month, day)
            return dt.date.fromisoformat(text)
        except ValueError:
            self._refuse(text, ["JJJJ-MM-TT", "TT.MM.JJJJ", "today", "today+12months"])
            raise

    def _refuse(self, value: str, allowed: list[str]) -> None:
        shown = value if len(value) <= 60 else value[:57] + "…"
        raise QueryParameterError(
            f"Parameter '{self.name}': der Wert '{shown}' ist nicht erlaubt. Erlaubt: {allowed_list(allowed)}"
        )


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse_parameter(name: str, spec: dict[str, object], source: str) -> Parameter:
    kind = str(spec.get("type", "string"))
    if kind not in PARAMETER_TYPES:
        raise ValueError(f"{source}: parameter {name} has unknown type {kind!r}")
    default = spec.get("default")
    allowed = spec.get("allowed") or spec.get("enum") or []
    minimum = spec.get("minimum")
    if minimum is not None and (kind != "integer" or not isinstance(minimum, int)):
        raise ValueError(f"{source}: parameter {name} has a minimum, which only an integer parameter takes")
    return Parameter(
        name=name,
        type=kind,
        description=str(spec.get("description", "")),
        default=None if default is None else str(default),
        required=bool(spec.get("required", False)),
        scheme=str(spec["scheme"]) if "scheme" in spec else None,
        kind=str(spec["kind"]) if "kind" in spec else None,
        allowed=[str(a) for a in allowed] if isinstance(allowed, list) else [],
        minimum=minimum if isinstance(minimum, int) else None,
    )
