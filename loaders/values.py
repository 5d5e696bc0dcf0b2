"""Parse one cell into an RDF term, or say in German what is wrong with it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal

from sozialgraph.namespaces import XSD

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_INTEGER = re.compile(r"[+-]?\d+")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


class CellError(ValueError):
    def __init__(self, problem: str, allowed: list[str] | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.allowed = allowed


def parse_date(text: str) -> Literal:
    return Literal(iso_date(text), datatype=XSD.date)


def iso_date(text: str) -> str:
    """The date as JJJJ-MM-TT, from that form (with or without a time) or TT.MM.JJJJ."""
    german = _GERMAN_DATE.match(text)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            value = dt.date(year, month, day)
        else:
            value = dt.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError as error:
        raise CellError("kein gültiges Datum", ["JJJJ-MM-TT", "TT.MM.JJJJ"]) from error
    return value.isoformat()


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
    return Literal(decimal_text(text), datatype=XSD.decimal)


def decimal_text(text: str) -> str:
    """The canonical xsd:decimal lexical form (always with a point)."""
    normal = format(parse_decimal(text), "f")
    return normal if "." in normal else normal + ".0"


def integer_literal(text: str) -> Literal:
    return Literal(integer_text(text), datatype=XSD.integer)


def integer_text(text: str) -> str:
    cleaned = text.strip()
    if not _INTEGER.fullmatch(cleaned):
        raise CellError("keine ganze Zahl", ["ganze Zahl wie 12"])
    return str(int(cleaned))


def coordinate(text: str, low: float, high: float, name: str) -> float:
    value = float(parse_decimal(text))
    if not low <= value <= high:
        raise CellError(f"{name} außerhalb des Wertebereichs", [f"{low} bis {high}"])
    return value


def period_literal(text: str) -> Literal:
    return Literal(period_text(text))


def period_text(text: str) -> str:
    if not _PERIOD.match(text):
        raise CellError("kein gültiger Zeitraum", ["JJJJ", "JJJJ-MM", "JJJJ-MM-TT"])
    return text


def url_text(text: str) -> str:
    if not _URL.fullmatch(text):
        raise CellError("keine gültige Web-Adresse", ["http://… oder https://…"])
    return text
