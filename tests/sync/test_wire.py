"""Wire codec: round trips, negotiation, size limits, truncation and NUL at the edge."""

from __future__ import annotations

import gzip

import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from sync import wire

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.text(alphabet=st.characters(blacklist_characters="\x00",
                                       blacklist_categories=("Cs",)), max_size=10),
        inner, max_size=5),
    max_leaves=30,
)


@given(st.dictionaries(st.text(max_size=8).filter(lambda k: "\x00" not in k), json_values,
                       max_size=6),
       st.sampled_from(wire.ENCODINGS))
def test_round_trip(obj: dict, encoding: str) -> None:
    assert wire.decode(wire.encode(obj, encoding), encoding) == obj


def test_canonical_bytes_do_not_depend_on_key_order() -> None:
    assert wire.dumps({"b": 1, "a": [1, 2]}) == wire.dumps({"a": [1, 2], "b": 1})


def test_compression_pays_on_realistic_ops() -> None:
    ops = {"ops": [{"seq": n, "kind": "create", "entity_kind": "service_log",
                    "payload": {"status": "selesai", "hasil": "Dokumen diterbitkan",
                                "diterima_pada": f"2026-11-{n % 28 + 1:02d}T09:00+07:00"}}
                   for n in range(1000)]}
    raw = len(wire.encode(ops, "identity"))
    assert len(wire.encode(ops, "zstd")) < 0.2 * raw
    assert len(wire.encode(ops, "gzip")) < 0.3 * raw


@pytest.mark.parametrize(("header", "expected"), [
    ("zstd, gzip", "zstd"), ("gzip, deflate, br", "gzip"), ("gzip;q=0, zstd", "zstd"),
    ("zstd;q=0, gzip", "gzip"), ("", "identity"), (None, "identity"), ("br", "identity"),
])
def test_encoding_negotiation(header: str | None, expected: str) -> None:
    assert wire.choose_encoding(header) == expected


def test_decompression_bombs_are_refused() -> None:
    body = b'{"a":"' + b"0" * (wire.MAX_DECODED_BYTES + 10) + b'"}'
    for encoding, packed in (("zstd", zstandard.ZstdCompressor().compress(body)),
                             ("gzip", gzip.compress(body))):
        assert len(packed) < 100_000
        with pytest.raises(wire.WireError) as err:
            wire.decode(packed, encoding)
        assert err.value.code == "too_large"


@pytest.mark.parametrize("encoding", ["zstd", "gzip", "identity"])
def test_truncated_bodies_never_parse(encoding: str) -> None:
    body = wire.encode({"ops": [{"n": n, "text": "kegiatan"} for n in range(300)]}, encoding)
    for cut in (1, len(body) // 3, len(body) // 2, len(body) - 1):
        with pytest.raises(wire.WireError):
            wire.decode(body[:cut], encoding)


def test_a_second_frame_is_not_silently_dropped() -> None:
    body = wire.encode({"a": 1}) + wire.encode({"b": 2})
    with pytest.raises(wire.WireError):
        wire.decode(body, "zstd")


@pytest.mark.parametrize("obj", [{"a": "x\x00"}, {"a\x00": 1}, {"a": [{"b": ["\x00"]}]}])
def test_nul_is_refused_both_ways(obj: dict) -> None:
    with pytest.raises(wire.WireError) as err:
        wire.encode(obj)
    assert err.value.code == "nul_in_text"
    with pytest.raises(wire.WireError):
        wire.decode(wire.dumps(obj), "identity")


@pytest.mark.parametrize(("body", "code"), [
    (b"<html><body>Login WiFi</body></html>", "bad_json"),  # a captive portal's page
    (b"[1, 2]", "not_an_object"),
    (b"\xff\xfe", "bad_json"),
])
def test_non_protocol_bodies(body: bytes, code: str) -> None:
    with pytest.raises(wire.WireError) as err:
        wire.decode(body, None)
    assert err.value.code == code


def test_unknown_encoding_and_oversized_wire_body() -> None:
    with pytest.raises(wire.WireError):
        wire.decode(b"{}", "br")
    with pytest.raises(wire.WireError) as err:
        wire.decode(b" " * (wire.MAX_WIRE_BYTES + 1), None)
    assert err.value.code == "too_large"
