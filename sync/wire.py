"""Bodies on the wire: compact JSON, compressed with zstd (preferred) or gzip, with hard limits.

Both ends use these functions, so a body one side writes is exactly what the other reads.
Decompression is bounded (a small body cannot expand into gigabytes), and text holding NUL
is refused at the edge (PostgreSQL cannot store it; security.md S-25).
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from typing import Any

import zstandard

MEDIA_TYPE = "application/vnd.asndesk.sync+json"
ENCODINGS = ("zstd", "gzip", "identity")
MAX_WIRE_BYTES = 8 * 1024 * 1024
MAX_DECODED_BYTES = 32 * 1024 * 1024
ZSTD_LEVEL = 9  # ~the best ratio per CPU second for JSON of a few hundred kB


class WireError(ValueError):
    """A body that cannot be read: bad encoding, too large, not JSON, or NUL in text.

    `code` is stable and language-neutral; the message never echoes the body.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        super().__init__(f"{code}: {detail}" if detail else code)


def choose_encoding(accept_encoding: str | None) -> str:
    """The best encoding both sides know, from an Accept-Encoding header (zstd > gzip)."""
    offered = {
        part.split(";", 1)[0].strip().lower()
        for part in (accept_encoding or "").split(",")
        if not part.strip().endswith(";q=0")
    }
    for encoding in ENCODINGS[:-1]:
        if encoding in offered:
            return encoding
    return "identity"


def dumps(obj: Any) -> bytes:
    """Canonical compact JSON (sorted keys, UTF-8): equal objects give equal bytes."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def encode(obj: Any, encoding: str = "zstd") -> bytes:
    """`obj` as a body in `encoding`; refuses NUL in any string and oversize results."""
    check_no_nul(obj)
    raw = dumps(obj)
    if len(raw) > MAX_DECODED_BYTES:
        raise WireError("too_large", f"{len(raw)} bytes of JSON")
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(raw)
    if encoding == "gzip":
        return gzip.compress(raw, compresslevel=6, mtime=0)
    if encoding == "identity":
        return raw
    raise WireError("bad_encoding", encoding)


def decode(body: bytes, encoding: str | None) -> dict[str, Any]:
    """Parse a body (always a JSON object) sent with Content-Encoding `encoding`."""
    encoding = (encoding or "identity").strip().lower()
    if len(body) > MAX_WIRE_BYTES:
        raise WireError("too_large", f"{len(body)} bytes on the wire")
    raw = _decompress(body, encoding)
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WireError("bad_json") from None
    if not isinstance(obj, dict):
        raise WireError("not_an_object")
    check_no_nul(obj)
    return obj


def _decompress(body: bytes, encoding: str) -> bytes:
    limit = MAX_DECODED_BYTES + 1
    try:
        if encoding == "identity":
            raw = body
        elif encoding == "zstd":
            raw = _unzstd(body, limit)
        elif encoding == "gzip":
            inflater = zlib.decompressobj(wbits=31)
            raw = inflater.decompress(body, limit)
            if not inflater.eof and len(raw) < limit:
                raise WireError("truncated")
        else:
            raise WireError("bad_encoding", encoding)
    except (zstandard.ZstdError, zlib.error):
        raise WireError("bad_compression") from None
    if len(raw) >= limit:
        raise WireError("too_large", "decoded body over the limit")
    return raw


def _unzstd(body: bytes, limit: int) -> bytes:
    # Stream in chunks so the limit holds whatever a frame header claims, and read across
    # frames so nothing appended after the first frame is silently dropped. A truncated
    # frame yields a prefix of the JSON, which then fails to parse: bodies are JSON objects,
    # and no proper prefix of a JSON object is valid JSON.
    chunks, total = [], 0
    dctx = zstandard.ZstdDecompressor()
    with dctx.stream_reader(io.BytesIO(body), read_across_frames=True) as reader:
        while total < limit:
            chunk = reader.read(64 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)


def check_no_nul(obj: Any, _depth: int = 0) -> None:
    """Refuse NUL characters anywhere in keys or string values (and absurd nesting)."""
    if _depth > 64:
        raise WireError("too_deep")
    if isinstance(obj, str):
        if "\x00" in obj:
            raise WireError("nul_in_text")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            check_no_nul(key, _depth + 1)
            check_no_nul(value, _depth + 1)
    elif isinstance(obj, list | tuple):
        for value in obj:
            check_no_nul(value, _depth + 1)
