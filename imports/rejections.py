"""The refusal of a whole uploaded file, shared by the CSV and the spreadsheet readers."""


class FileRejected(Exception):
    """The whole file is refused before any row is read; ``message`` tells staff the fix."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
