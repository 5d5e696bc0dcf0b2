"""Parse one cell into an RDF term, or say in German what is wrong with it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal

from sozialgraph.namespaces import XSD

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class CellError(ValueError):
    def __init__(self, problem: str, allowed: list[str] | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.allowed = allowed


def parse_date(text: str) -> Literal:
    german = _GERMAN_DATE.match(text)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            value = dt.date(year, month, day)
        else:
            value = dt.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError as error:
        raise CellError("kein gültiges Datum", ["JJJJ-MM-TT", "TT.MM.JJJJ"]) from error
    return Literal(value.isoformat(), datatype=XSD.date)


def parse_decimal(text: str) -> Decimal:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise CellError("keine Zahl", ["Dezimalzahl wie 12.5 oder 12,5"]) from error
    if not value.is_finite():
        raise CellError("keine endliche Zahl", ["Dezimalzahl wie 12.5 oder 12,5"])
    return value


def decimal_literal(text: str) -> Literal:
    value = parse_decimal(text)
    normal = format(value, "f")
    if "." not in normal:
        normal += ".0"
    return Literal(normal, datatype=XSD.decimal)


def integer_literal(text: str) -> Literal:
    cleaned = text.strip()
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        raise CellError("keine ganze Zahl", ["ganze Zahl wie 12"])
    return Literal(str(int(cleaned)), datatype=XSD.integer)


def coordinate(text: str, low: float, high: float, name: str) -> float:
    value = float(parse_decimal(text))
    if not low <= value <= high:
        raise CellError(f"{name} außerhalb des Wertebereichs", [f"{low} bis {high}"])
    return value


def period_literal(text: str) -> Literal:
    if not _PERIOD.match(text):
        raise CellError("kein gültiger Zeitraum", ["JJJJ", "JJJJ-MM", "JJJJ-MM-TT"])
    return Literal(text)


def url_text(text: str) -> str:
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
        raise CellError("keine gültige Web-Adresse", ["http://… oder https://…"])
    return text
