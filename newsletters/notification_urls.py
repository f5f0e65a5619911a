from django.urls import path

from . import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("laest/", views.mark_all_read, name="mark_all_read"),
    path("foelger/", views.follow_list, name="follows"),
    path("foelg/", views.follow_toggle, name="follow"),
    path("indstillinger/", views.notification_settings, name="settings"),
    path("stop/<str:token>/", views.stop, name="stop"),
    path("feed/<str:token>/", views.private_feed, name="feed"),
]
