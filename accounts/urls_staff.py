from django.urls import path

from accounts import views, views_team
from notifications import views as notice_views

app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("team/", views_team.team, name="team"),
    path("team/<int:user_id>/", views_team.team_member, name="team_member"),
    path("audit/", views_team.audit, name="audit"),
    path("notices/<int:pk>/read/", notice_views.notice_read, name="notice_read"),
    path("messages/", notice_views.message_templates, name="messages"),
]
