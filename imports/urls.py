from django.urls import path

from . import downloads, views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("upload/", views.upload, name="upload"),
    path("history/", views.ImportJobListView.as_view(), name="history"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:pk>/approve/", views.approve, name="approve"),
    path("jobs/<int:pk>/reject/", views.reject, name="reject"),
    path("jobs/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("jobs/<int:pk>/retry/", views.retry, name="retry"),
    path("jobs/<int:pk>/revert/", views.revert, name="revert"),
    path("jobs/<int:pk>/errors/", views.error_report, name="error-report"),
    path("template/", downloads.TemplateHelpView.as_view(), name="template-help"),
    path("template/download/", downloads.download_template, name="template"),
    path("template/example/", downloads.download_example, name="example"),
    path("template/download.xlsx", downloads.download_template_xlsx, name="template-xlsx"),
    path("template/example.xlsx", downloads.download_example_xlsx, name="example-xlsx"),
    path("export/", downloads.export_accounts, name="export"),
    path("export.xlsx", downloads.export_accounts_xlsx, name="export-xlsx"),
]
