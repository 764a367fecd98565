from django.urls import path

from . import downloads, views  # noqa: F401

app_name = "imports"

urlpatterns = [
    path("template/", downloads.TemplateHelpView.as_view(), name="template-help"),
    path("template/download/", downloads.download_template, name="template"),
    path("template/example/", downloads.download_example, name="example"),
    path("export/", downloads.export_accounts, name="export"),
]
