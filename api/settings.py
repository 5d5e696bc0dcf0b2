"""What the web app needs to know beyond the store: the entity base and the access tokens."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sozialgraph.config import Settings

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    base_uri: str
    editor_token: str | None = None
    """Bearer token for uploads and deletes; without one, nobody can change data over HTTP."""
    reader_token: str | None = None
    """Bearer token that lets a reader see internal data (the editor token does too)."""
    max_upload_bytes: int = MAX_UPLOAD_BYTES

    @classmethod
    def from_settings(cls, settings: Settings) -> WebSettings:
        def token(name: str, key: str) -> str | None:
            value = settings.extra.get(key) or os.environ.get(name)
            return value or None

        return cls(
            base_uri=settings.base_uri,
            editor_token=token("SOZIALGRAPH_EDITOR_TOKEN", "editor_token"),
            reader_token=token("SOZIALGRAPH_READER_TOKEN", "reader_token"),
        )
