"""Jinja2 templates for the static HTML pages (autoescaped: labels come from the planners' tables)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

FOOTER = ("Veröffentlicht mit sozialgraph – Wissensgraph für die integrierte Sozialplanung. "
          "Nur öffentliche Angaben; interne Einträge werden nicht veröffentlicht.")


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
        auto_reload=False,  # the templates do not change while publishing; checking them cost two stat calls a page
    )


def render(template: str, **values: Any) -> str:
    values.setdefault("footer", FOOTER)
    return environment().get_template(template).render(**values)


def render_stream(template: str, **values: Any) -> Iterator[str]:
    """The page in pieces as Jinja renders it, for pages too large to hold (the list of every entry)."""
    values.setdefault("footer", FOOTER)
    return environment().get_template(template).generate(**values)
