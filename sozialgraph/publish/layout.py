"""Where each published thing lives: the folder on disk and the URL a plain web server gives it.

The published folder is served as it is. Entity IRIs are `{base}{kind}/{id}` with a base ending in `/id/`; the
folder's root is the base without `id/` (the "site"), so the page of `{base}offer/of-1` is `id/offer/of-1.html`
(and `.ttl`) and every other file's URL is `{site}{path}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from sozialgraph.errors import SozialgraphError

ENTITY_FOLDER = "id"


@dataclass(frozen=True)
class Layout:
    base: str
    """The published entity base, e.g. `https://daten.erfurt.de/sozialgraph/id/`."""

    @classmethod
    def for_base(cls, base: str) -> Layout:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SozialgraphError(
                f"--base-uri '{base}' ist keine Web-Adresse. Erlaubt: http(s)://…/id/, "
                "z. B. https://daten.stadt.de/sozialgraph/id/"
            )
        if parts.query or parts.fragment:
            raise SozialgraphError(f"--base-uri '{base}' darf weder '?' noch '#' enthalten.")
        normalised = base if base.endswith("/") else base + "/"
        if not normalised.endswith(f"/{ENTITY_FOLDER}/"):
            raise SozialgraphError(
                f"--base-uri '{base}' muss auf /{ENTITY_FOLDER}/ enden (z. B. https://daten.stadt.de/sozialgraph/"
                f"{ENTITY_FOLDER}/): die Seiten der Einträge liegen im Ordner {ENTITY_FOLDER}/ der Veröffentlichung."
            )
        return cls(normalised)

    @property
    def site(self) -> str:
        return self.base[: -len(ENTITY_FOLDER) - 1]

    def url(self, relative: str) -> str:
        """The download URL of a published file given by its path relative to the folder."""
        return self.site + quote(relative, safe="/-._~")

    def relative_for_url(self, url: str) -> str | None:
        """The file a URL under the site names, or None for URLs elsewhere."""
        if not url.startswith(self.site):
            return None
        return unquote(url[len(self.site):].split("#", 1)[0])

    def document(self, iri: str) -> str | None:
        """The entity an IRI belongs to (without `#fragment`), if it lies under the base."""
        if not iri.startswith(self.base):
            return None
        document = iri.split("#", 1)[0]
        return document if len(document) > len(self.base) else None

    def page(self, document: str, suffix: str) -> PurePosixPath | None:
        """`id/offer/of-1.html` for `{base}offer/of-1`; None where the IRI cannot be a safe file name."""
        tail = document[len(self.base):]
        # A web server decodes %XX before it looks for the file, but an encoded slash stays part of the name.
        parts = [unquote(part).replace("/", "%2F") for part in tail.split("/")]
        if not parts or any(part in ("", ".", "..") or "\x00" in part for part in parts):
            return None
        parts[-1] += suffix
        return PurePosixPath(ENTITY_FOLDER, *parts)

    def page_path(self, root: Path, document: str, suffix: str) -> Path | None:
        relative = self.page(document, suffix)
        return None if relative is None else root.joinpath(*relative.parts)
