"""What the portal's busiest pages cost the database (README, "Load"): the home page, the
catalogue and a service page show what a citizen expects within a bound of SQL statements
(django-tenants' search_path included), so that a query per card or per relation creeping
back in fails here before it shows in the load bench."""

from __future__ import annotations

import pytest

from tests.builders import SERVICE

BUDGET = {"/": 1, "/services/": 3, f"/services/{SERVICE}/": 10}


@pytest.mark.parametrize("path", list(BUDGET))
def test_a_portal_page_stays_within_its_statements(path, alpha_catalog, client_a, django_assert_max_num_queries):
    assert client_a.get(path).status_code == 200  # warms the host map and the theme
    with django_assert_max_num_queries(BUDGET[path]):
        page = client_a.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "صدور پروانه ساختمان" in text or path == "/", text[:500]
