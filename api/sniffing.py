"""Does an upload's content match its file name? Checked on the bytes, before any loader sees them.

The loaders pick the reader by the file name, so a spreadsheet saved under the wrong name, an HTML page saved
from a browser or a binary would reach the wrong reader. Four signatures settle it (ZIP, old OLE Excel, HTML,
NUL bytes); libmagic would add a system dependency and still cannot tell CSV from HTML-ish text reliably.
"""

from __future__ import annotations

import re

from api.errors import Problem

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml[^>]*>\s*<html)", re.IGNORECASE)
TEXT_SUFFIXES = (".csv", ".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl", ".geojson")
SAMPLE = 64 * 1024


def kind_of(data: bytes) -> str:
    """xlsx (a ZIP), xls (old Excel), html, binary or text."""
    if data.startswith(ZIP):
        return "xlsx"
    if data.startswith(OLE):
        return "xls"
    head = data[:SAMPLE].removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in head:
        return "binary"
    if _HTML.match(head):
        return "html"
    return "text"


def check_content(file_name: str, data: bytes) -> None:
    """A German 415 when the bytes are not what the name says."""
    found = kind_of(data)
    name = file_name.casefold()
    if name.endswith(".xlsx"):
        if found == "xlsx":
            return
        if found == "xls":
            raise Problem(415, f"{file_name}: das ist eine Datei im alten Excel-Format (.xls). Bitte in Excel "
                               "als .xlsx („Excel-Arbeitsmappe“) oder als CSV speichern.")
        if found == "text":
            raise Problem(415, f"{file_name}: der Inhalt ist Text (CSV?), keine Excel-Arbeitsmappe. Bitte mit "
                               "der Endung .csv hochladen oder in Excel als .xlsx speichern.")
        raise Problem(415, f"{file_name}: der Inhalt ist keine Excel-Arbeitsmappe (.xlsx).")
    if name.endswith(TEXT_SUFFIXES) and found != "text":
        what = {
            "xlsx": "eine Excel-Arbeitsmappe oder ZIP-Datei – bitte mit der Endung .xlsx hochladen",
            "xls": "eine Datei im alten Excel-Format (.xls) – bitte als .xlsx oder CSV speichern",
            "html": "eine HTML-Seite, keine Tabelle – z. B. aus dem Browser gespeichert",
            "binary": "eine Binärdatei (sie enthält Null-Bytes), kein Text",
        }[found]
        raise Problem(415, f"{file_name}: der Inhalt ist {what}. Erlaubt ist hier Text im Format, das die "
                           f"Endung nennt ({file_name.rsplit('.', 1)[-1]}).")
