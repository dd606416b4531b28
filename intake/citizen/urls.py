"""The citizen's addresses (namespace `intake`): the wizard, tracking, a granted request's
actions, the letter's public verification, the survey page."""

from django.urls import path

from intake.casework import views_letters
from intake.citizen import views_payment, views_request, views_tracking, views_wizard
from intake.surveys import views as views_survey

app_name = "intake"
urlpatterns = [
    path("requests/new/", views_wizard.choose, name="choose"),
    path("requests/wizard/<int:slot>/step/<int:step>/", views_wizard.step, name="step"),
    path("requests/wizard/<int:slot>/attach/", views_wizard.attach, name="attach"),
    path("requests/wizard/<int:slot>/detach/<int:file_id>/", views_wizard.detach, name="detach"),
    path("requests/wizard/<int:slot>/pay/", views_payment.pay, name="pay"),
    path("requests/wizard/<int:slot>/pay/<int:fee_id>/", views_payment.pay_start, name="pay_start"),
    path("requests/wizard/<int:slot>/submit/", views_wizard.submit, name="submit"),
    path("requests/wizard/<int:slot>/receipt/", views_wizard.receipt, name="receipt"),
    path("requests/wizard/<int:slot>/receipt.pdf", views_wizard.receipt_download, name="receipt_pdf"),
    path("track/", views_tracking.track, name="track"),
    path("track/code/", views_tracking.otp_request, name="otp_request"),
    path("track/verify/", views_tracking.otp_check, name="otp_check"),
    path("track/request/", views_tracking.track_detail, name="track_detail"),
    path("track/request/<int:pk>/", views_tracking.track_detail, name="track_detail_pk"),
    path("track/files/<int:attachment_id>/", views_tracking.attachment_download, name="attachment"),
    path("track/request/<int:pk>/answer/", views_request.answer, name="citizen_answer"),
    path("track/request/<int:pk>/objection/", views_request.objection, name="citizen_objection"),
    path("track/request/<int:pk>/pay/<int:fee_id>/", views_payment.track_pay_start, name="track_pay_start"),
    path("track/request/<int:pk>/receipt/", views_request.receipt, name="citizen_receipt"),
    path("track/request/<int:pk>/receipt.pdf", views_request.receipt_download, name="citizen_receipt_pdf"),
    path("track/request/<int:pk>/letter.pdf", views_letters.citizen_pdf, name="citizen_letter_pdf"),
    path("track/request/<int:pk>/letter-attachment/", views_tracking.letter_attachment_download, name="letter_attachment"),
    path("letters/verify/<str:public_id>/", views_letters.verify, name="letter_verify"),
    path("survey/<str:token>/", views_survey.survey, name="survey"),
    path("my/requests/", views_tracking.my_requests, name="my_requests"),
]
