"""What kind of SPARQL request a text is, decided before anything runs.

The public endpoint is read-only and must not make the server fetch other URLs: updates (including LOAD) and
SERVICE are refused. pyoxigraph exposes no parser in Python, and rdflib's takes ~12 ms per query, so a small
lexer over SPARQL's terminals (strings, IRIs, comments, prefixed names) finds the keywords; Oxigraph then
parses the query for real, so anything the lexer lets through must still be valid SPARQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.errors import Problem

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\W][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<word>(?:[^\W\d][\w\-.]*)?:(?:[\w\-.:%]|\\.)*|[^\W\d][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "DESCRIBE": "describe", "ASK": "ask"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
PROLOGUE_WORDS = {"BASE", "PREFIX"}


@dataclass(frozen=True)
class Checked:
    form: str
    """select, construct, describe or ask."""
    text: str


def _words(text: str) -> list[str]:
    words = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word" and ":" not in match.group():
            words.append(match.group().upper())
    return words


def check_query(text: str) -> Checked:
    """The query's form, or a Problem for updates, SERVICE and texts that are no query at all."""
    if not text.strip():
        raise Problem(400, "Die SPARQL-Abfrage ist leer.")
    # SPARQL resolves \\u escapes before parsing, so keywords may hide in them.
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    words = _words(decoded)
    if "SERVICE" in words:
        raise Problem(400, "SERVICE ist an diesem Endpunkt nicht erlaubt: er fragt keine anderen Server ab.")
    first = next((word for word in words if word not in PROLOGUE_WORDS), None)
    if first in UPDATE_WORDS:
        raise Problem(403, "Dieser SPARQL-Endpunkt ist nur lesend: Änderungen (INSERT, DELETE, LOAD, …) sind "
                           "nicht erlaubt. Daten ändern Sie über das Hochladen von Quellen.")
    if first not in QUERY_FORMS:
        raise Problem(400, "Das ist keine SPARQL-Abfrage: erwartet wird SELECT, CONSTRUCT, DESCRIBE oder ASK.")
    return Checked(QUERY_FORMS[first], text)
