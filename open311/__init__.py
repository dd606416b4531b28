"""An Open311 GeoReport v2 server on every tenant's host, and the API keys its clients use."""
