"""A read-only API over the mirror for tenants' catalogue editors (tenant hosts only).

The mirror lives in the public schema, which is on every tenant's search_path, so a
request on a tenant's host reads it directly.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from registry.models import NationalService
from registry.selectors import national_service_search


class IsTenantStaff(BasePermission):
    """Signed-in staff of the tenant whose host this is (citizens and anonymous are refused)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_tenant_staff)


class NationalServiceSerializer(serializers.ModelSerializer):
    parent_id = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = NationalService
        fields = [
            "service_id", "parent_id", "title", "agency_code", "agency_name", "service_types", "status",
            "registry_updated_at", "has_short_id", "missing_since",
        ]
        read_only_fields = fields


class _Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(parameters=[
    OpenApiParameter("q", description="ID prefix (digits) or title words, Persian-normalised"),
    OpenApiParameter("status", enum=NationalService.Status.values),
    OpenApiParameter("type", enum=NationalService.Type.values),
])
class NationalServiceList(generics.ListAPIView):
    serializer_class = NationalServiceSerializer
    permission_classes = [IsTenantStaff]
    pagination_class = _Pages

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "")
        service_type = params.get("type", "")
        return national_service_search(
            query=params.get("q", ""),
            status=status if status in NationalService.Status.values else "",
            service_type=service_type if service_type in NationalService.Type.values else "",
        )


class NationalServiceDetail(generics.RetrieveAPIView):
    serializer_class = NationalServiceSerializer
    permission_classes = [IsTenantStaff]
    queryset = NationalService.objects.all()
    lookup_field = "service_id"
