"""The bundle file format (sync/bundle.py): sealing, and every way a file is refused whole."""

from __future__ import annotations

import hashlib
import json
import struct
import uuid
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync import bundle, wire

NOW = 1_790_000_000


def _header(**changes: object) -> bundle.Header:
    base = bundle.Header(kind="request", bundle_id=str(uuid.uuid4()),
                         device_id=str(uuid.uuid4()), server_id=str(uuid.uuid4()),
                         created_at=NOW, expires_at=NOW + bundle.TTL_S,
                         reply_key=bundle.x25519_public(X25519PrivateKey.generate()))
    return replace(base, **changes)  # type: ignore[arg-type]


class Keys:
    def __init__(self) -> None:
        self.server = X25519PrivateKey.generate()
        self.device = Ed25519PrivateKey.generate()

    def seal(self, content: bytes, header: bundle.Header | None = None) -> bytes:
        return bundle.seal(header or _header(), content, bundle.x25519_public(self.server),
                           self.device)

    def open(self, data: bytes, now: float = NOW) -> bytes:
        sealed = bundle.parse(data)
        bundle.verify(sealed, bundle.ed25519_public(self.device))
        bundle.check_lifetime(sealed.header, now)
        return bundle.open_content(sealed, self.server)


def test_round_trip_with_blobs() -> None:
    keys = Keys()
    blobs = [b"%PDF-1.7 bukti", bytes(range(256)) * 40]
    content = bundle.pack_content({"push": None, "cursors": {"own": None}}, blobs)
    header = _header()
    data = keys.seal(content, header)
    sealed = bundle.parse(data)
    assert sealed.header.bundle_id == header.bundle_id
    assert sealed.header.reply_key == header.reply_key
    message, found = bundle.unpack_content(keys.open(data))
    assert message["cursors"] == {"own": None}
    assert found == {hashlib.sha256(b).hexdigest(): b for b in blobs}
    assert b"bukti" not in data  # the content travels encrypted


def test_every_flipped_byte_is_refused() -> None:
    keys = Keys()
    data = keys.seal(bundle.pack_content({"push": None, "cursors": {"own": None}}, [b"x" * 50]))
    for position in range(len(data)):
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        with pytest.raises(bundle.BundleError):
            keys.open(bytes(tampered))


def test_truncated_or_extended_files_are_refused() -> None:
    keys = Keys()
    data = keys.seal(b"content")
    for broken in (data[:-1], data + b"\x00", data[:40], b"", b"PK\x03\x04" + data[4:]):
        with pytest.raises(bundle.BundleError):
            keys.open(broken)


def test_another_signer_or_recipient_is_refused() -> None:
    keys, other = Keys(), Keys()
    data = keys.seal(b"content")
    with pytest.raises(bundle.BundleDamaged):
        bundle.verify(bundle.parse(data), bundle.ed25519_public(other.device))
    with pytest.raises(bundle.BundleWrongRecipient):
        bundle.open_content(bundle.parse(data), other.server)


def test_expiry_and_lifetime() -> None:
    keys = Keys()
    data = keys.seal(b"content")
    assert keys.open(data, now=NOW + bundle.TTL_S) == b"content"
    with pytest.raises(bundle.BundleExpired):
        keys.open(data, now=NOW + bundle.TTL_S + 1)
    too_long = keys.seal(b"content", _header(expires_at=NOW + bundle.MAX_TTL_S + 1))
    with pytest.raises(bundle.BundleDamaged):
        keys.open(too_long)


def test_only_the_canonical_strict_header_is_read() -> None:
    keys = Keys()
    data = keys.seal(b"content")
    sealed = bundle.parse(data)
    head = json.loads(sealed.aad[len(bundle.MAGIC) + 4:])

    def resigned(text: bytes) -> bytes:
        aad = bundle.MAGIC + struct.pack(">I", len(text)) + text
        return aad + sealed.ciphertext + keys.device.sign(bundle.SIGN_CONTEXT + aad
                                                          + sealed.ciphertext)

    # Even signed by the right key: spaces (a second spelling), an unknown field, a bool time.
    for text in (json.dumps(head, sort_keys=True).encode(),
                 wire.dumps({**head, "extra": 1}), wire.dumps({**head, "created_at": True}),
                 wire.dumps({**head, "format": 2}), wire.dumps({**head, "kind": "other"})):
        with pytest.raises(bundle.BundleDamaged):
            bundle.parse(resigned(text))
    assert bundle.parse(resigned(wire.dumps(head))).header == sealed.header


def test_content_sizes_and_hashes_must_match() -> None:
    content = bundle.pack_content({"push": None}, [b"abc", b"defg"])
    assert bundle.unpack_content(content)[1][hashlib.sha256(b"abc").hexdigest()] == b"abc"
    for broken in (content + b"!", content[:-1], content[:-4] + b"DEFG", b"\x00\x00"):
        with pytest.raises(bundle.BundleDamaged):
            bundle.unpack_content(broken)
