"""The receipt says what became of the tracking code's SMS: sent only once the gateway took
it, queued while it waits (not "not sent"), not sent once the gateway refused it."""

from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from notifications.models import SmsMessage

SENT = "پیامک کد رهگیری به شماره همراه شما فرستاده شد."
QUEUED = "پیامک کد رهگیری هنوز فرستاده نشده و در صف ارسال است"
FAILED = "پیامک ارسال نشد؛ سامانه دوباره تلاش می‌کند."


def test_the_receipt_follows_the_outbox(wizard, tenant_a):
    response = wizard.start().fill(files=()).submit()
    # Inside the test's transaction nothing commits, so the message is still in the outbox.
    receipt = wizard.client.get(response["Location"]).content.decode()
    assert QUEUED in receipt and SENT not in receipt and FAILED not in receipt
    with schema_context(tenant_a.schema_name):
        message_id = ServiceRequest.objects.get(wizard_token=wizard.token).sms_message_id
        SmsMessage.objects.filter(pk=message_id).update(status="failed")
    receipt = wizard.client.get(response["Location"]).content.decode()
    assert FAILED in receipt and QUEUED not in receipt and SENT not in receipt
    with schema_context(tenant_a.schema_name):
        SmsMessage.objects.filter(pk=message_id).update(status="sent")
    assert SENT in wizard.client.get(response["Location"]).content.decode()
