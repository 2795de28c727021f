"""Identifiers and clocks: UUIDv7 ids and a hybrid logical clock (HLC) for ops.

Order and idempotency in sync come from ids and sequence numbers, never from wall clocks;
the HLC only helps people read a timeline when device clocks are wrong.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime


def uuid7(now_ms: int | None = None) -> str:
    """A time-ordered UUID (RFC 9562 version 7) as text; sorts by creation time."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


@dataclass(frozen=True)
class Hlc:
    """Hybrid logical clock reading: wall milliseconds, a counter, and the device id."""

    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Hlc:
        wall, counter, device = text.split("-", 2)
        return cls(int(wall), int(counter), device)

    def tick(self, now_ms: int) -> Hlc:
        """The next reading: never goes backwards even if the wall clock does."""
        if now_ms > self.wall_ms:
            return Hlc(now_ms, 0, self.device)
        return Hlc(self.wall_ms, self.counter + 1, self.device)


def local_now() -> datetime:
    """The device's wall time with its UTC offset (what the person saw on their clock)."""
    return datetime.now().astimezone()
