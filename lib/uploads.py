"""The file types the platform accepts from anyone (a citizen's documents, a card's forms), proved
by the content, never by the name: PDF, JPG and PNG."""

from __future__ import annotations

import filetype

# By extension, the MIME type the content must prove.
KNOWN_TYPES = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
}


def content_type_of(upload, allowed: dict[str, str] = KNOWN_TYPES) -> tuple[str, str] | None:
    """(".ext", MIME type) that the upload's first bytes prove, if it is one of `allowed`."""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed.values():
        return None
    return (".jpg" if kind.mime == "image/jpeg" else f".{kind.extension}"), kind.mime


def type_names(allowed: dict[str, str] = KNOWN_TYPES) -> str:
    """The allowed types as a page names them: «JPG، PDF، PNG»."""
    return "، ".join(sorted({ext.upper() for ext in allowed if ext != "jpeg"}))
