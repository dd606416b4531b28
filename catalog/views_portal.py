"""The citizens' portal: the service list, the service page and full card, units, FAQ, PDF."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from catalog.bpmn import bpmn_svg
from catalog.pdf import information_package_pdf
from catalog.selectors import faq_entries, portal_service_get, portal_service_search, portal_service_tree, units_with_services
from lib.pdf import pdf_filename, pdf_response


def card_context(service) -> dict:
    flowchart = ""
    if service.bpmn_external:
        try:
            flowchart = bpmn_svg(service.bpmn_external, title=service.title)  # safe markup: format_html built it
        except ValidationError:
            flowchart = ""
    return {"service": service, "flowchart": flowchart, "stages": list(service.stages.all())}


def service_list(request):
    query = request.GET.get("q", "")
    return render(request, "catalog/portal/list.html", {
        "tree": portal_service_tree(), "query": query, "results": portal_service_search(query=query) if query else None,
    })


def _published(national_id):
    service = portal_service_get(national_id)
    if service is None:
        raise Http404("no such published service")
    return service


def service_page(request, national_id):
    """Table 1 of seed 003, with the link to the full card."""
    return render(request, "catalog/portal/service.html", card_context(_published(national_id)))


def service_card(request, national_id):
    """The full service card (شناسنامه خدمت)."""
    return render(request, "catalog/portal/card.html", card_context(_published(national_id)))


def service_package_pdf(request, national_id):
    service = _published(national_id)
    return pdf_response(information_package_pdf(service=service, tenant=request.tenant),
                        filename=pdf_filename("service", service.national_id), inline=True)


def units(request):
    return render(request, "catalog/portal/units.html", {"units": units_with_services()})


def faq(request):
    return render(request, "catalog/portal/faq.html", {"services": faq_entries()})
