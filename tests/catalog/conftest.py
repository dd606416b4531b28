from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tests.conftest import ROOT

SAMPLE_REGISTRY = ROOT.parent / "shared" / "data" / "gservice_sample.csv"


@pytest.fixture
def mirror(db):
    """The national mirror filled from the sample export (inside the test's transaction)."""
    from registry.services import registry_sync

    run = registry_sync(file=str(SAMPLE_REGISTRY), triggered_by="tests")
    assert run.outcome == "succeeded", run.error
    return run


@pytest.fixture
def alpha_catalog(mirror, tenant_a):
    """Alpha's demo catalogue: units and ten complete, published municipal cards."""
    from catalog.demo import catalog_demo_build

    with schema_context(tenant_a.schema_name):
        catalog_demo_build(kind="municipality", large=False)
    return tenant_a
