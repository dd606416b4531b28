"""The image's runtime stage laid out on this machine, where no container runtime runs: what
the Dockerfile's build stage makes, made the same way.

- a virtualenv with requirements.lock alone (the image's /opt/venv), made from the system's
  Python 3.11 (readable by every user, as the image's is) and kept between runs under the
  system's temporary folder, keyed by the lock's hash;
- the build context as .dockerignore leaves it (the image's /app), owned by root and not
  writable by the user the processes run as;
- infra/docker/build-assets.sh run in it (the compiled catalogue, collectstatic, bytecode).

The processes then start from infra/docker/entrypoint.sh as an unprivileged user (`nobody`
when the tests run as root), so a write into /app or the venv fails as it would on the
image's read-only root filesystem."""

from __future__ import annotations

import fcntl
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.workers import ROOT

SYSTEM_PYTHON = "/usr/bin/python3.11"


def dockerignore_patterns() -> list[tuple[bool, str]]:
    """(excluded?, pattern) in order: the last pattern that matches a path decides."""
    patterns = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        patterns.append((not negated, line.lstrip("!").rstrip("/")))
    return patterns


def _regex(pattern: str) -> re.Pattern:
    """Docker's pattern syntax (Go's filepath.Match plus `**`): `*` and `?` stop at a slash."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def ignored(relative: str, patterns: list[tuple[bool, str]]) -> bool:
    """Whether Docker leaves `relative` out of the context: the last pattern matching the path
    or one of its parent folders decides."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    decision = False
    for excluded, pattern in patterns:
        if any(_regex(pattern).fullmatch(candidate) for candidate in candidates):
            decision = excluded
    return decision


def build_context(target: Path) -> list[str]:
    """Copy what `COPY . /app` would copy (the committed and untracked files git knows of, less
    .dockerignore's) into `target`; the relative paths copied."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    patterns, copied = dockerignore_patterns(), []
    for relative in listed:
        source = ROOT / relative
        if not source.is_file() or ignored(relative, patterns):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied.append(relative)
    return copied


def runtime_venv() -> Path:
    """/opt/venv: requirements.lock installed into a virtualenv of the system's Python 3.11,
    made once per version of the lock (the pip of the test's own environment installs it)."""
    lock = (ROOT / "requirements.lock").read_bytes()
    folder = Path(tempfile.gettempdir()) / f"mizban-image-venv-{hashlib.sha256(lock).hexdigest()[:16]}"
    with open(f"{folder}.lock", "w") as guard:  # another test run making the same one meanwhile waits
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not (folder / ".complete").exists():
            _venv_make(folder)
    return folder


def _venv_make(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=300)
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(folder / "bin" / "python"), "install", "--quiet", "--no-compile",
         "--disable-pip-version-check", "-r", str(ROOT / "requirements.lock")],
        capture_output=True, text=True, timeout=1500,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    (folder / ".complete").touch()


def unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) to run the processes as: `nobody` when the tests run as root, else None (the
    tests' own user, already unprivileged)."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def read_only(path: Path, *, writable: bool = False) -> None:
    """The layout as the image has it: readable by all, writable by nobody but root (whom the
    processes never run as); `writable` gives the owner back its write bit, to remove it."""
    extra = 0o200 if writable else 0
    for folder in [path, *(p for p in path.rglob("*") if p.is_dir())]:
        folder.chmod(0o555 | extra)
    for file in (p for p in path.rglob("*") if p.is_file()):
        file.chmod((0o555 if os.access(file, os.X_OK) else 0o444) | extra)
