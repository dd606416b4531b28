"""The team pages, part of the staff area's `staff` namespace (assembled in mizban/urls_staff.py)."""

from django.urls import path

from catalog import views_team

urlpatterns = [
    path("team/", views_team.team, name="team"),
    path("team/<int:user_id>/", views_team.team_member, name="team_member"),
]
