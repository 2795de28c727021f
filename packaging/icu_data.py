"""Shrink the ICU data library Qt links to (31 MB → about 6 MB): keep the locale data of root,
English and Indonesian, collation, time zones, normalisation and the 8-bit converters; drop
other locales' names, collation and spelled-out numbers, transliterators, multi-byte (East
Asian) converters and the word-break dictionaries (Qt breaks text with its own code).

ICU reads its data from one symbol (`icudtNN_dat`) in libicudataNN: the blob is an ICU common
data package (a header, a sorted table of contents, 16-byte aligned items). It is rewritten
with fewer items and wrapped back into a library with the same soname and symbol (`as
.incbin` + `ld`, from binutils); libicuuc never notices. Used by build_installer.py.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

KEEP_LOCALES = {"root", "en", "en_US", "en_001", "id", "id_ID"}
PER_LOCALE_TREES = {"coll", "curr", "lang", "region", "zone", "unit", "rbnf"}
UNUSED_ITEMS = {"unames.icu"}  # Unicode character names: Qt never asks for them
_LOCALE_ITEM = re.compile(r"^([a-z]{2,3}(?:_[A-Za-z0-9]*)*)\.res$")
TOOLS = ("as", "ld", "nm", "readelf")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _run(*command: str) -> str:
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def _data_symbol(lib: Path) -> tuple[str, int, int]:
    """(symbol name, file offset, size) of the `icudtNN_dat` blob."""
    for line in _run("nm", "-D", "-S", "--defined-only", str(lib)).splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            address, size, name = int(parts[0], 16), int(parts[1], 16), parts[3]
            break
    else:
        raise ValueError(f"{lib.name} has no icudtNN_dat symbol")
    # Map the address to a file offset through the section that holds it.
    for line in _run("readelf", "-W", "-S", str(lib)).splitlines():
        fields = re.match(r"\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)",
                          line)
        if fields:
            start, offset, length = (int(fields.group(i), 16) for i in (1, 2, 3))
            if start <= address < start + length:
                return name, offset + address - start, size
    raise ValueError(f"{lib.name}: {name} is in no section")


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(item name, item bytes incl. alignment padding)]) of a common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [data for _name, data in entries[1:]] + [len(toc)]
    items = [(toc[name:toc.index(b"\0", name)].decode("ascii"), toc[data:end])
             for (name, data), end in zip(entries, ends, strict=True)]
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The same layout ICU's own tools write: names after the table, items 16-byte aligned."""
    names = b""
    name_offsets = []
    table_size = 4 + 8 * len(items)
    for name, _data in items:  # the table stays sorted: ICU looks names up by bisection
        name_offsets.append(table_size + len(names))
        names += name.encode("ascii") + b"\0"
    position = table_size + len(names)
    padding = -(len(header) + position) % 16
    position += padding
    data_offsets = []
    for _name, data in items:
        data_offsets.append(position)
        position += len(data)  # each item already ends padded to 16 bytes
    table = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True))
    return header + table + names + b"\0" * padding + b"".join(d for _n, d in items)


def _single_byte_converter(data: bytes) -> bool:
    header_size = struct.unpack_from("<H", data, 0)[0]
    # UConverterStaticData: structSize(4) name(60) codepage(4) platform conversionType
    # minBytesPerChar maxBytesPerChar …
    return data[header_size + 4 + 60 + 4 + 3] == 1


def keep_item(name: str, data: bytes) -> bool:
    """Whether an item (e.g. "icudt73l/coll/de.res") stays in the trimmed package."""
    path = name.split("/", 1)[1]
    folder, _sep, leaf = path.rpartition("/")
    locale = _LOCALE_ITEM.match(leaf)
    if path in UNUSED_ITEMS or folder == "translit":
        return False
    if folder == "brkitr":
        return not leaf.endswith(".dict")
    if folder in PER_LOCALE_TREES or folder == "":
        if locale and locale.group(1) not in KEEP_LOCALES:
            return False
        if folder == "" and leaf.endswith(".cnv"):
            return _single_byte_converter(data)
    return True


def shrink(lib: Path) -> int:
    """Replace `lib` (libicudataNN.so) by a smaller one; returns the bytes saved."""
    before = lib.stat().st_size
    symbol, offset, size = _data_symbol(lib)
    with lib.open("rb") as source:
        source.seek(offset)
        header, items = read_package(source.read(size))
    package = write_package(header, [(n, d) for n, d in items if keep_item(n, d)])
    with tempfile.TemporaryDirectory(prefix="icu-") as tmp:
        work = Path(tmp)
        (work / "data.bin").write_bytes(package)
        (work / "data.S").write_text("\n".join([
            "    .section .rodata",
            f"    .globl {symbol}",
            f"    .type {symbol}, @object",
            "    .balign 16",
            f"{symbol}:",
            f'    .incbin "{work / "data.bin"}"',
            f"    .size {symbol}, .-{symbol}",
            '    .section .note.GNU-stack,"",@progbits',
            "",
        ]))
        _run("as", "-o", str(work / "data.o"), str(work / "data.S"))
        _run("ld", "-shared", "-soname", lib.name, "-o", str(work / lib.name),
             str(work / "data.o"))
        shutil.copyfile(work / lib.name, lib)
    return before - lib.stat().st_size
