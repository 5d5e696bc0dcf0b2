"""Access tokens stored hashed: a tokens file of `role:sha256-hex` lines, re-read when it changes.

Tokens are long random strings (`sozialgraph token new`), so one SHA-256 is enough to make a leaked file
useless: a slow password hash (PBKDF2, scrypt) protects guessable secrets and would cost every request tens of
milliseconds. The file is re-read when its modification time or size changes, so a token is added or revoked
without a restart. An unreadable or invalid file grants nothing (fail closed) until it is fixed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from sozialgraph.errors import SozialgraphError

ROLES = ("reader", "editor")
MIN_TOKEN_LENGTH = 20
log = logging.getLogger("sozialgraph.tokens")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def token_line(role: str, token: str) -> str:
    """One line for the tokens file: `role:sha256-hex`."""
    if role not in ROLES:
        raise SozialgraphError(f"Unbekannte Rolle '{role}'. Erlaubt: {', '.join(ROLES)}.")
    if len(token.strip()) < MIN_TOKEN_LENGTH:
        raise SozialgraphError(f"Das Token ist zu kurz: mindestens {MIN_TOKEN_LENGTH} Zeichen "
                               "(ein zufälliges erzeugt 'sozialgraph token new').")
    return f"{role}:{hash_token(token)}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenHash:
    role: str
    digest: str


def parse_tokens(text: str, origin: str) -> list[TokenHash]:
    """The lines of a tokens file; comments (#) and blank lines are skipped."""
    entries: list[TokenHash] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        role, _, digest = line.partition(":")
        digest = digest.strip().lower()
        if role.strip() not in ROLES or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise SozialgraphError(f"{origin}, Zeile {number}: erwartet 'reader:<sha256>' oder 'editor:<sha256>' "
                                   "(eine Zeile macht 'sozialgraph token hash').")
        entries.append(TokenHash(role.strip(), digest))
    return entries


class TokenTable:
    """Which role a bearer token has: plain tokens from the environment (hashed at start) and a tokens file."""

    def __init__(self, plain: dict[str, str | None], file: Path | None = None) -> None:
        self._fixed = [TokenHash(role, hash_token(token)) for role, token in plain.items() if token]
        self._file = file
        self._stamp: tuple[int, int] | None = None
        self._from_file: list[TokenHash] = []
        self._lock = threading.Lock()

    def _entries(self) -> list[TokenHash]:
        if self._file is None:
            return self._fixed
        try:
            status = os.stat(self._file)
            stamp: tuple[int, int] | None = (status.st_mtime_ns, status.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._from_file = self._read() if stamp is not None else []
                if stamp is None:
                    log.error("tokens file %s is missing: its tokens are not accepted", self._file)
                self._stamp = stamp
            return self._fixed + self._from_file

    def _read(self) -> list[TokenHash]:
        assert self._file is not None
        try:
            return parse_tokens(self._file.read_text(encoding="utf-8"), str(self._file))
        except (OSError, UnicodeDecodeError, SozialgraphError) as error:
            log.error("tokens file %s rejected, none of its tokens are accepted: %s", self._file, error)
            return []

    def role_of(self, token: str) -> str | None:
        """The highest role the token has; every entry is compared, in constant time."""
        given = hash_token(token)
        found: str | None = None
        for entry in self._entries():
            if hmac.compare_digest(given, entry.digest) and (found is None or entry.role == "editor"):
                found = entry.role
        return found

    def has(self, role: str) -> bool:
        return any(entry.role == role for entry in self._entries())
