"""The staff's request pages under /staff/requests/ (namespace `staff_requests`)."""

from django.urls import path

from intake.casework import views, views_desk, views_letters

app_name = "staff_requests"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("desk/", views_desk.desk, name="desk"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/receipt.pdf", views_desk.receipt_download, name="receipt_pdf"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/ask/", views.ask, name="ask"),
    path("<int:pk>/inquiries/", views.inquiry_send_view, name="inquiry_send"),
    path("<int:pk>/letter/", views_letters.issue, name="letter_issue"),
    path("<int:pk>/letter.pdf", views_letters.staff_pdf, name="letter_pdf"),
    path("<int:pk>/inquiries/<int:inquiry_id>/reply/", views.inquiry_reply_view, name="inquiry_reply"),
]
