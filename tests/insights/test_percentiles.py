"""The report's medians and 90th percentiles come from histograms of whole days; they must be
exactly PostgreSQL's percentile_cont over the same values."""

from django.db import connection

from insights.reports import percentile_cont

SAMPLES = [[5], [3, 7], [3, 7, 8], [0, 0, 1, 9], [2, 2, 2, 3, 5, 5, 11, 40], list(range(17)) * 3 + [90, 91]]


def _histogram(values):
    found = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found


def test_the_histogram_gives_postgresqls_percentiles(db):
    with connection.cursor() as cursor:
        for values in SAMPLES:
            for fraction in (0.1, 0.5, 0.9, 1.0):
                cursor.execute("SELECT percentile_cont(%s) WITHIN GROUP (ORDER BY v) FROM unnest(%s::int[]) v", [fraction, values])
                assert round(percentile_cont(_histogram(values), fraction), 9) == round(cursor.fetchone()[0], 9), (values, fraction)
    assert percentile_cont({}, 0.5) is None
