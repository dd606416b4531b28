"""The nightly Celery beat entry syncs from the configured source."""

from celery.schedules import crontab
from django.conf import settings as django_settings

from mizban.celery import app as celery_app
from registry.models import NationalService, SyncRun
from registry.tasks import registry_sync_nightly


def test_beat_schedules_the_sync_every_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["registry-sync-nightly"]
    assert entry["task"] == "registry.tasks.registry_sync_nightly"
    assert isinstance(entry["schedule"], crontab) and entry["schedule"].hour == {2}
    celery_app.loader.import_default_modules()
    assert "registry.tasks.registry_sync_nightly" in celery_app.tasks


def test_the_task_syncs_the_configured_file(db, settings, sample_path):
    settings.REGISTRY_SOURCE_URL, settings.REGISTRY_SOURCE_FILE = "", str(sample_path)
    assert registry_sync_nightly.delay().get() == "succeeded"
    run = SyncRun.objects.get()
    assert run.triggered_by == "nightly" and run.added == 41
    assert NationalService.objects.count() == 41


def test_without_a_configured_source_nothing_runs(db, settings):
    settings.REGISTRY_SOURCE_URL = settings.REGISTRY_SOURCE_FILE = ""
    assert registry_sync_nightly.delay().get() == "no source configured"
    assert not SyncRun.objects.exists()
