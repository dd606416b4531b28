"""The browser tests drive a system Chromium; make sure one is there before `make test`.

Order: CHROMIUM_PATH, /usr/bin/chromium (Debian's package), then Debian's package installed
with apt-get when we are root, then Playwright's own Chromium as the last resort.
"""

import os
import shutil
import subprocess
import sys

CANDIDATES = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]


def found() -> str | None:
    return next((path for path in CANDIDATES if path and os.access(path, os.X_OK)), None)


if found():
    sys.exit(0)
if os.geteuid() == 0 and shutil.which("apt-get"):
    print("Installing Debian's chromium for the browser tests…")
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False)
    if found():
        sys.exit(0)
print("No system Chromium; installing Playwright's Chromium instead.")
sys.exit(subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"]).returncode)
