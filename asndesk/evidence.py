"""Evidence files (bukti dukung): read, check, and downscale images before they are stored.

Photos from phones are 3–8 MB; on a 2G link that is minutes each. Images are re-encoded to
at most 1600 px on the long side (JPEG, or PNG when the image has transparency), which
also drops EXIF data such as GPS position.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from asndesk.errors import ValidationError
from asndesk.i18n import N_

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_EDGE = 1600
JPEG_QUALITY = 82
ALLOWED_MIME = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/webp", "text/plain", "text/csv",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "application/msword", "application/vnd.ms-excel"}
)
IMAGE_MIME = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass(frozen=True)
class PreparedFile:
    """A file ready to store: its bytes (maybe downscaled) and what to show about it."""

    nama_file: str
    mime: str
    data: bytes
    ukuran_asli: int
    lebar: int | None = None
    tinggi: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def prepare_file(path: Path, field: str = "bukti") -> PreparedFile:
    """Read `path` and make it storable; bad files raise `ValidationError` naming `field`."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ValidationError(
            field, "not_found", N_("The file {name} cannot be read."), name=path.name
        ) from None
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            field, "too_large", N_("The file {name} is larger than {limit_mb} MB."),
            name=path.name, limit_mb=MAX_FILE_BYTES // (1024 * 1024),
        )
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mime not in ALLOWED_MIME:
        raise ValidationError(
            field, "bad_type",
            N_("Files of type {name} cannot be used as evidence (PDF, images, office documents)."),
            name=path.suffix or path.name,
        )
    data = path.read_bytes()
    if mime in IMAGE_MIME:
        return downscale_image(path.name, data, field)
    return PreparedFile(path.name, mime, data, len(data))


def downscale_image(name: str, data: bytes, field: str = "bukti") -> PreparedFile:
    """Re-encode an image at most `MAX_IMAGE_EDGE` px on its long side, EXIF removed."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            # Keep phone photos upright once the EXIF orientation tag is gone.
            img = ImageOps.exif_transpose(opened)
            img.thumbnail((MAX_IMAGE_EDGE, MAX_IMAGE_EDGE), Image.Resampling.LANCZOS)
            has_alpha = img.mode in ("RGBA", "LA") or "transparency" in img.info
            out = io.BytesIO()
            if has_alpha:
                img.save(out, format="PNG", optimize=True)
                mime, suffix = "image/png", ".png"
            else:
                img.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                mime, suffix = "image/jpeg", ".jpg"
            width, height = img.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(
            field, "bad_image", N_("The image {name} is damaged or not an image."), name=name
        ) from None
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return PreparedFile(stem + suffix, mime, out.getvalue(), len(data), width, height)
