"""How aggregate ids are derived from names (a couple's handle, an account's name, ...), so a name finds
its aggregate without an index.

Without an encryption key an id is `uuid5(namespace, name)`, as every store written so far has it. With
a key, `uuid5` would tell: anyone with a list of likely handles could find which rows are whose. So an
encrypted store derives ids with a keyed function instead (HMAC-SHA256 under a subkey of the encryption
key), truncated into a UUID. The domain never sees the key: the composition root hands it the keyed
function, opaque, and every part of the program asks the same `IdScheme`.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid5

# Couple ids: the aggregate's namespace (the ids of stores without a key depend on it: never change it).
COUPLE_NAMESPACE = UUID("6f2c1b0e-8d4a-5b7e-9c3f-2a1d0e4b5c6d")

Keyed = Callable[[bytes], bytes]  # a keyed hash: message -> digest (at least 16 bytes)

_VERSION_8 = 0x8 << 76  # RFC 9562 "custom" UUIDs: the version nibble says the bits are our own
_VARIANT = 0x2 << 62


class IdScheme:
    """Aggregate ids from names: `uuid5` when `keyed` is None, else the keyed hash of namespace and name."""

    def __init__(self, keyed: Keyed | None = None) -> None:
        self._keyed = keyed

    @property
    def is_keyed(self) -> bool:
        return self._keyed is not None

    @property
    def layout(self) -> str:
        """What a store records about how its ids were made."""
        return "keyed-1" if self._keyed is not None else "uuid5"

    def aggregate_id(self, namespace: UUID, name: str) -> UUID:
        """The id of the aggregate of kind `namespace` (a fixed UUID per aggregate class) named `name`."""
        if self._keyed is None:
            return uuid5(namespace, name)
        digest = self._keyed(namespace.bytes + name.encode("utf-8"))
        value = int.from_bytes(digest[:16], "big")
        value &= ~((0xF << 76) | (0x3 << 62))
        return UUID(int=value | _VERSION_8 | _VARIANT)

    def couple_id(self, handle: str) -> UUID:
        """The id a couple's events are stored under."""
        return self.aggregate_id(COUPLE_NAMESPACE, handle)


PLAIN_IDS = IdScheme()  # the scheme of stores without a key
