"""The image files an import line names: read from one folder, and only images an
editor could upload.

A ``hero_image`` is a path relative to the media root: ``PRISM_NEWS["IMPORT_MEDIA_ROOT"]``
when set, else the import file's folder; reading standard input, only the setting (no
folder is implied). The path is resolved with its symlinks and must stay inside the root;
the file must be a regular file. Its content then goes through Wagtail's own upload field
(``WagtailImageField``: ``WAGTAILIMAGES_EXTENSIONS``, the extension agreeing with the
format found in the content, ``WAGTAILIMAGES_MAX_UPLOAD_SIZE`` and
``WAGTAILIMAGES_MAX_IMAGE_PIXELS``), and SVG is refused whatever those settings allow: an
SVG is a document that can carry scripts.
"""

import os
import stat
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField

from .conf import get_settings
from .import_values import LineError, shown

#: Formats Wagtail reads that are not raster images.
NOT_RASTER = {"svg"}


def media_root(import_dir):
    """The folder image paths are relative to, or None: no image may be read."""
    configured = get_settings()["IMPORT_MEDIA_ROOT"]
    if configured:
        return Path(configured)
    return Path(import_dir) if import_dir is not None else None


def resolve(root, name, field="hero_image"):
    """The file ``name`` within ``root``, symlinks resolved; a :class:`LineError` for a
    path that is absolute, leaves the root, or is not a regular file."""
    if root is None:
        raise LineError(
            field,
            "images cannot be read when the lines come from standard input unless "
            "PRISM_NEWS['IMPORT_MEDIA_ROOT'] is set",
        )
    if not name.strip() or Path(name).is_absolute():
        raise LineError(field, "expected a path relative to the folder of the import file")
    try:
        root = root.resolve(strict=True)
        path = (root / name).resolve(strict=True)
    except FileNotFoundError:
        raise LineError(field, f"no such file: {shown(name)}") from None
    except (OSError, RuntimeError, ValueError):  # a loop of symlinks, a name too long
        raise LineError(field, f"cannot be read: {shown(name)}") from None
    if not path.is_relative_to(root):
        raise LineError(field, f"outside the folder images are read from: {shown(name)}")
    try:
        is_file = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        is_file = False
    if not is_file:
        raise LineError(field, f"not a regular file: {shown(name)}")
    return path


def max_upload_size():
    return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


def read(path, field="hero_image"):
    """The bytes of the regular file ``path`` (no symlink swapped in since it was
    resolved), at most the largest upload size plus one byte."""
    limit = max_upload_size()
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise LineError(field, "not a regular file")
            return handle.read() if limit is None else handle.read(limit + 1)
    except OSError as error:
        raise LineError(field, f"cannot be read: {error.strerror or 'error'}") from None


def checked_image(path, field="hero_image"):
    """An uploaded file of ``path``'s content that Wagtail's upload form accepts, with
    ``.image`` (willow) set; a :class:`LineError` naming the reason otherwise."""
    if path.suffix.lower().lstrip(".") in NOT_RASTER:
        raise LineError(field, "SVG images are not imported (an SVG can carry scripts)")
    upload = SimpleUploadedFile(path.name, read(path, field))
    try:
        with warnings.catch_warnings():
            # Wagtail reports Pillow's decompression-bomb warning as "too many pixels"
            # when it is an exception; printed as a warning, it would pass.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            checked = WagtailImageField().clean(upload)
    except ValidationError as error:
        raise LineError(field, " ".join(error.messages)) from None
    if checked.image.format_name in NOT_RASTER:
        raise LineError(field, "SVG images are not imported (an SVG can carry scripts)")
    checked.seek(0)
    return checked
