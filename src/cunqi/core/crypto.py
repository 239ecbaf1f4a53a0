"""Encryption of personal data at rest (等保 level 3, 8.1.4.8; PIPL §51) and the keyed hash
that finds a row by an identity number without storing it.

A stored value reads ``<key id>:<cipher>:<base64 of nonce, ciphertext and tag>``: the key
id says which of the configured keys opens it, so keys can be rotated (new key first in
``CUNQI_FIELD_KEYS``, old ones kept until ``cunqi rotate_keys`` has re-encrypted every
value). Each value is bound to its column (the associated data), so a value copied into
another column or row kind does not open. The cipher is AES-256-GCM, or SM4-GCM (GB/T
32907, RFC 8998) where the deployment asks for 国密 (``CUNQI_FIELD_CIPHER=sm4-gcm``); the
lookup hash is HMAC-SHA-256, or HMAC-SM3 (GB/T 32905) with SM4.

The keys come from the environment, never from the database. Without them a key is derived
from the secret key, marked ``derived``, which ``cunqi security-check`` reports as a gap.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CIPHERS = ("aes-gcm", "sm4-gcm")
KEY_BYTES = {"aes-gcm": 32, "sm4-gcm": 16}
NONCE_BYTES = 12
TAG_BYTES = 16
DERIVED = "derived"


class SealError(ValueError):
    """A key setting that cannot be used, or a value no configured key opens."""


@dataclass(frozen=True)
class Keyring:
    cipher: str
    keys: dict[str, bytes]  # key id → key; the first is the one new values are sealed with
    lookup_key: bytes

    @property
    def current(self) -> str:
        return next(iter(self.keys))

    @property
    def derived(self) -> bool:
        return self.current == DERIVED


def _derive(secret: str, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(
        secret.encode()
    )


def parse_keys(text: str, cipher: str) -> dict[str, bytes]:
    """``"k2=<base64>,k1=<base64>"`` → {id: key}, newest first; each key the cipher's size."""
    keys = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition("=")
        if not sep or not key_id.isalnum() or key_id == DERIVED:
            raise SealError(f"a key reads id=base64, with a letters-and-digits id: {key_id!r}")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise SealError(f"key {key_id!r} is not base64") from None
        if len(key) != KEY_BYTES[cipher]:
            raise SealError(
                f"key {key_id!r} has {len(key)} bytes; {cipher} needs {KEY_BYTES[cipher]}"
            )
        keys[key_id] = key
    return keys


def keyring_from(cipher: str, keys: str, lookup_key: str, secret_key: str) -> Keyring:
    if cipher not in CIPHERS:
        raise SealError(f"CUNQI_FIELD_CIPHER is one of {', '.join(CIPHERS)}, not {cipher!r}")
    parsed = parse_keys(keys, cipher)
    # Always last: it opens what was sealed before the deployment was given keys of its own.
    parsed[DERIVED] = _derive(secret_key, b"cunqi field key " + cipher.encode(), KEY_BYTES[cipher])
    if lookup_key:
        try:
            lookup = base64.b64decode(lookup_key, validate=True)
        except binascii.Error:
            raise SealError("CUNQI_LOOKUP_KEY is not base64") from None
        if len(lookup) < 16:
            raise SealError("CUNQI_LOOKUP_KEY needs at least 16 bytes")
    else:
        lookup = _derive(secret_key, b"cunqi lookup key", 32)
    return Keyring(cipher=cipher, keys=parsed, lookup_key=lookup)


@cache
def keyring() -> Keyring:
    from django.conf import settings

    return keyring_from(
        settings.CUNQI_FIELD_CIPHER,
        settings.CUNQI_FIELD_KEYS,
        settings.CUNQI_LOOKUP_KEY,
        settings.SECRET_KEY,
    )


def _sm4_gcm(key: bytes, nonce: bytes, tag: bytes | None = None) -> Cipher:
    return Cipher(algorithms.SM4(key), modes.GCM(nonce, tag))


def seal(text: str, context: str, ring: Keyring) -> str:
    """``text`` encrypted under the current key, bound to ``context`` (its column)."""
    key_id, key = ring.current, ring.keys[ring.current]
    nonce = os.urandom(NONCE_BYTES)
    data, aad = text.encode(), context.encode()
    if ring.cipher == "aes-gcm":
        sealed = AESGCM(key).encrypt(nonce, data, aad)
    else:
        encryptor = _sm4_gcm(key, nonce).encryptor()
        encryptor.authenticate_additional_data(aad)
        sealed = encryptor.update(data) + encryptor.finalize() + encryptor.tag
    return f"{key_id}:{ring.cipher}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(token: str) -> str:
    return token.partition(":")[0]


def open_sealed(token: str, context: str, ring: Keyring) -> str:
    """The text ``seal`` sealed; SealError if no configured key opens it."""
    key_id, cipher, encoded = _parts(token)
    if key_id not in ring.keys:
        raise SealError(f"no key {key_id!r} is configured (CUNQI_FIELD_KEYS)")
    raw = base64.b64decode(encoded)
    nonce, sealed, aad = raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
    key = ring.keys[key_id]
    try:
        if cipher == "aes-gcm":
            data = AESGCM(key).decrypt(nonce, sealed, aad)
        else:
            decryptor = _sm4_gcm(key, nonce, sealed[-TAG_BYTES:]).decryptor()
            decryptor.authenticate_additional_data(aad)
            data = decryptor.update(sealed[:-TAG_BYTES]) + decryptor.finalize()
    except (InvalidTag, ValueError):
        raise SealError(f"the value does not open with key {key_id!r} in {context}") from None
    return data.decode()


def _parts(token: str) -> tuple[str, str, str]:
    key_id, cipher, encoded = [*token.split(":", 2), "", ""][:3]
    if cipher not in CIPHERS or not encoded:
        raise SealError("not a sealed value")
    return key_id, cipher, encoded


def lookup_hash(text: str, ring: Keyring) -> str:
    """A keyed hash of ``text`` (hex): equal texts, equal hashes; without the key, no way
    back from a hash to an identity number (whose space is small enough to try through)."""
    if ring.cipher == "sm4-gcm":
        mac = crypto_hmac.HMAC(ring.lookup_key, hashes.SM3())
        mac.update(text.encode())
        return mac.finalize().hex()
    return hmac.new(ring.lookup_key, text.encode(), "sha256").hexdigest()
