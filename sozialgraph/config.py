"""Settings from the environment, overridable by CLI options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE_URI = "https://sozialgraph.example/id/"
DEFAULT_STORE = Path(".sozialgraph/store")


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


@dataclass(frozen=True)
class Settings:
    store_path: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    base_uri: str = DEFAULT_BASE_URI
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        store = _env("SOZIALGRAPH_STORE")
        base = _env("SOZIALGRAPH_BASE_URI") or DEFAULT_BASE_URI
        return cls(
            store_path=Path(store) if store else None,
            endpoint=_env("SOZIALGRAPH_ENDPOINT"),
            update_endpoint=_env("SOZIALGRAPH_UPDATE_ENDPOINT"),
            store_endpoint=_env("SOZIALGRAPH_STORE_ENDPOINT"),
            user=_env("SOZIALGRAPH_USER"),
            password=_env("SOZIALGRAPH_PASSWORD"),
            token=_env("SOZIALGRAPH_TOKEN"),
            base_uri=normalise_base(base),
        )


def normalise_base(base: str) -> str:
    """Entity IRIs are `{base}{kind}/{id}`, so the base must end in a separator."""
    return base if base.endswith(("/", "#")) else base + "/"
