from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="create"),
    path("accounts/<str:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("accounts/<str:pk>/change/", views.AccountChangeView.as_view(), name="change"),
    path("accounts/<str:pk>/close/", views.AccountCloseView.as_view(), name="close"),
    path("settings/", views.StoreSettingsView.as_view(), name="settings"),
]
