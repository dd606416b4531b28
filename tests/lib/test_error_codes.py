"""Every validation error the project raises carries a code (issue 12, item 8): an API client acts
on `invalid_national_code`, never on the Persian message. Read from the source with `ast`, so a
new `ValidationError` without a code fails here before any page shows it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_OURS = {".venv", ".data", ".git", "tests", "migrations", "node_modules", "static", "templates"}
MESSAGE_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "format_lazy"}


def _project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        if not NOT_OURS & set(path.relative_to(ROOT).parts):
            yield path


def _called(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else None


def _is_message(node: ast.AST) -> bool:
    """Text as written: a string, an f-string, a gettext call, or one of them %-formatted."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_message(node.left)
    return isinstance(node, ast.Call) and _called(node) in MESSAGE_CALLS


def _messages_inside(node: ast.AST) -> bool:
    """A dict or list of messages: Django drops `code=` for these, so each must be its own error."""
    if isinstance(node, ast.Dict):
        return any(_is_message(v) or _messages_inside(v) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_message(e) or _messages_inside(e) for e in node.elts)
    return False


def _is_drf(node: ast.Call) -> bool:
    # DRF applies `code=` to every message of a dict or list; Django does not.
    return isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) in ("serializers", "exceptions")


def _uncoded(tree: ast.AST) -> list[ast.Call]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        coded = any(keyword.arg == "code" for keyword in node.keywords)
        if _called(node) in ("ValidationError", "DjangoValidationError") and node.args:
            message = node.args[0]
            if (_is_message(message) and not coded) or (_messages_inside(message) and not (coded and _is_drf(node))):
                found.append(node)
        elif _called(node) == "add_error" and len(node.args) == 2 and _is_message(node.args[1]):
            found.append(node)
    return found


def test_every_validation_error_has_a_code():
    uncoded = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}"
        for path in _project_modules() for node in _uncoded(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert uncoded == [], "ValidationError without code= (see <app>/error_codes.py):\n" + "\n".join(uncoded)


def test_the_check_sees_what_it_must():
    def offenders(source: str) -> int:
        return len(_uncoded(ast.parse(source)))

    assert offenders('raise ValidationError(_("x"))') == 1
    assert offenders('raise forms.ValidationError(_("%(n)s") % {"n": 1})') == 1
    assert offenders('raise ValidationError(f"{a}")') == 1
    assert offenders('raise ValidationError({"unit": _("x")}, code="c")') == 1  # Django drops it
    assert offenders('raise ValidationError(["x", "y"])') == 1
    assert offenders('form.add_error("f", _("x"))') == 1
    assert offenders('raise ValidationError(_("x"), code=error_codes.X)') == 0
    assert offenders('raise serializers.ValidationError({"unit": [_("x")]}, code="c")') == 0
    assert offenders('raise ValidationError({"unit": ValidationError(_("x"), code="c")})') == 0
    assert offenders("raise ValidationError(errors)") == 0  # passed on: its parts are checked where made
    assert offenders("form.add_error(None, error)") == 0
