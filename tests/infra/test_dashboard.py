"""infra/grafana/mizban.json: a dashboard Grafana imports (its JSON, a Prometheus data source
chosen on import, every panel with a query), whose metric names are the ones infra/README.md
lists under Observability — so the dashboard, the document and the metrics code are checked
against one list."""

import json
import re

from tests.workers import ROOT

DASHBOARD = ROOT / "infra" / "grafana" / "mizban.json"
PROMQL_WORDS = {"sum", "by", "rate", "max", "histogram_quantile", "topk", "time", "le", "on", "without", "irate", "avg", "min"}


def _documented() -> set[str]:
    section = (ROOT / "infra" / "README.md").read_text().split("## 7. Observability", 1)[1]
    return set(re.findall(r"`((?:mizban|django|kube)_[a-z_]+)`", section))


def _metrics(expr: str) -> set[str]:
    names = set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*(?=\{|\[|\))", expr)) - PROMQL_WORDS
    return {re.sub(r"_(bucket|sum|count)$", "", name) for name in names if name.startswith(("mizban_", "django_", "kube_"))}


def test_the_dashboard_imports_and_every_panel_queries_prometheus():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "mizban-platform" and dashboard["title"] == "Mizban"
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    assert len(dashboard["panels"]) >= 10
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(set(ids)) == len(ids)
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert '$namespace' in target["expr"], panel["title"]
            assert target["expr"].count("(") == target["expr"].count(")"), target["expr"]


def test_the_dashboard_uses_the_documented_metrics_and_shows_what_the_issue_names():
    used = set()
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        for target in panel["targets"]:
            used |= _metrics(target["expr"])
    documented = _documented()
    assert used <= documented, used - documented
    # Requests by tenant kind, queue length, outbox backlog, spare schemas, migration state.
    assert {"mizban_http_requests_total", "mizban_celery_queue_length", "mizban_outbox_backlog", "mizban_spare_schemas_ready",
            "mizban_tenant_schemas", "mizban_migration_last_run"} <= used
