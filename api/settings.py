"""What the web app needs to know beyond the store: the entity base and the access tokens."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sozialgraph.config import Settings
from sozialgraph.errors import SozialgraphError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    base_uri: str
    editor_token: str | None = None
    """Bearer token for uploads and deletes; without one, nobody can change data over HTTP."""
    reader_token: str | None = None
    """Bearer token that lets a reader see internal data (the editor token does too)."""
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    tokens_file: Path | None = None
    """`role:sha256-hex` lines (`sozialgraph token hash`), re-read when the file changes: rotation without restart."""
    sparql_timeout: float = 10.0
    """Seconds a SPARQL query may run before the endpoint answers 503."""
    sparql_max_rows: int = 100_000
    """Result rows (or triples) a SPARQL query may return before the endpoint answers 400."""
    sparql_concurrency: int = 4
    """SPARQL queries that may run at once; one more is answered 503 with Retry-After."""

    @classmethod
    def from_settings(cls, settings: Settings) -> WebSettings:
        def token(name: str, key: str) -> str | None:
            value = settings.extra.get(key) or os.environ.get(name)
            return value or None

        def number(name: str, default: float) -> float:
            value = os.environ.get(name)
            try:
                return float(value) if value else default
            except ValueError as error:
                raise SozialgraphError(f"{name}={value!r} ist keine Zahl.") from error

        tokens_file = token("SOZIALGRAPH_TOKENS_FILE", "tokens_file")
        return cls(
            base_uri=settings.base_uri,
            editor_token=token("SOZIALGRAPH_EDITOR_TOKEN", "editor_token"),
            reader_token=token("SOZIALGRAPH_READER_TOKEN", "reader_token"),
            tokens_file=Path(tokens_file) if tokens_file else None,
            sparql_timeout=number("SOZIALGRAPH_SPARQL_TIMEOUT", 10.0),
            sparql_max_rows=int(number("SOZIALGRAPH_SPARQL_MAX_ROWS", 100_000)),
            sparql_concurrency=max(1, int(number("SOZIALGRAPH_SPARQL_CONCURRENCY", 4))),
        )
