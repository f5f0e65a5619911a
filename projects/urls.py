"""Project URLs outside the page tree: a member's calendar subscription link."""

from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("<str:token>/", views.member_calendar, name="member_calendar"),
]
