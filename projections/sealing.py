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
from typing import Protocol

from Crypto.Cipher import AES


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
        self._seal_key = hmac.new(master_key, b"repairtrack/read-model/seal", hashlib.sha256).digest()
        self._hash_key = hmac.new(master_key, b"repairtrack/read-model/hash", hashlib.sha256).digest()

    def seal(self, text: str | None) -> str | None:
        if text is None:
            return None
        cipher = AES.new(self._seal_key, AES.MODE_GCM)
        sealed, tag = cipher.encrypt_and_digest(text.encode())
        return base64.b64encode(cipher.nonce + tag + sealed).decode()

    def open(self, sealed: str | None) -> str | None:
        if sealed is None:
            return None
        raw = base64.b64decode(sealed)
        cipher = AES.new(self._seal_key, AES.MODE_GCM, nonce=raw[:16])
        return cipher.decrypt_and_verify(raw[32:], raw[16:32]).decode()

    def key_of(self, text: str) -> str:
        return hmac.new(self._hash_key, text.encode(), hashlib.sha256).hexdigest()[:32]
