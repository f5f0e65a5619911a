from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("tjek-din-indbakke/", views.check_inbox, name="check_inbox"),
    path("bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("indstillinger/<str:token>/", views.preferences, name="preferences"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mine/", views.mine, name="mine"),
    path("arkiv/", views.archive, name="archive"),
    path("arkiv/<int:pk>/", views.archive_detail, name="archive_detail"),
]
