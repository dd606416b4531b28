"""Compile the project's gettext catalogue (`locale/fa/LC_MESSAGES/django.po`) in Python.

The catalogue only restates, in the site's formal Persian, strings of Django and allauth whose
own Persian is missing or informal (LOCALE_PATHS wins over the apps' catalogues). A fresh
machine has no GNU `msgfmt`, so the .mo is committed and made by this module:

    python -m mizban.catalogue        # rewrites locale/fa/LC_MESSAGES/django.mo

`tests/mizban/test_catalogue.py` fails when the committed .mo is not what the .po compiles to.
Handles what the file uses: comments, msgctxt, msgid, msgid_plural, msgstr[n], continued lines.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "fa" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> dict[str, str]:
    """{key: value} as a .mo stores them: plural forms joined by NUL, a context by EOT."""
    entries: dict[str, str] = {}
    fields: dict[str, str] = {}
    current = None

    def flush():
        if "msgid" in fields:
            key = fields["msgid"]
            if "msgid_plural" in fields:
                key += "\0" + fields["msgid_plural"]
                forms = sorted((k for k in fields if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
                value = "\0".join(fields[k] for k in forms)
            else:
                value = fields.get("msgstr", "")
            if "msgctxt" in fields:
                key = fields["msgctxt"] + "\x04" + key
            if value:
                entries[key] = value
        fields.clear()

    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
                current = None
            continue
        if line.startswith('"'):
            fields[current] += ast.literal_eval(line)
            continue
        name, _, rest = line.partition(" ")
        if name == "msgctxt" or (name == "msgid" and "msgid" in fields):
            flush()
        current = name
        fields[name] = ast.literal_eval(rest)
    return entries


def compile_po(text: str) -> bytes:
    """The GNU .mo bytes for a .po text (no hash table, keys sorted: what msgfmt -o makes)."""
    entries = sorted((k.encode(), v.encode()) for k, v in _entries(text).items())
    count = len(entries)
    keys_start = 7 * 4
    values_start = keys_start + count * 8
    data_start = values_start + count * 8
    keys_table, values_table, data = [], [], b""
    for key, _ in entries:
        keys_table += [len(key), data_start + len(data)]
        data += key + b"\0"
    for _, value in entries:
        values_table += [len(value), data_start + len(data)]
        data += value + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, keys_start, values_start, 0, data_start)
    return header + struct.pack(f"<{len(keys_table)}I", *keys_table) + struct.pack(f"<{len(values_table)}I", *values_table) + data


def main() -> None:
    mo = PO.with_suffix(".mo")
    mo.write_bytes(compile_po(PO.read_text(encoding="utf-8")))
    sys.stdout.write(f"wrote {mo}\n")


if __name__ == "__main__":
    main()
