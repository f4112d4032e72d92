"""Access keys of devices that reach Loa without an account: radio stations (feeds,
downloads, airing reports) and support-point kiosks (play reports). Only a SHA-256 hash is
stored: the key is shown once when it is issued. Keys are 256-bit random tokens, so a plain
hash (no salt, no stretching) is enough to make a stolen database useless."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_BYTES = 32


def new_key() -> str:
    """Never starts with "-": stations pass the key as ``--key KEY``, and command-line
    parsers (argparse, curl, wget) take a leading dash for an option. One character in 64
    of the first position is the only entropy given up."""
    while (key := secrets.token_urlsafe(KEY_BYTES)).startswith("-"):
        pass
    return key


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return bool(stored_hash) and hmac.compare_digest(hash_key(key), stored_hash)
