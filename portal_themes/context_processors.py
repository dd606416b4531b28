from portal_themes.selectors import notice_showing, preview_on, theme_for_request


def theme(request):
    """The theme every page draws with: the draft for an admin previewing it, else the published one."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "schema_name", "public") == "public":
        return {"theme": None, "portal_tenant": None}
    current = theme_for_request(request)
    previewing = preview_on(request)
    return {
        "theme": current,
        "portal_tenant": tenant,
        "theme_preview": previewing,
        "theme_notice": notice_showing(current),
        "theme_stamp": f"draft-{current.updated_at.timestamp():.0f}" if previewing and current else (f"{current.version}-{current.updated_at.timestamp():.0f}" if current else ""),
    }
