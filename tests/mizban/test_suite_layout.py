"""The suite's own layout: test modules share helpers only through the shared helper modules
(builders, clients, ...), never by importing each other or a conftest; fixtures live in
conftest.py files; every app of the project has its tests/<app>/ folder."""

import ast
from pathlib import Path

from django.apps import apps

from tests.workers import ROOT

TESTS = ROOT / "tests"
# The modules that test modules may import from, each for one kind of help (see README, Tests).
SHARED_HELPERS = {"builders", "clients", "workers", "kavenegar", "english", "csp", "stripe_events", "registry_exports", "markup", "payment_gateways",
                  "url_walk", "outages", "terraform", "image_layout", "object_storage", "keyboard", "billing_servers", "report_data"}


def _suite_modules() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def _imported_test_modules(path: Path) -> list[str]:
    """What `path` imports from inside tests/ (relative imports count as such too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                found.append("." * node.level + module)
            elif module == "tests":
                found += [f"tests.{alias.name}" for alias in node.names]
            elif module.startswith("tests."):
                found.append(module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name == "tests" or alias.name.startswith("tests.")]
    return found


def test_test_modules_import_only_the_shared_helpers():
    allowed = {f"tests.{name}" for name in SHARED_HELPERS}
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _suite_modules()
        for module in _imported_test_modules(path)
        if module not in allowed
    ]
    assert not wrong, "put what is shared in tests/builders.py or a helper module named for it:\n" + "\n".join(wrong)


def test_the_shared_helpers_hold_no_fixtures():
    with_fixtures = [name for name in sorted(SHARED_HELPERS) if "pytest.fixture" in (TESTS / f"{name}.py").read_text(encoding="utf-8")]
    assert not with_fixtures, f"fixtures belong in a conftest.py: {with_fixtures}"


def test_every_app_has_its_tests_folder():
    ours = [config for config in apps.get_app_configs() if Path(config.path).parent == ROOT]
    assert len(ours) >= 9, [config.name for config in ours]
    missing = [config.label for config in ours if not (TESTS / config.label / "__init__.py").is_file()]
    assert not missing, f"tests/<app>/ is missing for {missing}"
