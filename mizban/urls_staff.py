"""The staff area's `staff` namespace (/staff/…), assembled from the apps that own its pages:
accounts (home, notices, message templates), catalog (the team: units and memberships are
catalog's), insights (the audit page, which reads accounts, catalog and intake) and open311
(the API keys)."""

from accounts.urls_staff import urlpatterns as accounts_patterns
from catalog.urls_team import urlpatterns as team_patterns
from insights.urls_audit import urlpatterns as audit_patterns
from open311.urls_staff import urlpatterns as api_key_patterns

app_name = "staff"
urlpatterns = [*accounts_patterns, *team_patterns, *audit_patterns, *api_key_patterns]
