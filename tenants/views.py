"""The public site on the platform domain: the landing page and the tenants' directory."""

from django.shortcuts import render

from tenants.forms import DirectorySearchForm
from tenants.selectors import tenant_directory


def landing(request):
    form = DirectorySearchForm(request.GET or None)
    query, province = "", ""
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        province = form.cleaned_data["province"].code if form.cleaned_data["province"] else ""
    tenants = tenant_directory(query=query, province_code=province)
    return render(request, "tenants/landing.html", {"form": form, "tenants": tenants, "searched": bool(query or province)})
