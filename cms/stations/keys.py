"""Station access keys. Only a SHA-256 hash is stored: the key is shown once when it is
issued. Keys are 256-bit random tokens, so a plain hash (no salt, no stretching) is enough
to make a stolen database useless for fetching files."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_BYTES = 32


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return bool(stored_hash) and hmac.compare_digest(hash_key(key), stored_hash)
