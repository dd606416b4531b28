"""The public, read-only catalogue API of a tenant (published cards only)."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from catalog.models import Faq, Fee, Law, Service, WorkflowStage
from catalog.selectors import published_services


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["title", "amount_rial", "sheba", "bank"]


class LawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Law
        fields = ["title", "url"]


class FaqSerializer(serializers.ModelSerializer):
    class Meta:
        model = Faq
        fields = ["question", "answer"]


class StageSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", default="")

    class Meta:
        model = WorkflowStage
        fields = ["order", "name", "target_days", "unit"]


class ServiceSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    parent_id = serializers.CharField(source="parent.national_id", default=None)
    units = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    fees = FeeSerializer(many=True, read_only=True)
    laws = LawSerializer(many=True, read_only=True)
    faqs = FaqSerializer(many=True, read_only=True)
    stages = StageSerializer(many=True, read_only=True)
    channels = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "national_id", "parent_id", "title", "approved_title", "common_name", "service_types", "description",
            "eligibility", "required_documents", "average_days", "is_instant", "service_hours", "visits_count",
            "visits_place", "visits_reason", "service_level", "channels", "inquiries", "ends_in_permit",
            "responsible_name", "responsible_position", "units", "fees", "laws", "faqs", "stages", "published_at",
        ]

    def get_channels(self, service) -> list[dict]:
        return [{"code": code, "label": label, "value": value} for code, label, value in service.channels()]


class PublicServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """Published service cards of this municipality or dehyari."""

    serializer_class = ServiceSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    lookup_field = "national_id"

    def get_queryset(self):
        return published_services().select_related("parent").prefetch_related("units", "fees", "laws", "faqs", "stages__unit")
