"""What the read model may hold in clear.

Without an encryption key the view stores free text, names and handles as they are. With a key, every
such value is sealed (AES-GCM, a fresh nonce per value) before it reaches the DuckDB file, and what the
metrics must compare (a conflict's topic, for recurring topics) is stored as a keyed hash instead, so no
note, name, handle, description or topic is in the file in plaintext and no query needs to decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class Sealer(Protocol):
    encrypted: bool

    def seal(self, text: str | None) -> str | None: ...

    def open(self, sealed: str | None) -> str | None: ...

    def key_of(self, text: str) -> str: ...


class PlainSealer:
    encrypted = False

    def seal(self, text: str | None) -> str | None:
        return text

    def open(self, sealed: str | None) -> str | None:
        return sealed

    def key_of(self, text: str) -> str:
        return text


class AesSealer:
    encrypted = True

    def __init__(self, master_key: bytes) -> None:
        seal_key = hmac.new(master_key, b"repairtrack/read-model/seal", hashlib.sha256).digest()
        self._aead = AESGCM(seal_key)
        self._hash_key = hmac.new(master_key, b"repairtrack/read-model/hash", hashlib.sha256).digest()

    def seal(self, text: str | None) -> str | None:
        if text is None:
            return None
        nonce = os.urandom(12)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, text.encode(), None)).decode()

    def open(self, sealed: str | None) -> str | None:
        if sealed is None:
            return None
        raw = base64.b64decode(sealed)
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()

    def key_of(self, text: str) -> str:
        return hmac.new(self._hash_key, text.encode(), hashlib.sha256).hexdigest()[:32]
