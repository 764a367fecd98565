from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Customer credit accounts")

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the history-source signal)
