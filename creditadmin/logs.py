"""Log records as one JSON object per line, the shape log collectors parse without rules."""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

# gunicorn's access log hands its request atoms over as the record's arguments.
ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "a": "user_agent",
}


class JsonFormatter(logging.Formatter):
    """time, level, logger and message; request fields for access lines; the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update({field: record.args.get(atom) for atom, field in ACCESS_FIELDS.items()})
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
