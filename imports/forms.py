"""The import wizard's two forms: the Create / Update choice and the upload."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import spreadsheets
from .rejections import FileRejected


class ImportChoiceForm(forms.Form):
    """Accounts › Import: "Do you want to create or update accounts?"."""

    CREATE = "create"
    UPDATE = "update"

    action = forms.ChoiceField(
        label=_("Do you want to create or update accounts?"),
        choices=[
            (CREATE, _("Create: download the template to fill in")),
            (UPDATE, _("Update: upload a filled template (new accounts and changes)")),
        ],
        widget=forms.RadioSelect,
        initial=UPDATE,
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "The filled template as an Excel (.xlsx) or LibreOffice (.ods) spreadsheet, or "
            "saved as CSV (comma or semicolon separated)."
        ),
    )

    @staticmethod
    def too_large_error(size: int) -> forms.ValidationError:
        return forms.ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES),
            },
            code="too_large",
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Before the file is stored or read as CSV (the view refuses far larger requests
        # before even receiving them).
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise self.too_large_error(upload.size)
        if upload.size == 0:
            raise forms.ValidationError(
                _(
                    "The file is empty. Fill in the template (header row, then one row per "
                    "account)."
                ),
                code="empty",
            )
        # A workbook the import cannot read (.xls, macros, a password, a zip bomb) is refused
        # here, from its zip directory, so that it is never stored.
        if spreadsheets.is_workbook(upload.read(8)):
            upload.seek(0)
            try:
                spreadsheets.check_workbook(upload)
            except FileRejected as rejected:
                raise forms.ValidationError(rejected.message, code=rejected.code) from None
        upload.seek(0)
        return upload
