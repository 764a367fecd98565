"""Smoke test of a served creditadmin, as an operator checks a deployment by hand.

    python deploy/smoke.py http://127.0.0.1:8000 --username U --password P --app-key K --app-token T

The health URL answers 200; the login page is served with its security headers; the user
logs in and sees the accounts list; an uploaded CSV is picked up by the background worker;
the API answers a key pair. Standard library only, so it runs against any host. Exits 1
with the failed step's message.
"""

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


class SmokeFailure(Exception):
    pass


class Browser:
    """Cookies, CSRF tokens and redirects, like a browser with JavaScript off."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, *, data: bytes | None = None, headers: dict | None = None):
        # base_url is checked to be http(s) in main().
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf_token(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise SmokeFailure("no CSRF token in the page")
        return match.group(1)

    def post_form(self, path: str, page: str, fields: dict):
        fields = {"csrfmiddlewaretoken": self.csrf_token(page), **fields}
        body = urllib.parse.urlencode(fields).encode()
        return self.request(path, data=body, headers={"Referer": self.base_url + path})

    def post_file(self, path: str, page: str, field: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.csrf_token(page)}\r\n--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.base_url + path,
        }
        return self.request(path, data=body, headers=headers)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def check_health(browser: Browser) -> None:
    status, _headers, body = browser.request("/health/")
    expect(status == 200, f"/health/ answered {status}: {body[:300]}")
    expect(json.loads(body)["status"] == "ok", f"/health/ says {body[:300]}")


def check_login(browser: Browser, username: str, password: str) -> None:
    status, headers, page = browser.request("/login/")
    expect(status == 200, f"/login/ answered {status}")
    policy = headers.get("Content-Security-Policy", "")
    expect("script-src 'self'" in policy, f"login page without a strict CSP: {policy!r}")
    status, _headers, page = browser.post_form(
        "/login/", page, {"username": username, "password": password}
    )
    expect(status == 200 and username in page, f"logging in as {username} failed ({status})")


def check_worker(browser: Browser, seconds: float = 60) -> None:
    status, _headers, page = browser.request("/imports/upload/")
    expect(status == 200, f"/imports/upload/ answered {status}")
    csv = f"Email\r\nsmoke-{uuid.uuid4().hex[:8]}@example.com\r\n".encode()
    status, headers, page = browser.post_file("/imports/upload/", page, "file", "smoke.csv", csv)
    job = re.search(r'/imports/jobs/(\d+)/progress/', page)
    expect(status == 200 and job is not None, f"the upload did not lead to a job page ({status})")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, headers, _fragment = browser.request(f"/imports/jobs/{job.group(1)}/progress/")
        if headers.get("HX-Refresh") == "true":
            return
        time.sleep(0.5)
    raise SmokeFailure(f"the background worker did not take import job {job.group(1)}")


def check_api(browser: Browser, app_key: str, app_token: str) -> None:
    headers = {"X-VTEX-API-AppKey": app_key, "X-VTEX-API-AppToken": app_token}
    status, _headers, body = browser.request("/api/creditcontrol/accounts", headers=headers)
    expect(status == 200, f"the API answered {status}: {body[:300]}")
    expect("summary" in json.loads(body), f"unexpected API answer: {body[:300]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--app-key", required=True)
    parser.add_argument("--app-token", required=True)
    options = parser.parse_args()
    if urllib.parse.urlsplit(options.base_url).scheme not in ("http", "https"):
        parser.error("base_url must be an http:// or https:// URL")
    browser = Browser(options.base_url)
    steps = [
        ("health URL", lambda: check_health(browser)),
        ("login", lambda: check_login(browser, options.username, options.password)),
        ("background worker", lambda: check_worker(browser)),
        ("API key", lambda: check_api(Browser(options.base_url), options.app_key,
                                      options.app_token)),
    ]  # fmt: skip
    for name, step in steps:
        try:
            step()
        except (SmokeFailure, OSError, ValueError, KeyError) as failure:
            print(f"smoke test FAILED at {name}: {failure}", file=sys.stderr)
            return 1
        print(f"smoke test: {name} ok")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
