import json
import logging
import sys

from creditadmin.logs import JsonFormatter


def format_line(record: logging.LogRecord) -> str:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return line


def test_an_error_with_its_traceback_is_one_json_line():
    try:
        raise ValueError("bad row")
    except ValueError:
        record = logging.LogRecord(
            "imports", logging.ERROR, __file__, 1, "Job %s failed", (7,), sys.exc_info()
        )

    entry = json.loads(format_line(record))

    assert entry["level"] == "ERROR"
    assert entry["logger"] == "imports"
    assert entry["message"] == "Job 7 failed"
    assert "ValueError: bad row" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_a_gunicorn_access_line_carries_the_request_as_fields():
    atoms = {"h": "127.0.0.1", "m": "GET", "U": "/health/", "q": "", "s": "200", "B": 128,
             "M": 3, "a": "curl/8", "r": "GET /health/ HTTP/1.1"}  # fmt: skip
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s', atoms, None
    )

    entry = json.loads(format_line(record))

    assert entry["message"] == '127.0.0.1 "GET /health/ HTTP/1.1" 200'
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == (
        "GET", "/health/", "200", 3,
    )  # fmt: skip
