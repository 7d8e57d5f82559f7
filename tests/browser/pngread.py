"""A minimal PNG reader (stdlib only) for screenshot assertions: size and distinct colours."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import attrs

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (palette images are not expected)


@attrs.frozen
class Image:
    """A decoded 8-bit PNG: its size and its rows of raw pixel bytes."""

    width: int
    height: int
    channels: int
    rows: tuple[bytes, ...]

    def distinct_colours(self, *, step: int = 1) -> int:
        """How many different pixel values appear (sampling every ``step``-th pixel of every row)."""
        seen: set[bytes] = set()
        size = self.channels
        for row in self.rows:
            for start in range(0, len(row), size * step):
                seen.add(row[start : start + size])
        return len(seen)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(data: bytes, *, width: int, height: int, bpp: int) -> tuple[bytes, ...]:
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    offset = 0
    for _ in range(height):
        kind = data[offset]
        line = bytearray(data[offset + 1 : offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return tuple(rows)


def read_png(path: Path) -> Image:
    """Decode a non-interlaced 8-bit greyscale/RGB/RGBA PNG file."""
    blob = path.read_bytes()
    if not blob.startswith(_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    offset = len(_SIGNATURE)
    header: tuple[int, ...] = ()
    compressed = bytearray()
    while offset < len(blob):
        (length,) = struct.unpack(">I", blob[offset : offset + 4])
        kind = blob[offset + 4 : offset + 8]
        payload = blob[offset + 8 : offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", payload)
        elif kind == b"IDAT":
            compressed += payload
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or interlace or colour_type not in _CHANNELS:
        raise ValueError(
            f"unsupported PNG layout: depth={depth} colour_type={colour_type} interlace={interlace}"
        )
    channels = _CHANNELS[colour_type]
    rows = _unfilter(zlib.decompress(bytes(compressed)), width=width, height=height, bpp=channels)
    return Image(width=width, height=height, channels=channels, rows=rows)
