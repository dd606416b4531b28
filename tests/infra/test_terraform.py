"""infra/terraform, where no cloud and no Terraform binary are reachable: every file parses
(python-hcl2), every variable is typed and described, modules are called with exactly the
variables they declare, each environment's file sets only declared variables and all the
required ones but the two a release gives, no secret value is an input, and checkov finds no
failed check in either environment (each skip carries its reason beside it)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform import META, TERRAFORM, blocks, load, module_files, module_folders, one, resources, tfvars

ENVIRONMENTS = ["staging", "production"]
GIVEN_AT_RELEASE = {"image", "release"}  # `terraform apply -var image=… -var release=…` (infra/README.md)


def test_every_file_parses():
    files = sorted(TERRAFORM.rglob("*.tf")) + sorted(TERRAFORM.rglob("*.tfvars"))
    assert len(files) >= 12
    for path in files:
        assert isinstance(load(path), dict), path


@pytest.mark.parametrize("folder", module_folders(), ids=lambda p: p.name)
def test_every_variable_is_typed_and_described_and_every_output_described(folder):
    files = module_files(folder)
    variables = blocks(files, "variable")
    assert variables, folder
    for name, body in variables.items():
        assert "type" in body, f"{folder.name}: variable {name} has no type"
        assert len(one(body.get("description", [""]))) >= 10, f"{folder.name}: variable {name} has no description"
    for name, body in blocks(files, "output").items():
        assert len(one(body.get("description", [""]))) >= 5, f"{folder.name}: output {name} has no description"


def test_modules_are_called_with_exactly_their_variables():
    root = module_files(TERRAFORM)
    for name, call in blocks(root, "module").items():
        folder = (TERRAFORM / one(call["source"])).resolve()
        declared = blocks(module_files(folder), "variable")
        given = set(call) - META - {"source", "depends_on", "count", "for_each", "providers"}
        assert given <= set(declared), f"module {name}: unknown {given - set(declared)}"
        required = {v for v, body in declared.items() if "default" not in body}
        assert required <= given, f"module {name}: missing {required - given}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_environment_files_set_declared_variables_and_every_required_one(environment):
    declared = blocks(module_files(TERRAFORM), "variable")
    values = tfvars(environment)
    assert set(values) <= set(declared), set(values) - set(declared)
    required = {name for name, body in declared.items() if "default" not in body}
    assert required - set(values) == GIVEN_AT_RELEASE
    assert values["environment"] == environment
    # The validations' rules, checked here as Terraform would at plan time.
    assert values["database_mode"] in ("external", "cloudnative-pg")
    if values["database_mode"] == "external":
        assert re.fullmatch(r"postgres(ql)?://[^:@/]+(:[0-9]+)?/[A-Za-z0-9_]+(\?.*)?", values["external_database_url"])
    for image in (values["redis_image"], values["pgbouncer"]["image"]):
        assert re.search(r"(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$", image) and not image.endswith(":latest")


def test_no_secret_is_a_terraform_input_and_secrets_come_from_the_store():
    """Every secret the issue names reaches the pods through an ExternalSecret that reads the
    cluster's store; no variable, default or tfvars value holds one."""
    secret_keys_type = one(blocks(module_files(TERRAFORM), "variable")["secret_keys"]["type"])
    for key in ("django_secret_key", "stripe_secret_key", "stripe_webhook_secret", "kavenegar_api_key", "sentry_dsn",
                "database_password", "redis_password", "s3_secret_key"):
        assert f"'{key}': '${{string}}'" in secret_keys_type, key  # the key's name in the store, a string
    for environment in ENVIRONMENTS:
        for key, value in tfvars(environment)["secret_keys"].items():
            assert re.fullmatch(r"mizban/" + environment + r"/[a-z-]+#[a-z_]+", value), (key, value)
    secrets = module_files(TERRAFORM / "modules" / "secrets")
    externals = [body for kind, name, body in resources(secrets) if kind == "kubernetes_manifest"]
    kinds = {one(b["manifest"])["kind"] for b in externals}
    assert kinds == {"ExternalSecret"}
    for body in externals:
        assert one(body["manifest"])["spec"]["secretStoreRef"] == "${local.store_ref}"  # the store the root names
    text = "\n".join(p.read_text() for p in TERRAFORM.rglob("*.tf*"))
    assert "sensitive" not in text  # nothing secret passes through, so nothing needs hiding in the state
    for line in text.splitlines():
        # Beside a secret-like name stands a key of the store, a Secret's name or key, or a reference.
        found = re.search(r"(?i)(password|secret|token|dsn|key)\s*=\s*\"([^\"]*)\"", line)
        assert not found or found.group(2).startswith(("mizban/", "${", "mizban-")) or \
            re.fullmatch(r"[A-Z_]+|username|password|tsig-secret|", found.group(2)), line


def test_the_web_pods_roll_only_after_the_migration_job():
    workloads = module_files(TERRAFORM / "modules" / "app")
    found = {(kind, name): body for kind, name, body in resources(workloads)}
    job = found[("kubernetes_job_v1", "migrate")]
    assert one(job["wait_for_completion"]) is True
    for name in ("web", "worker", "beat"):
        assert one(found[("kubernetes_deployment_v1", name)]["depends_on"]) == ["${kubernetes_job_v1.migrate}"], name


def _checkov(environment: str) -> dict:
    checkov = Path(sys.executable).parent / "checkov"
    completed = subprocess.run(
        [str(checkov), "-d", str(TERRAFORM), "--framework", "terraform", "--var-file", str(TERRAFORM / "environments" / f"{environment}.tfvars"),
         "--output", "json", "--skip-download", "--compact"],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(completed.stdout)
    return report if isinstance(report, dict) else report[0]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_checkov_finds_no_failed_check_and_every_skip_is_justified(environment):
    report = _checkov(environment)
    summary = report["summary"]
    failed = [(c["check_id"], c["resource"], c["file_path"]) for c in report["results"]["failed_checks"]]
    assert summary["failed"] == 0, failed
    assert summary["passed"] >= 90 and summary["parsing_errors"] == 0
    for skipped in report["results"]["skipped_checks"]:
        reason = skipped["check_result"].get("suppress_comment", "")
        assert len(reason) >= 40, (skipped["check_id"], skipped["resource"], reason)
