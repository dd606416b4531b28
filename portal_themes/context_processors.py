from portal_themes.selectors import theme_for_current_tenant


def theme(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "schema_name", "public") == "public":
        return {"theme": None, "portal_tenant": None}
    return {"theme": theme_for_current_tenant(), "portal_tenant": tenant}
