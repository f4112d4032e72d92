"""Station keys as a station types them."""

from __future__ import annotations

from cms.access_keys import hash_key, key_matches, new_key


def test_issued_keys_can_be_typed_after_dash_dash_key():
    """Stations run ``loa_sync.py --key KEY``: a key starting with "-" was taken for an
    option (one key in 64). Keys are still all different and only their hash matches."""
    keys = {new_key() for _ in range(2000)}
    assert len(keys) == 2000
    assert not [key for key in keys if key.startswith("-")]
    key = keys.pop()
    assert key_matches(key, hash_key(key)) and not key_matches(key, hash_key(keys.pop()))
