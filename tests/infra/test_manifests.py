"""The Kubernetes workloads the modules declare, rendered for each environment (tests/terraform.py)
and checked as a reviewer of the cluster would: one image by digest for every
Mizban process, each with its command; probes (liveness /healthz, readiness /readyz with the
platform's host); resources; and every container non-root, on a read-only root filesystem,
without privilege escalation or capabilities."""

from __future__ import annotations

import json
import re

import pytest

from tests.terraform import TERRAFORM, UNRESOLVED, manifests, root, tfvars

IMAGE = "registry.mizban.ir/mizban@sha256:" + "5" * 64
ENVIRONMENTS = ["staging", "production"]


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def rendered(request):
    return request.param, manifests(request.param, image=IMAGE, release="2026-12-01-a1b2c3d")


def _pod(manifest: dict) -> dict:
    return manifest["spec"]["template"]["spec"]


def _container(manifest: dict) -> dict:
    [container] = _pod(manifest)["containers"]
    return container


def test_the_workloads_and_nothing_left_unrendered(rendered):
    environment, found = rendered
    assert set(found) == {
        "Deployment/mizban-web", "Deployment/mizban-worker", "Deployment/mizban-beat", "Job/mizban-migrate-2026-12-01-a1b2c3d",
        "Deployment/mizban-pgbouncer", "StatefulSet/mizban-redis",
    }
    assert UNRESOLVED not in json.dumps(found)
    for manifest in found.values():
        assert manifest["metadata"]["namespace"] == f"mizban-{environment}"


def test_one_image_for_every_mizban_process_each_with_its_command(rendered):
    _, found = rendered
    commands = {name: (_container(m)["image"], _container(m)["args"]) for name, m in found.items() if m["module"] == "app"}
    assert commands == {
        "Deployment/mizban-web": (IMAGE, ["web"]),
        "Deployment/mizban-worker": (IMAGE, ["worker"]),
        "Deployment/mizban-beat": (IMAGE, ["beat"]),
        "Job/mizban-migrate-2026-12-01-a1b2c3d": (IMAGE, ["migrate"]),
    }
    # The arguments are the entry point's (infra/docker/entrypoint.sh), which the image runs.
    entrypoint = (TERRAFORM.parent / "docker" / "entrypoint.sh").read_text()
    for _, (image, [command]) in commands.items():
        assert f"  {command})" in entrypoint
    assert found["Deployment/mizban-beat"]["spec"]["replicas"] == 1
    assert found["Deployment/mizban-beat"]["spec"]["strategy"] == {"type": "Recreate"}  # never two beats
    assert _pod(found["Job/mizban-migrate-2026-12-01-a1b2c3d"])["restartPolicy"] == "Never"


def test_probes_liveness_is_healthz_readiness_is_readyz_on_the_platform_host(rendered):
    environment, found = rendered
    web = _container(found["Deployment/mizban-web"])
    host = tfvars(environment)["platform_domain"]
    expected_headers = [{"name": "Host", "value": host}, {"name": "X-Forwarded-Proto", "value": "https"}]
    for probe, path in (("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        assert web[probe]["httpGet"] == {"path": path, "port": 8000, "httpHeaders": expected_headers}, probe
    assert web["ports"] == [{"name": "http", "containerPort": 8000}]
    assert found["Deployment/mizban-web"]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == "0"
    for name in ("Deployment/mizban-worker", "Deployment/mizban-beat", "Deployment/mizban-pgbouncer", "StatefulSet/mizban-redis"):
        container = _container(found[name])
        assert "livenessProbe" in container and "readinessProbe" in container, name
    assert "inspect ping" in _container(found["Deployment/mizban-worker"])["livenessProbe"]["exec"]["command"][-1]


def test_resources_requested_and_limited_as_the_environment_says(rendered):
    environment, found = rendered
    values = tfvars(environment)
    for name, manifest in found.items():
        resources = _container(manifest)["resources"]
        assert set(resources) == {"requests", "limits"} and set(resources["limits"]) == {"cpu", "memory"}, name
    web = _container(found["Deployment/mizban-web"])["resources"]
    assert web == {"requests": {"cpu": values["web"]["cpu_request"], "memory": values["web"]["memory_request"]},
                   "limits": {"cpu": values["web"]["cpu_limit"], "memory": values["web"]["memory_limit"]}}


def test_every_container_non_root_read_only_without_privilege_escalation(rendered):
    _, found = rendered
    for name, manifest in found.items():
        pod, container = _pod(manifest), _container(manifest)
        assert pod["automountServiceAccountToken"] is False, name
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] > 0, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] > 0, name
        assert context["readOnlyRootFilesystem"] is True, name
        assert context["allowPrivilegeEscalation"] is False and context["privileged"] is False, name
        assert context["capabilities"] == {"drop": ["ALL"]}, name
        assert container["imagePullPolicy"] == "Always", name


def test_the_mizban_processes_write_only_to_tmp_and_run_as_the_image_s_user(rendered):
    _, found = rendered
    dockerfile = (TERRAFORM.parents[1] / "Dockerfile").read_text()
    assert "USER 10001:10001" in dockerfile
    for name, manifest in found.items():
        if manifest["module"] != "app":
            continue
        container = _container(manifest)
        assert container["securityContext"]["runAsUser"] == 10001, name
        assert container["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}], name
        assert _pod(manifest)["volumes"] == [{"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}], name
        env = {e["name"]: e for e in container["env"]}
        assert env["MIZBAN_DATA_DIR"]["value"].startswith("/tmp/")
        assert env["DATABASE_POOL_MODE"]["value"] == "session"  # PgBouncer's mode (README, Pooling)


def test_secrets_reach_the_pods_from_secrets_never_as_values(rendered):
    environment, found = rendered
    web = _container(found["Deployment/mizban-web"])
    assert web["envFrom"] == [{"secretRef": {"name": "mizban-app"}}]
    env = {e["name"]: e for e in web["env"]}
    credentials = "mizban-database" if tfvars(environment)["database_mode"] == "external" else "mizban-db-app"
    assert env["DB_PASSWORD"] == {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": credentials, "key": "password"}}}
    # The URLs are assembled by Kubernetes from the Secrets' values ($(VAR)), through PgBouncer.
    assert env["DATABASE_URL"]["value"] == "postgres://$(DB_USER):$(DB_PASSWORD)@$(DB_HOST):$(DB_PORT)/$(DB_NAME)"
    assert env["DB_HOST"]["value"] == f"mizban-pgbouncer.mizban-{environment}.svc" and env["DB_PORT"]["value"] == "6432"
    assert env["REDIS_URL"]["value"] == "redis://:$(REDIS_PASSWORD)@$(REDIS_HOST)/0"
    for entry in web["env"]:
        assert not re.search(r"(?i)password|secret", entry.get("value", "").replace("$(DB_PASSWORD)", "").replace("$(REDIS_PASSWORD)", "")), entry
    pgbouncer = {e["name"]: e.get("value") for e in _container(found["Deployment/mizban-pgbouncer"])["env"]}
    assert pgbouncer["POOL_MODE"] == "session"


def test_composed_urls_come_after_the_variables_they_expand():
    """Kubernetes expands $(VAR) only from entries before it: the dynamic block of the URLs
    stands after DB_USER/DB_PASSWORD (the credentials' dynamic block) and the plain settings in
    every Mizban container."""
    text = (TERRAFORM / "modules" / "app" / "workloads.tf").read_text()
    containers = text.split("container {")[1:]
    assert len(containers) == 4
    for body in containers:
        plain, credentials, composed = (body.index(s) for s in (
            "for_each = local.env\n", "for_each = local.credential_env\n", "for_each = local.composed_env"))
        assert plain < credentials < composed
    app = (TERRAFORM / "modules" / "app" / "main.tf").read_text()
    assert 'credential_env = { DB_USER = "username", DB_PASSWORD = "password" }' in app


def test_outputs_name_the_urls():
    top = root("production", image=IMAGE, release="r1")
    assert top.output("platform_url") == "https://mizban.ir/"
    assert top.output("console_url") == "https://mizban.ir/console/"
    assert top.output("tenant_url_pattern") == "https://<slug>.mizban.ir/"
    assert top.output("health_urls") == {"liveness": "https://mizban.ir/healthz", "readiness": "https://mizban.ir/readyz"}
