from django.urls import path

from intake import views_desk, views_letters, views_staff

app_name = "staff_requests"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("desk/", views_desk.desk, name="desk"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/receipt.pdf", views_desk.receipt_download, name="receipt_pdf"),
    path("<int:pk>/assign/", views_staff.assign, name="assign"),
    path("<int:pk>/accept/", views_staff.accept, name="accept"),
    path("<int:pk>/move/", views_staff.move, name="move"),
    path("<int:pk>/ask/", views_staff.ask, name="ask"),
    path("<int:pk>/inquiries/", views_staff.inquiry_send_view, name="inquiry_send"),
    path("<int:pk>/letter/", views_letters.issue, name="letter_issue"),
    path("<int:pk>/letter.pdf", views_letters.staff_pdf, name="letter_pdf"),
    path("<int:pk>/inquiries/<int:inquiry_id>/reply/", views_staff.inquiry_reply_view, name="inquiry_reply"),
]
