"""The report over one large tenant and the nightly rollup over many small ones.

    python bench/insights.py --requests 1000000 --tenants 500

A throw-away database; one municipality filled with N requests (and one event and one survey
for every tenth) by INSERT … SELECT generate_series, T small tenants with 50 requests each.
Prints one JSON line: requests, report_s (the full report: total, breakdowns, previous period,
surveys), tenants, rollup_s (the rollup of every tenant, the large one included).
"""

from __future__ import annotations

import argparse
import json
import os
import time

from _db import drop_database, queues_purge, use_fresh_database

DATABASE = "mizban_bench_insights"
QUEUE = "mizban-bench-insights"  # the invitations: a queue no worker reads, purged afterwards

FILL = """
INSERT INTO catalog_unit (name, kind, parent_id, address, phone, hours, "order") VALUES
  ('ستاد', 'headquarters', NULL, '', '', '', 0);
INSERT INTO catalog_unit (name, kind, parent_id, address, phone, hours, "order")
  SELECT 'منطقه ' || g, 'district', (SELECT min(id) FROM catalog_unit), '', '', '', g FROM generate_series(1, 5) g;
INSERT INTO catalog_service (national_id, approved_title, common_name, service_types, description, eligibility, required_documents,
  average_days, is_instant, service_hours, visits_count, visits_place, visits_reason, service_level, web_url, app_url, channel_email,
  ivr_number, sms_code, counter_offices, online_request, inquiries, ends_in_permit, responsible_name, responsible_position,
  responsible_phone, complete_guide, attachment_max_files, attachment_max_kb, attachment_types, bpmn_external, bpmn_internal,
  status, status_reason, registry_status, "order", updated_at)
  SELECT '1990000' || lpad(g::text, 4, '0'), 'خدمت ' || g, '', '[]', '', '', '', 5, false, '', 0, '', '', '', '', '', '', '', '', '',
         true, '', false, '', '', '', '', 2, 800, 'pdf', '', '', 'published', '', 'approved', g, now()
  FROM generate_series(1, 20) g;
INSERT INTO intake_request (tracking_code, wizard_token, service_id, unit_id, text, extra, applicant_kind, national_code, first_name,
  last_name, mobile, landline, email, address, company_national_id, company_name, visit, channel, assisted_by, status, promised_date,
  paused_days, submitted_at, answered_at)
  SELECT lpad(g::text, 16, '0'), md5(g::text)::uuid, (SELECT min(id) FROM catalog_service) + g % 20,
         (SELECT min(id) FROM catalog_unit) + g % 6, 'درخواست', '{{}}', 'natural', '0084575948', 'مریم', 'احمدی', '09121234567', '', '', '',
         '', '', '{{}}', (ARRAY['online', 'in_person', 'assisted'])[1 + g % 3], '',
         CASE WHEN g % 5 = 0 THEN 'in_progress' ELSE 'answered' END,
         (now() - (g % 700) * interval '1 day')::date + 7, g % 3,
         now() - (g % 700) * interval '1 day',
         CASE WHEN g % 5 = 0 THEN NULL ELSE now() - (g % 700) * interval '1 day' + (g % 17) * interval '1 day' END
  FROM generate_series(1, {n}) g;
INSERT INTO intake_requestevent (request_id, kind, title, note, visible_to_citizen, actor, from_stage, to_stage, created_at)
  SELECT id, 'moved', 'بررسی', '', true, '', '', '', submitted_at FROM intake_request WHERE id % 10 = 0;
INSERT INTO intake_questionnaire (title, is_default, questions) VALUES ('پرسشنامه', true, '[]');
INSERT INTO intake_survey (request_id, questionnaire_id, token, answers, axis_scores, answered_at)
  SELECT id, (SELECT min(id) FROM intake_questionnaire), md5(id::text), '[1]',
         jsonb_build_object('شفافیت فرایندی', 1 + id % 5, 'کلیت فرایند', 1 + id % 4), answered_at
  FROM intake_request WHERE id % 10 = 1 AND answered_at IS NOT NULL;
ANALYZE intake_request, intake_requestevent, intake_survey, intake_questionnaire;  -- this schema only: a bare ANALYZE locks every tenant's tables at once
"""


def fill(schema: str, n: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'SET search_path TO "{schema}", public')
        cursor.execute(FILL.format(n=n))
    connection.set_schema_to_public()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # No spare schemas: the tenants here only carry figures; each onboarding copies the template.
    os.environ.update(CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=QUEUE, TENANT_SPARE_SCHEMAS="0")
    use_fresh_database(DATABASE)
    try:
        from django.core.management import call_command
        from django_tenants.utils import schema_context

        from insights.periods import Period
        from insights.reports import report_figures
        from insights.rollup import rollup_all
        from tenants.services import tenant_draft_clean, tenant_onboard

        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        big = tenant_onboard(draft=tenant_draft_clean(slug="bench", name="شهرداری بزرگ", kind="municipality", province="tehran", admin_email="a@bench.test"), actor="bench")
        fill(big.schema_name, args.requests)
        for i in range(args.tenants - 1):
            small = tenant_onboard(draft=tenant_draft_clean(slug=f"small{i}", name=f"دهیاری {i}", kind="dehyari", province="fars", admin_email=f"a{i}@bench.test"), actor="bench")
            fill(small.schema_name, 50)
        from datetime import timedelta

        from django.utils import timezone

        today = timezone.localdate()
        period = Period("range", today - timedelta(days=365), today + timedelta(days=1))
        with schema_context(big.schema_name):
            report_figures(period=period)  # warm the connection and the cache
            started = time.perf_counter()
            report_figures(period=period)
            report_s = time.perf_counter() - started
        started = time.perf_counter()
        rollup_all()
        rollup_s = time.perf_counter() - started
        print(json.dumps({"requests": args.requests, "report_s": round(report_s, 3), "tenants": args.tenants, "rollup_s": round(rollup_s, 3)}))
    finally:
        queues_purge(QUEUE)
        drop_database(DATABASE)


if __name__ == "__main__":
    main()
