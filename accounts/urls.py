from django.urls import path

from .views import accounts, api_keys, holders, store_settings

app_name = "accounts"

urlpatterns = [
    path("", accounts.AccountListView.as_view(), name="list"),
    path("accounts/new/", accounts.AccountCreateView.as_view(), name="create"),
    path("accounts/<str:pk>/", accounts.AccountDetailView.as_view(), name="detail"),
    path("accounts/<str:pk>/change/", accounts.AccountChangeView.as_view(), name="change"),
    path("accounts/<str:pk>/close/", accounts.AccountCloseView.as_view(), name="close"),
    path("settings/", store_settings.StoreSettingsView.as_view(), name="settings"),
    path("api-keys/", api_keys.api_key_list, name="api-keys"),
    path("api-keys/new/", api_keys.api_key_create, name="api-key-create"),
    path("api-keys/<int:pk>/revoke/", api_keys.api_key_revoke, name="api-key-revoke"),
    path("accounts/<str:pk>/holders/add/", holders.holder_add, name="holder-add"),
    path(
        "accounts/<str:pk>/holders/<str:holder_id>/remove/",
        holders.holder_remove,
        name="holder-remove",
    ),
]
