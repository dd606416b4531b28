"""The layers of the README hold: `lint-imports` checks `.importlinter`'s contracts (apps import
downwards only; no app imports the wiring in mizban/), so an import that points the wrong way
fails the suite, not only `make test`'s first step."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

from tests.workers import ROOT


def test_imports_keep_the_layers():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_app_has_its_layer():
    """A new app (a package with apps.py) joins the contracts, or it could import anything."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layered = set(config["importlinter:contract:layers"]["layers"].replace("|", " ").split())
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= layered, f"not in .importlinter's layers: {sorted(apps - layered)}"
    assert layered | {"mizban"} == set(config["importlinter"]["root_packages"].split())
