"""infra/terraform read the way the tests need it, with no Terraform binary and no cluster here:
every file parsed by python-hcl2 (checkov's fork, bc-python-hcl2), and the Kubernetes
workloads the modules declare rendered into manifests (the shape `kubectl get -o yaml` shows)
for an environment's variable file. The renderer evaluates what these modules use —
references to var., local. and module outputs, tostring(), merge(), string templates and
dynamic blocks — and leaves anything else as an `<unresolved …>` marker, which no assertion
accepts, so a module written beyond it fails loudly instead of passing unseen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2

from tests.workers import ROOT

TERRAFORM = ROOT / "infra" / "terraform"
META = {"__start_line__", "__end_line__"}


def load(path: Path) -> dict:
    with open(path) as handle:
        return hcl2.load(handle)


def module_files(folder: Path) -> dict[str, dict]:
    return {path.name: load(path) for path in sorted(folder.glob("*.tf"))}


def module_folders() -> list[Path]:
    return [TERRAFORM, *sorted(p for p in (TERRAFORM / "modules").iterdir() if p.is_dir())]


def blocks(files: dict[str, dict], kind: str) -> dict[str, dict]:
    """{name: body} of every `kind` block (variable, output, module) in a module's files."""
    found = {}
    for parsed in files.values():
        for entry in parsed.get(kind, []):
            for name, body in entry.items():
                found[name] = body
    return found


def resources(files: dict[str, dict]) -> list[tuple[str, str, dict]]:
    found = []
    for parsed in files.values():
        for entry in parsed.get("resource", []):
            for kind, named in entry.items():
                for name, body in named.items():
                    found.append((kind, name, body))
    return found


def tfvars(environment: str) -> dict:
    return {key: one(value) for key, value in load(TERRAFORM / "environments" / f"{environment}.tfvars").items() if key not in META}


def one(value):
    """python-hcl2 wraps every attribute's value in a list of one."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


# --- Expressions ----------------------------------------------------------------------------

UNRESOLVED = "<unresolved"


def _top_level(text: str, token: str) -> int:
    """Where `token` first stands outside quotes and brackets, or -1."""
    depth, quote = 0, False
    for i, char in enumerate(text):
        if char in "\"'":
            quote = not quote
        elif not quote and char in "([{":
            depth += 1
        elif not quote and char in ")]}":
            depth -= 1
        elif not quote and depth == 0 and text.startswith(token, i):
            return i
    return -1


def _split_args(text: str) -> list[str]:
    args, depth, current, quote = [], 0, "", False
    for char in text:
        if char == '"' or char == "'":
            quote = not quote
        if not quote and char in "([{":
            depth += 1
        elif not quote and char in ")]}":
            depth -= 1
        if char == "," and depth == 0 and not quote:
            args.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        args.append(current.strip())
    return args


@dataclass
class Scope:
    variables: dict
    locals_: dict = field(default_factory=dict)
    modules: dict = field(default_factory=dict)  # name -> outputs (evaluated lazily)
    raw_locals: dict = field(default_factory=dict)
    resources: dict = field(default_factory=dict)  # (kind, name) -> body

    def reference(self, path: str):
        head, *rest = path.split(".")
        if head == "var":
            value = self.variables
        elif head == "local":
            name = rest.pop(0)
            if name not in self.locals_:
                self.locals_[name] = self.evaluate(one(self.raw_locals[name]))
            value = self.locals_[name]
            return _walk(value, rest, path)
        elif head == "module":
            value = self.modules
        elif (head, rest[0] if rest else "") in self.resources:  # kind.name.attribute of a resource here
            value = self.evaluate(self.resources[(head, rest.pop(0))])
        else:
            return f"{UNRESOLVED} {path}>"
        return _walk(value, rest, path)

    def expression(self, text: str):
        text = text.strip()
        question = _top_level(text, "?")
        if question > 0:  # condition ? a : b
            colon = question + 1 + _top_level(text[question + 1:], ":")
            chosen = self.expression(text[:question])
            if not isinstance(chosen, bool):
                return f"{UNRESOLVED} {text}>"
            return self.expression(text[question + 1:colon] if chosen else text[colon + 1:])
        for operator in ("==", "!="):
            at = _top_level(text, operator)
            if at > 0:
                left, right = self.expression(text[:at]), self.expression(text[at + 2:])
                return (left == right) if operator == "==" else (left != right)
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return float(text) if "." in text else int(text)
        if text in ("true", "false"):
            return text == "true"
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":  # a string literal, HCL's escapes undone
            return self.evaluate(text[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
        indexed = re.fullmatch(r"(.*\))\[(\d+)\]", text, re.S)
        if indexed:  # a call's result, indexed
            value = self.expression(indexed.group(1))
            return value[int(indexed.group(2))] if isinstance(value, list) else f"{UNRESOLVED} {text}>"
        call = re.fullmatch(r"(\w+)\((.*)\)", text, re.S)
        if call and call.group(1) == "try":
            for arg in _split_args(call.group(2)):
                try:
                    value = self.expression(arg)
                except (IndexError, TypeError):
                    continue
                if not (isinstance(value, str) and value.startswith(UNRESOLVED)):
                    return value
            return f"{UNRESOLVED} {text}>"
        if call:
            name, args = call.group(1), [self.expression(a) for a in _split_args(call.group(2))]
            if name == "tostring":
                value = args[0]
                return value if isinstance(value, str) else (str(value).lower() if isinstance(value, bool) else str(value))
            if name == "merge":
                merged = {}
                for arg in args:
                    if not isinstance(arg, dict):
                        return f"{UNRESOLVED} {text}>"
                    merged.update(arg)
                return merged
            if name == "regex":  # RE2's syntax here is also Python's
                match = re.search(args[0], args[1])
                if match is None:
                    raise IndexError(f"regex {args[0]!r} does not match {args[1]!r}")
                return match.groupdict() if match.re.groupindex else (list(match.groups()) if match.groups() else match.group(0))
            if name == "tonumber":
                return float(args[0]) if "." in str(args[0]) else int(args[0])
            if name == "coalesce":
                return next((a for a in args if a not in (None, "")), None)
            return f"{UNRESOLVED} {text}>"
        if re.fullmatch(r"[A-Za-z_][\w.\-\[\]]*", text):
            return self.reference(text)
        return f"{UNRESOLVED} {text}>"

    def evaluate(self, value):
        if isinstance(value, dict):
            return {key: self.evaluate(item) for key, item in value.items() if key not in META}
        if isinstance(value, list):
            return [self.evaluate(item) for item in value]
        while isinstance(value, str) and "${" in value:
            # The innermost template first: an expression may quote a string with templates in it.
            start = value.rindex("${")
            depth, end = 0, None
            for i in range(start + 1, len(value)):
                depth += {"{": 1, "}": -1}.get(value[i], 0)
                if depth == 0:
                    end = i
                    break
            if end is None:
                return f"{UNRESOLVED} {value}>"
            result = self.expression(value[start + 2:end])
            if start == 0 and end == len(value) - 1:
                return result
            value = value[:start] + str(result) + value[end + 1:]
        return value


def _walk(value, rest: list[str], path: str):
    for part in rest:
        index = re.fullmatch(r"([\w-]+)\[(\d+)\]", part)
        if index:
            part = index.group(1)
        if not isinstance(value, dict) or part not in value:
            return f"{UNRESOLVED} {path}>"
        value = value[part]
        if callable(value):
            value = value()
        if index:
            value = value[int(index.group(2))]
        elif isinstance(value, list) and len(value) == 1:  # an attribute as python-hcl2 wraps it
            value = value[0]
    return value


# --- Modules --------------------------------------------------------------------------------


def variable_values(files: dict[str, dict], given: dict) -> dict:
    values = {}
    for name, body in blocks(files, "variable").items():
        if name in given:
            values[name] = given[name]
        elif "default" in body:
            values[name] = one(body["default"])
    return values


class Module:
    """One module instance: its variables' values, locals, the outputs of the modules it
    calls (root only), and its resources."""

    def __init__(self, folder: Path, given: dict):
        self.folder, self.files = folder, module_files(folder)
        raw_locals = {}
        for parsed in self.files.values():
            for entry in parsed.get("locals", []):
                raw_locals.update({k: v for k, v in entry.items() if k not in META})
        self.scope = Scope(variables=variable_values(self.files, given), raw_locals=raw_locals,
                           resources={(kind, name): body for kind, name, body in resources(self.files)})
        self.children: dict[str, Module] = {}
        for name, body in blocks(self.files, "module").items():
            self.scope.modules[name] = _LazyOutputs(self, name, body)

    def child(self, name: str) -> "Module":
        if name not in self.children:
            body = blocks(self.files, "module")[name]
            given = {key: self.scope.evaluate(one(value)) for key, value in body.items()
                     if key not in META | {"source", "depends_on", "count", "for_each", "providers"}}
            self.children[name] = Module((self.folder / one(body["source"])).resolve(), given)
        return self.children[name]

    def output(self, name: str):
        return self.scope.evaluate(one(blocks(self.files, "output")[name]["value"]))

    def resource(self, kind: str, name: str) -> dict:
        return next(body for k, n, body in resources(self.files) if (k, n) == (kind, name))


class _LazyOutputs(dict):
    """module.<name>.<output>, evaluated when first read."""

    def __init__(self, parent: Module, name: str, body: dict):
        super().__init__()
        self.parent, self.name = parent, name
        for output in blocks(module_files((parent.folder / one(body["source"])).resolve()), "output"):
            self[output] = (lambda o=output: self.parent.child(self.name).output(o))


def root(environment: str, **given) -> Module:
    return Module(TERRAFORM, {**tfvars(environment), **given})


# --- Rendering the workloads as Kubernetes manifests ----------------------------------------

REPEATED = {"container": "containers", "env": "env", "port": "ports", "volume": "volumes", "volume_mount": "volumeMounts",
            "http_header": "httpHeaders", "env_from": "envFrom", "init_container": "initContainers",
            "volume_claim_template": "volumeClaimTemplates", "toleration": "tolerations"}
KINDS = {"kubernetes_deployment_v1": "Deployment", "kubernetes_stateful_set_v1": "StatefulSet", "kubernetes_job_v1": "Job"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _render_block(body: dict, scope: Scope) -> dict:
    rendered: dict = {}
    for key, value in body.items():
        if key in META or key.startswith("#"):
            continue
        if key == "dynamic":
            for entry in value:
                for block_name, spec in entry.items():
                    items = scope.evaluate(one(spec["for_each"]))
                    pairs = items.items() if isinstance(items, dict) else enumerate(items)
                    for item_key, item_value in pairs:
                        content = one(spec["content"])
                        substituted = _substitute_iterator(content, block_name, item_key, item_value)
                        rendered.setdefault(REPEATED.get(block_name, _camel(block_name)), []).append(_render_block(substituted, scope))
            continue
        if key in REPEATED and isinstance(value, list) and value and isinstance(value[0], dict):
            rendered.setdefault(REPEATED[key], []).extend(_render_block(item, scope) for item in value)
            continue
        item = one(value)
        if isinstance(item, dict) and isinstance(value, list):  # a nested block
            rendered[_camel(key)] = _render_block(item, scope)
        else:
            rendered[_camel(key)] = scope.evaluate(item)
    return rendered


def _substitute_iterator(content, name: str, key, value):
    if isinstance(content, dict):
        return {k: _substitute_iterator(v, name, key, value) for k, v in content.items()}
    if isinstance(content, list):
        return [_substitute_iterator(v, name, key, value) for v in content]
    if content == f"${{{name}.key}}":
        return key
    if content == f"${{{name}.value}}":
        return value
    return content


def manifests(environment: str, **given) -> dict[str, dict]:
    """{"Deployment/mizban-web": manifest, …} of every workload the root declares for this
    environment (a resource whose count is 0 there is left out)."""
    top = root(environment, **given)
    found = {}
    for name in blocks(top.files, "module"):
        module = top.child(name)
        for kind, resource_name, body in resources(module.files):
            if kind not in KINDS:
                continue
            if "count" in body and module.scope.evaluate(one(body["count"])) in (0, "0"):
                continue
            rendered = _render_block(body, module.scope)
            manifest = {"kind": KINDS[kind], "metadata": rendered["metadata"], "spec": rendered["spec"], "module": name}
            found[f"{manifest['kind']}/{manifest['metadata']['name']}"] = manifest
    return found
