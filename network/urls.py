from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<slug:slug>/", views.municipality_detail, name="municipality"),
    path("medlemmer/<uuid:public_id>/", views.member_detail, name="member"),
    path("profil/", views.profile_edit, name="profile"),
    path("profil/mine-data/", views.my_data, name="my_data"),
    path("profil/slet-konto/", views.delete_account, name="delete_account"),
]
