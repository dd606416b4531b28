from celery import shared_task

from notifications.services import email_send


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_email(self, *, to, subject, body, html=None):
    email_send(to=to, subject=subject, body=body, html=html)
