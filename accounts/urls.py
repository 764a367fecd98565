from django.urls import path

from . import views
from .api import pages

app_name = "accounts"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="create"),
    path("accounts/<str:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("accounts/<str:pk>/change/", views.AccountChangeView.as_view(), name="change"),
    path("accounts/<str:pk>/close/", views.AccountCloseView.as_view(), name="close"),
    path("settings/", views.StoreSettingsView.as_view(), name="settings"),
    path("api-keys/", pages.api_key_list, name="api-keys"),
    path("api-keys/new/", pages.api_key_create, name="api-key-create"),
    path("api-keys/<int:pk>/created/", pages.api_key_created, name="api-key-created"),
    path("api-keys/<int:pk>/revoke/", pages.api_key_revoke, name="api-key-revoke"),
    path("accounts/<str:pk>/holders/add/", pages.holder_add, name="holder-add"),
    path(
        "accounts/<str:pk>/holders/<str:holder_id>/remove/",
        pages.holder_remove,
        name="holder-remove",
    ),
]
