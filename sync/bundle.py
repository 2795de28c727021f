"""Offline bundles ("sneakernet"), format 1: sealed files both ends read and write.

File = `MAGIC | u32 header length | header | ciphertext | signature` (big-endian length).
The header is canonical JSON: `format`, `kind` ("request" from a device, "reply" from the
server), `bundle_id`, `device_id`, `server_id`, `created_at`/`expires_at` (Unix seconds),
`enc_key` (the sender's one-use X25519 public key), `nonce`; a request adds `reply_key` (a
device X25519 key kept in its encrypted profile for the answer), a reply `in_reply_to`.
Ciphertext = AES-256-GCM of the content under HKDF-SHA256(X25519(enc_key, recipient)), with
`MAGIC | length | header` as associated data. Signature = Ed25519 over `SIGN_CONTEXT` and all
bytes before it, by the device (request) or the server (reply). Content = `u32 length |
zstd JSON | blobs…`; the JSON lists each blob's SHA-256 and size in order. A request's JSON
holds `push` (a PushRequest, or None), `cursors` and `blobs`; a reply's `push` (a
PushResponse, or None), `pages` (PullPages), `blobs_stored` and `blobs`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import struct
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from asndesk.errors import UserFacingError
from asndesk.i18n import N_
from sync import wire

FORMAT = 1
MAGIC = b"ASNBNDL1"
SIGN_CONTEXT = b"asndesk-bundle-v1|sign|"
KDF_CONTEXT = b"asndesk-bundle-v1|key|"
BUNDLE_PATH = "/sync/v1/bundle"
MEDIA_TYPE = "application/vnd.asndesk.bundle"
MAX_BUNDLE_BYTES = 8 * 1024 * 1024     # the server's body limit: a request must fit in one POST
MAX_REPLY_BYTES = 32 * 1024 * 1024
MAX_HEADER_BYTES = 4096
TTL_S = 30 * 24 * 3600
MAX_TTL_S = 31 * 24 * 3600
KINDS = ("request", "reply")
_SIG_BYTES = 64
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# -- typed refusals (nothing is applied when one is raised) --------------------------------------
class BundleError(UserFacingError):
    """A bundle that is refused whole; `code` is the stable, language-neutral reason."""

    code = "bundle_invalid"


class BundleDamaged(BundleError):
    message_id = N_("This bundle file is damaged or was changed after it was made; "
                    "nothing was imported.")


class BundleExpired(BundleError):
    code = "bundle_expired"
    message_id = N_("This bundle has expired; nothing was imported. Make a new one.")


class BundleWrongRecipient(BundleError):
    code = "bundle_wrong_recipient"
    message_id = N_("This bundle is not meant for this device or this server; nothing was "
                    "imported.")


class BundleWrongKind(BundleError):
    code = "bundle_wrong_kind"
    message_id = N_("This file is not the kind of bundle expected here (a device's bundle is "
                    "uploaded at an office PC; the server's reply is imported on the device).")


# -- keys ---------------------------------------------------------------------------------------
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, size: int) -> bytes:
    """Strict base64 of exactly `size` bytes, else `BundleDamaged`."""
    try:
        raw = base64.b64decode(str(text), validate=True)
    except ValueError:
        raise BundleDamaged() from None
    if len(raw) != size:
        raise BundleDamaged()
    return raw


def x25519_public(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ed25519_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _content_key(shared: bytes, enc_key: bytes, recipient: bytes, kind: str) -> bytes:
    info = KDF_CONTEXT + kind.encode() + b"|" + enc_key + recipient
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


# -- header -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Header:
    """What travels in the clear (bound to the ciphertext as associated data, and signed)."""

    kind: str
    bundle_id: str
    device_id: str
    server_id: str
    created_at: int
    expires_at: int
    enc_key: bytes = b""
    nonce: bytes = b""
    reply_key: bytes | None = None     # request only
    in_reply_to: str | None = None     # reply only

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT, "kind": self.kind, "bundle_id": self.bundle_id,
            "device_id": self.device_id, "server_id": self.server_id,
            "created_at": self.created_at, "expires_at": self.expires_at,
            "enc_key": b64(self.enc_key), "nonce": b64(self.nonce)}
        if self.reply_key is not None:
            out["reply_key"] = b64(self.reply_key)
        if self.in_reply_to is not None:
            out["in_reply_to"] = self.in_reply_to
        return out

    @classmethod
    def from_wire(cls, data: Any) -> Header:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BundleDamaged()
        kind = data.get("kind")
        expected = {"format", "kind", "bundle_id", "device_id", "server_id", "created_at",
                    "expires_at", "enc_key", "nonce",
                    "reply_key" if kind == "request" else "in_reply_to"}
        if kind not in KINDS or set(data) != expected:
            raise BundleDamaged()
        ids = [data["bundle_id"], data["device_id"], data["server_id"],
               data.get("in_reply_to", data["bundle_id"])]
        times = [data["created_at"], data["expires_at"]]
        if not all(isinstance(i, str) and _UUID.match(i) for i in ids) or not all(
                type(t) is int and t >= 0 for t in times):
            raise BundleDamaged()
        return cls(kind=kind, bundle_id=data["bundle_id"], device_id=data["device_id"],
                   server_id=data["server_id"], created_at=data["created_at"],
                   expires_at=data["expires_at"], enc_key=unb64(data["enc_key"], 32),
                   nonce=unb64(data["nonce"], 12),
                   reply_key=unb64(data["reply_key"], 32) if kind == "request" else None,
                   in_reply_to=data.get("in_reply_to"))


@dataclass(frozen=True)
class Sealed:
    """A parsed bundle file; nothing in it is trusted before `verify`."""

    header: Header
    aad: bytes           # MAGIC | length | header bytes
    ciphertext: bytes
    signature: bytes

    @property
    def signed(self) -> bytes:
        return self.aad + self.ciphertext


def seal(header: Header, content: bytes, recipient_kx: bytes,
         signer: Ed25519PrivateKey) -> bytes:
    """Encrypt `content` to `recipient_kx` (X25519 public), sign, and return the file bytes."""
    ephemeral = X25519PrivateKey.generate()
    header = replace(header, enc_key=x25519_public(ephemeral), nonce=os.urandom(12))
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_kx))
    key = _content_key(shared, header.enc_key, recipient_kx, header.kind)
    head = wire.dumps(header.to_wire())
    aad = MAGIC + struct.pack(">I", len(head)) + head
    ciphertext = AESGCM(key).encrypt(header.nonce, content, aad)
    return aad + ciphertext + signer.sign(SIGN_CONTEXT + aad + ciphertext)


def parse(data: bytes) -> Sealed:
    """Split a file into its parts (`BundleDamaged` if it is not a bundle of this format)."""
    if len(data) < len(MAGIC) + 4 + _SIG_BYTES + 16 or not data.startswith(MAGIC):
        raise BundleDamaged()
    (size,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    start = len(MAGIC) + 4
    if not 2 <= size <= MAX_HEADER_BYTES or start + size + 16 + _SIG_BYTES > len(data):
        raise BundleDamaged()
    head = data[start:start + size]
    try:
        parsed = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleDamaged() from None
    header = Header.from_wire(parsed)
    if wire.dumps(parsed) != head:
        raise BundleDamaged()  # only the canonical form: one file, one meaning
    return Sealed(header, data[:start + size], data[start + size:-_SIG_BYTES],
                  data[-_SIG_BYTES:])


def verify(sealed: Sealed, signer_public: bytes) -> None:
    """The signature must be the sender's, over every byte before it."""
    try:
        Ed25519PublicKey.from_public_bytes(signer_public).verify(
            sealed.signature, SIGN_CONTEXT + sealed.signed)
    except (InvalidSignature, ValueError):
        raise BundleDamaged() from None


def check_lifetime(header: Header, now: float) -> None:
    """Expired, or claiming a longer life than any bundle may have → refused."""
    if header.expires_at - header.created_at > MAX_TTL_S or header.expires_at < header.created_at:
        raise BundleDamaged()
    if now > header.expires_at:
        raise BundleExpired()


def open_content(sealed: Sealed, recipient: X25519PrivateKey) -> bytes:
    """Decrypt (after `verify`); a key that does not fit means another recipient."""
    try:
        public = x25519_public(recipient)
        shared = recipient.exchange(X25519PublicKey.from_public_bytes(sealed.header.enc_key))
        key = _content_key(shared, sealed.header.enc_key, public, sealed.header.kind)
        return AESGCM(key).decrypt(sealed.header.nonce, sealed.ciphertext, sealed.aad)
    except (InvalidTag, ValueError):
        raise BundleWrongRecipient() from None


# -- content ------------------------------------------------------------------------------------
def pack_content(message: dict[str, Any], blobs: list[bytes]) -> bytes:
    """The JSON (with each blob's hash and size added) and the blobs after it."""
    message = {**message, "blobs": [{"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
                                    for b in blobs]}
    packed = wire.encode(message, "zstd")
    return struct.pack(">I", len(packed)) + packed + b"".join(blobs)


def unpack_content(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The JSON and the blobs by SHA-256; every size and hash must match exactly."""
    try:
        (size,) = struct.unpack(">I", data[:4])
        message = wire.decode(data[4:4 + size], "zstd")
        listed = message.get("blobs")
        if size > len(data) - 4 or not isinstance(listed, list):
            raise BundleDamaged()
        blobs: dict[str, bytes] = {}
        offset = 4 + size
        for item in listed:
            length, digest = int(item["size"]), str(item["sha256"])
            blob = data[offset:offset + length]
            if length < 0 or len(blob) != length or hashlib.sha256(blob).hexdigest() != digest:
                raise BundleDamaged()
            blobs[digest] = blob
            offset += length
    except (struct.error, wire.WireError, KeyError, TypeError, ValueError):
        raise BundleDamaged() from None
    if offset != len(data):
        raise BundleDamaged()
    return message, blobs
