"""Server-side secrets: Argon2id password hashes, signed access tokens, device signatures.

Access tokens are short-lived (15 min) and self-contained (HMAC-SHA256 with the database's
secret), so any instance can check them; refresh tokens are random, stored only as hashes,
single-use, and bound to the device's Ed25519 key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from sync.protocol import REFRESH_CONTEXT

ACCESS_TTL_S = 15 * 60
REFRESH_TTL_S = 30 * 24 * 3600
HASH_MEMORY_KIB = 64 * 1024
HASH_ITERATIONS = 3


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, memory_kib: int = HASH_MEMORY_KIB,
                  iterations: int = HASH_ITERATIONS) -> str:
    """`argon2id$m=…,t=…,p=1$salt$hash` (parameters travel with the hash)."""
    salt = os.urandom(16)
    digest = Argon2id(salt=salt, length=32, iterations=iterations, lanes=1,
                      memory_cost=memory_kib).derive(password.encode("utf-8"))
    return f"argon2id$m={memory_kib},t={iterations},p=1${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str | None) -> bool:
    """Constant-time check; with no hash (unknown user) the same work is done anyway."""
    if not encoded:
        hash_password(password)  # equal timing for "no such user" and "wrong password"
        return False
    try:
        alg, params, salt, digest = encoded.split("$")
        fields = dict(item.split("=") for item in params.split(","))
        if alg != "argon2id":
            return False
        kdf = Argon2id(salt=_unb64(salt), length=32, iterations=int(fields["t"]),
                       lanes=int(fields["p"]), memory_cost=int(fields["m"]))
        computed = kdf.derive(password.encode("utf-8"))
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))


@dataclass(frozen=True)
class AccessClaims:
    person_id: str
    device_id: str
    expires: int


def issue_access_token(secret: str, person_id: str, device_id: str,
                       now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + ACCESS_TTL_S)
    body = _b64(json.dumps({"sub": person_id, "dev": device_id, "exp": expires},
                           separators=(",", ":")).encode())
    mac = hmac.new(bytes.fromhex(secret), b"access|" + body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def read_access_token(secret: str, token: str, now: float | None = None) -> AccessClaims | None:
    """The claims of a valid, unexpired token, else None (never says which check failed)."""
    try:
        body, mac = token.split(".")
        expected = hmac.new(bytes.fromhex(secret), b"access|" + body.encode(),
                            hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        data = json.loads(_unb64(body))
        claims = AccessClaims(str(data["sub"]), str(data["dev"]), int(data["exp"]))
    except (ValueError, KeyError, TypeError):
        return None
    if claims.expires <= (now if now is not None else time.time()):
        return None
    return claims


def new_refresh_token() -> tuple[str, str]:
    """(token for the client, SHA-256 hex to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def device_proof_ok(public_key_b64: str, refresh_token: str, signature_b64: str) -> bool:
    """Whether `signature` is the device key's Ed25519 signature of the refresh token.

    Refresh tokens are single-use, so a replayed proof finds its token already spent; no
    clock is involved (devices may be days off).
    """
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature_b64), REFRESH_CONTEXT + refresh_token.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def body_proof_ok(public_key_b64: str, context: bytes, body: bytes, signature_b64: str) -> bool:
    """Whether `signature` is the device key's Ed25519 signature of context + SHA-256(body).

    Used where no bearer token exists (a revoked device's final push); replays are harmless
    because pushes are idempotent and the route closes for good after `done`.
    """
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature_b64, validate=True),
                   context + hashlib.sha256(body).digest())
    except (InvalidSignature, ValueError):
        return False
    return True


def valid_public_key(public_key_b64: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
    except ValueError:
        return False
    return True
