"""The citizens' portal: the service list, the service page and full card, units, FAQ, PDF."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from catalog.bpmn import bpmn_svg
from catalog.pdf import information_package_pdf
from catalog.selectors import faq_entries, portal_card, portal_kept, portal_service_get, portal_service_search, portal_service_tree, units_with_services
from lib.pdf import pdf_filename, pdf_response
from lib.uploads import KNOWN_TYPES
from portal_themes.kept_pages import kept_for_anonymous


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

    def page():
        # The tree is the same for every citizen: rendered once per catalogue change and process.
        tree = portal_kept("tree", lambda: render_to_string("catalog/portal/_tree.html", {"tree": portal_service_tree()}))
        return render(request, "catalog/portal/list.html", {
            "tree": tree, "query": query, "results": portal_service_search(query=query) if query else None,
        })

    return kept_for_anonymous(request, "list", page, remember=portal_kept)


def _published(national_id):
    service = portal_service_get(national_id)
    if service is None:
        raise Http404("no such published service")
    return service


def _card_context_or_none(national_id):
    service = portal_card(national_id)
    return card_context(service) if service is not None else None


def _published_card(national_id) -> dict:
    """A published card's context, kept while the catalogue is unchanged (read only)."""
    context = portal_kept(("card", national_id), lambda: _card_context_or_none(national_id))
    if context is None:
        raise Http404("no such published service")
    return context


def service_page(request, national_id):
    """Table 1 of seed 003, with the link to the full card."""
    return kept_for_anonymous(request, ("service", national_id),
                              lambda: render(request, "catalog/portal/service.html", _published_card(national_id)), remember=portal_kept)


def service_card(request, national_id):
    """The full service card (شناسنامه خدمت)."""
    return kept_for_anonymous(request, ("card", national_id),
                              lambda: render(request, "catalog/portal/card.html", _published_card(national_id)), remember=portal_kept)


def service_form_download(request, national_id, form_id):
    """One of a published card's forms (فرم‌ها), from this tenant's storage only, always as a
    download: never rendered by the browser, whatever is inside."""
    form = get_object_or_404(_published(national_id).forms, pk=form_id)
    if not form.file:
        raise Http404("the form has no file")
    extension = form.file.name.rsplit(".", 1)[-1].lower() if "." in form.file.name else ""
    try:
        stored = form.file.open("rb")
    except FileNotFoundError:
        raise Http404("the form's file is missing") from None
    response = FileResponse(stored, content_type=KNOWN_TYPES.get(extension, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{form.title or 'form'}.{extension}" if extension else form.title or "form")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def service_package_pdf(request, national_id):
    service = _published(national_id)
    return pdf_response(information_package_pdf(service=service, tenant=request.tenant),
                        filename=pdf_filename("service", service.national_id), inline=True)


def units(request):
    return render(request, "catalog/portal/units.html", {"units": units_with_services()})


def faq(request):
    return render(request, "catalog/portal/faq.html", {"services": faq_entries()})
