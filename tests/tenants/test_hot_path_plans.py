"""The hot paths' query plans do not miss any index that was dropped from the tenant schemas
(README, "Relations per tenant")."""

from __future__ import annotations

import importlib
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User
from tests.builders import NATIONAL_CODE, SERVICE, demo_units, request_submitted_make, user_make
from tests.clients import Wizard, staff_client

ALPHA = "t_alpha"

# Dropped by a model's `db_index=False` (their migrations name them through Django).
DROPPED_BY_MODELS = {
    "accounts_user_province_code_b9651636": "accounts_user (province_code)",
    "catalog_staffmembership_unit_id_87684e84": "catalog_staffmembership (unit_id)",
    "catalog_unit_parent_id_2f4921ac": "catalog_unit (parent_id)",
    "catalog_workflowstage_service_id_5ba9845d": "catalog_workflowstage (service_id)",
    "catalog_workflowstage_unit_id_07598298": "catalog_workflowstage (unit_id)",
    "intake_latedigest_manager_id_400b02ab": "intake_latedigest (manager_id)",
    "intake_servicequestionnaire_questionnaire_id_95e04308": "intake_servicequestionnaire (questionnaire_id)",
    "intake_survey_questionnaire_id_75b46888": "intake_survey (questionnaire_id)",
    "intake_wizarddraft_service_id_582b7a61": "intake_wizarddraft (service_id)",
    "notifications_onetimecode_sms_message_id_17a5c4bc": "notifications_onetimecode (sms_message_id)",
    "notifications_smsmessage_created_at_ce59c5af": "notifications_smsmessage (created_at)",
    "notifications_staffnotice_recipient_id_a0831ac0": "notifications_staffnotice (recipient_id)",
    "payments_payment_authority_f14b566b": "payments_payment (authority)",
    "payments_payment_wizard_token_64674e5e": "payments_payment (wizard_token)",
}


def _dropped_indexes() -> dict[str, str]:
    dropped = dict(DROPPED_BY_MODELS)
    for module in ("accounts.migrations.0006_shared_row_ids_fewer_indexes", "catalog.migrations.0007_fewer_indexes",
                   "intake.migrations.0016_fewer_indexes", "notifications.migrations.0005_fewer_indexes",
                   "payments.migrations.0002_fewer_indexes",
                   "open311.migrations.0002_fewer_indexes", "accounts.migrations.0007_session_expiry_index",
                   "accounts.migrations.0010_email_lookup_index", "catalog.migrations.0009_fewer_indexes_2",
                   "payments.migrations.0004_fewer_indexes_2", "catalog.migrations.0010_fewer_relations",
                   "intake.migrations.0017_fewer_relations", "payments.migrations.0005_fewer_relations"):
        dropped.update(importlib.import_module(module).UNUSED_INDEXES)
    # Those of tables a tenant no longer has (groups, permissions: accounts.0008) have nothing to put back.
    tables = {table for (table,) in _tables(ALPHA)}
    return {name: target for name, target in dropped.items() if target.split(" ", 1)[0] in tables}


def _tables(schema: str) -> list[tuple[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [schema])
        return cursor.fetchall()


def _whole_reads(plan: str) -> set[str]:
    """Tables a plan reads whole: a sequential scan, or an index scan with no index condition (a
    full index scan with a filter, which `enable_seqscan` off would otherwise put in its place)."""
    tables = set(re.findall(r"Seq Scan on (\w+)", plan))
    lines = plan.splitlines()
    for number, line in enumerate(lines):
        scan = re.search(r"Index (?:Only )?Scan(?: Backward)? using \w+ on (\w+)", line)
        if not scan:
            continue
        details = []
        for following in lines[number + 1:]:
            if "->" in following:
                break
            details.append(following)
        if not any("Index Cond:" in detail for detail in details):
            tables.add(scan.group(1))
    return tables


def _plans(statements: list[str]) -> list[tuple[float, set[str], str]]:
    """(estimated cost, tables read whole, plan) of each statement, planned as on a big tenant:
    sequential scans only where no index serves."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL search_path TO "{ALPHA}", public')
        cursor.execute("SET LOCAL enable_seqscan TO off")
        for sql in statements:
            cursor.execute("EXPLAIN " + sql)
            text = "\n".join(row[0] for row in cursor.fetchall())
            cost = float(re.search(r"cost=[\d.]+\.\.([\d.]+)", text).group(1))
            plans.append((cost, _whole_reads(text), text))
        cursor.execute("SET LOCAL enable_seqscan TO on")
    return plans


def _worse(before, after, indexed_tables: set[str]) -> bool:
    """Without the dropped indexes: a table that lost an index read whole where it was read
    through one, or a cost more than twice as high. Only the tables that lost an index count: on
    tables of a few rows the planner may swap the join order and read another small table whole
    (the service table's 14 rows by its key, in CI), which no dropped index decides. Costs are
    compared loosely: on a table of a few dozen rows the estimate of the same look-up through a two-column unique index instead of a one-column one
    (the planner weighs a multi-column index's correlation down) moves with the heap's size,
    which other tests' rows set, and so may the join order."""
    (b_cost, b_whole, _), (a_cost, a_whole, _) = before, after
    return bool((a_whole - b_whole) & indexed_tables or a_cost > b_cost * 2 + 1)


def test_the_hot_paths_plan_as_well_without_the_dropped_indexes(alpha_catalog, client_a):
    """Walk the hot paths (service list, service page, wizard to submit, tracking look-up, the
    staff queue and its search) and EXPLAIN each of their statements twice, as on a big tenant
    (the planner takes an index wherever one serves): with every dropped index put back (in
    this test's transaction) and without them. Without, no statement reads a table whole that
    it read through an index, nor costs more than twice as much; the look-ups by key stay index
    scans. Both on freshly built indexes, whatever rows the rest of the suite left in alpha."""
    dropped = _dropped_indexes()
    indexed_tables = {target.split(" ", 1)[0] for target in dropped.values()}
    hq, district_1, _ = demo_units()
    submitted = request_submitted_make(unit=district_1)
    admin = staff_client(user_make(role=User.Role.TENANT_ADMIN, email="plans@alpha.test"))
    with CaptureQueriesContext(connection) as captured:
        assert client_a.get("/services/").status_code == 200
        assert client_a.get(f"/services/{SERVICE}/").status_code == 200
        wizard = Wizard(client_a).start().fill()
        assert wizard.submit().status_code == 302
        found = client_a.post("/track/", {"code": submitted.tracking_code, "identity": NATIONAL_CODE})
        assert found.status_code == 200 and "یافت نشد" not in found.content.decode()
        assert admin.get("/staff/requests/").status_code == 200
        assert admin.get("/staff/requests/", {"q": submitted.tracking_code}).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries if re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT)\b", q["sql"])]
    assert len(statements) > 50
    # Both plans on freshly built indexes and the same statistics. Inside the whole suite the
    # session's tenant holds the rows other tests committed and deleted: its old indexes are
    # bloated while a dropped one put back is built compact, and the planner then preferred the
    # put-back index for its size alone (a stage's service: 9.4 against 18.0 on the bloated
    # unique index that leads with the same column).
    with schema_context(ALPHA), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred key checks first: then tables can be indexed
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for (table,) in _tables(ALPHA):
            cursor.execute(f'REINDEX TABLE "{ALPHA}"."{table}"')
            cursor.execute(f'ANALYZE "{ALPHA}"."{table}"')
    after = _plans(statements)
    with schema_context(ALPHA), connection.cursor() as cursor:
        for name, target in dropped.items():
            table, columns = target.split(" ", 1)
            cursor.execute(f'CREATE INDEX "{name}" ON "{ALPHA}"."{table}" {columns}')
    before = _plans(statements)
    worse = [
        f"{sql}\n  with the indexes (cost {b[0]}):\n{b[2]}\n  without (cost {a[0]}):\n{a[2]}"
        for sql, b, a in zip(statements, before, after)
        if _worse(b, a, indexed_tables)
    ]
    assert not worse, "\n\n".join(worse)
    every_plan = "\n".join(plan for _cost, _whole, plan in after)
    for key_index in ("intake_request_tracking_code_key", "intake_wizarddraft_token_key"):
        # A plain or a bitmap scan of the key: which one depends on the heap's size, both read by it.
        assert re.search(rf"(Index (Only )?Scan using|Bitmap Index Scan on) {key_index}\b", every_plan), key_index
