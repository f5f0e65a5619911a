from django.urls import path

from . import api

app_name = "search_api"

urlpatterns = [
    path("", api.search_api, name="search"),
    path("autocomplete/", api.autocomplete_api, name="autocomplete"),
]
