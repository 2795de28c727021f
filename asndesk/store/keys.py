"""Key derivation and wrapping: Argon2id(password) and a recovery key each wrap the data key.

The data key (DEK) is 256 random bits and never changes for a profile's life; a password
change re-wraps it (security.md, "Key design"). Nothing here touches the disk.
"""

from __future__ import annotations

import base64
import math
import os
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DEK_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
RECOVERY_KEY_BYTES = 20  # 160 bits, shown as 8 groups of 4 base32 characters
# Policy floor (security.md): never derive with less than 64 MiB and 3 passes.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
CALIBRATION_TARGET_S = (0.5, 1.0)
MAX_ITERATIONS = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters stored beside each password wrap."""

    memory_kib: int
    iterations: int
    lanes: int = 1

    @classmethod
    def floor(cls) -> KdfParams:
        return cls(MIN_MEMORY_KIB, MIN_ITERATIONS, 1)

    def meets_policy(self) -> bool:
        return (
            self.memory_kib >= MIN_MEMORY_KIB
            and self.iterations >= MIN_ITERATIONS
            and self.lanes >= 1
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        return cls(int(data["memory_kib"]), int(data["iterations"]), int(data["lanes"]))


def derive_password_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id(password, salt) -> 32-byte key-encryption key."""
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(password.encode("utf-8"))


def calibrate(target: tuple[float, float] = CALIBRATION_TARGET_S) -> KdfParams:
    """Pick Argon2id passes so one derivation takes `target` seconds here (floor 64 MiB, t=3).

    Memory stays at the floor on purpose: old shared office laptops have little RAM, and
    passes buy the same cost without risking a swap storm.
    """
    params = KdfParams.floor()
    salt = os.urandom(SALT_BYTES)
    for _ in range(3):
        start = time.perf_counter()
        derive_password_key("calibration", salt, params)
        elapsed = max(time.perf_counter() - start, 1e-3)
        if target[0] <= elapsed <= target[1] or (
            elapsed > target[1] and params.iterations == MIN_ITERATIONS
        ):
            return params
        wanted = params.iterations * (sum(target) / 2) / elapsed
        iterations = min(MAX_ITERATIONS, max(MIN_ITERATIONS, math.ceil(wanted)))
        if iterations == params.iterations:
            return params
        params = KdfParams(params.memory_kib, iterations, params.lanes)
    return params


def recovery_wrap_key(recovery_key: bytes, salt: bytes) -> bytes:
    """The recovery key already has 160 random bits, so HKDF (not a slow KDF) suffices."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"asndesk recovery wrap v1"
    ).derive(recovery_key)


def purpose_key(dek: bytes, purpose: str) -> bytes:
    """A sub-key of the data key for one purpose (attachment files, bundles)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"asndesk:" + purpose.encode()
    ).derive(dek)


def wrap(kek: bytes, dek: bytes, aad: bytes) -> dict[str, str]:
    """AES-GCM-encrypt `dek` under `kek`; `aad` binds the wrap to its profile and slot."""
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(kek).encrypt(nonce, dek, aad)
    return {"nonce": _b64(nonce), "ct": _b64(ct)}


def unwrap(kek: bytes, wrapped: dict[str, str], aad: bytes) -> bytes | None:
    """The data key, or None when `kek` is wrong (or the wrap was tampered with)."""
    try:
        return AESGCM(kek).decrypt(_unb64(wrapped["nonce"]), _unb64(wrapped["ct"]), aad)
    except (InvalidTag, KeyError, ValueError):
        return None


def new_data_key() -> bytes:
    return secrets.token_bytes(DEK_BYTES)


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def new_recovery_key() -> str:
    """A fresh recovery key in its display form, e.g. `ABCD-EFGH-…` (8 groups of 4)."""
    raw = secrets.token_bytes(RECOVERY_KEY_BYTES)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes | None:
    """Bytes of a typed recovery key (case, spaces and dashes ignored; 0/1 read as O/I)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I")
    if len(cleaned) != 32:
        return None
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        return None
    return raw if len(raw) == RECOVERY_KEY_BYTES else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def b64encode(data: bytes) -> str:
    return _b64(data)


def b64decode(text: str) -> bytes:
    return _unb64(text)
