"""Errors a planner can read: German, naming the file, row and column where there is one."""

from __future__ import annotations

from collections.abc import Iterable


class SozialgraphError(Exception):
    """Any error the CLI prints as one German line and exits 2 on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def allowed_list(values: Iterable[str], limit: int = 30) -> str:
    items = list(values)
    shown = ", ".join(items[:limit])
    return shown + (f" … ({len(items)} insgesamt)" if len(items) > limit else "")


class InputError(SozialgraphError):
    """A value in an input file that cannot be represented."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        allowed: Iterable[str] | None = None,
    ) -> None:
        where = [file]
        if row is not None:
            where.append(f"Zeile {row}")
        if column is not None:
            where.append(f"Spalte {column}")
        text = ", ".join(where) + ": " + problem
        if value is not None:
            text += f" (Wert: '{value}')"
        allowed = list(allowed) if allowed is not None else None
        if allowed is not None:
            text += ". Erlaubt: " + allowed_list(allowed)
        super().__init__(text)
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.problem = problem
        self.allowed = allowed


class QueryParameterError(SozialgraphError):
    """A saved-query parameter that is unknown or has a value outside what it allows."""
