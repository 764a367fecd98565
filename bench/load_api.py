"""A bounded load test of the HTTP API: concurrent clients for a fixed time, on loopback only.

Each client keeps one HTTP/1.1 connection and sends a mix of searches (by e-mail), retrieves
and credit-limit changes on the accounts `load-0001`, `load-0002`, … (made or reset first
with PUT, so runs can be repeated). With a target rate the requests are sent on a fixed
schedule shared by all clients, and each latency counts from the moment its request was due:
a server that falls behind shows it in the figures instead of slowing the schedule down.
Without one every client sends its next request as soon as the last one is answered.

Run by `manage.py load_api` (which makes the API key), itself run by `make load`.
"""

import http.client
import ipaddress
import json
import random
import socket
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

OPERATIONS = {"search": 4, "retrieve": 4, "credit-limit": 2}


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in OPERATIONS})
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[operation].append(seconds)
            if error:
                self.errors[f"{operation}: {error}"] += 1


def loopback_address(url: str) -> tuple[str, int]:
    """Host and port of `url`, refused unless every address it names is this machine's."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"{url}: the load test speaks plain http to this machine only")
    port = parts.port or 80
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except OSError as failure:
        raise ValueError(f"{url}: {parts.hostname} cannot be resolved ({failure})") from None
    if not all(ipaddress.ip_address(address).is_loopback for address in addresses):
        raise ValueError(f"{url} is not a loopback address: the load test never leaves this host")
    return parts.hostname, port


class ApiClient:
    """One keep-alive connection with the key headers."""

    def __init__(self, host: str, port: int, app_key: str, app_token: str):
        self.host, self.port = host, port
        self.headers = {
            "X-VTEX-API-AppKey": app_key,
            "X-VTEX-API-AppToken": app_token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.connection = http.client.HTTPConnection(host, port, timeout=30)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body) if body is not None else None
        try:
            self.connection.request(method, "/api/creditcontrol" + path, payload, self.headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            # Reconnect for the next request; this one counts as an error.
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise


def account_id(number: int) -> str:
    return f"load-{number:04d}"


def prepare_accounts(client: ApiClient, count: int) -> None:
    """Open (or reset) the accounts the load works on, through the API itself."""
    for number in range(1, count + 1):
        status, body = client.call(
            "PUT",
            f"/accounts/{account_id(number)}",
            {"email": f"load-{number:04d}@example.com", "creditLimit": "1000.00"},
        )
        if status != 200:
            raise RuntimeError(f"preparing {account_id(number)}: {status} {body[:200]!r}")


def send_one(client: ApiClient, operation: str, accounts: int) -> tuple[int, bytes]:
    number = random.randint(1, accounts)
    if operation == "search":
        return client.call("GET", f"/accounts?email=load-{number:04d}@example.com")
    if operation == "retrieve":
        return client.call("GET", f"/accounts/{account_id(number)}")
    limit = f"{random.randint(100, 50_000)}.00"
    return client.call("PUT", f"/accounts/{account_id(number)}/creditlimit", {"value": limit})


class Schedule:
    """Hands out send times: every 1/rate seconds from the start, or 'now' without a rate."""

    def __init__(self, rate: float, seconds: float):
        self.rate, self.start = rate, time.perf_counter()
        self.end = self.start + seconds
        self.sent = 0
        self.lock = threading.Lock()

    def next_due(self) -> float | None:
        with self.lock:
            due = self.start + self.sent / self.rate if self.rate else time.perf_counter()
            if due >= self.end:
                return None
            self.sent += 1
            return due


def run_client(client: ApiClient, schedule: Schedule, results: Results, accounts: int) -> None:
    operations, weights = list(OPERATIONS), list(OPERATIONS.values())
    while (due := schedule.next_due()) is not None:
        time.sleep(max(0.0, due - time.perf_counter()))
        operation = random.choices(operations, weights)[0]
        try:
            status, _body = send_one(client, operation, accounts)
            error = None if status == 200 else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as failure:
            error = type(failure).__name__
        results.record(operation, time.perf_counter() - due, error)


def percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=1000, method="inclusive")[int(fraction * 1000) - 1]


def run(
    url: str, *, app_key: str, app_token: str, clients: int, seconds: float, rate: float,
    accounts: int, write,
) -> dict:  # fmt: skip
    host, port = loopback_address(url)
    prepare_accounts(ApiClient(host, port, app_key, app_token), accounts)
    pace = f"{rate:g} requests/s" if rate else "as fast as answered"
    write(f"load: {clients} clients for {seconds:g} s, {pace}, on {url} ({accounts} accounts)")
    results, schedule = Results(), Schedule(rate, seconds)
    threads = [
        threading.Thread(
            target=run_client,
            args=(ApiClient(host, port, app_key, app_token), schedule, results, accounts),
        )
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - schedule.start
    every = [latency for values in results.latencies.values() for latency in values]
    summary = {
        "requests": len(every),
        "errors": sum(results.errors.values()),
        "rps": len(every) / elapsed,
        "p50_ms": percentile(every, 0.50) * 1000,
        "p95_ms": percentile(every, 0.95) * 1000,
        "p99_ms": percentile(every, 0.99) * 1000,
        "max_ms": max(every, default=0.0) * 1000,
    }
    write(f"{'operation':<13} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for operation, values in results.latencies.items():
        write(
            f"{operation:<13} {len(values):>9,} {percentile(values, 0.50) * 1000:>8.1f} "
            f"{percentile(values, 0.95) * 1000:>8.1f} {percentile(values, 0.99) * 1000:>8.1f}"
        )
    for error, count in results.errors.most_common():
        write(f"error {count:>6,} × {error}")
    write(
        f"requests={summary['requests']} errors={summary['errors']} rps={summary['rps']:.1f} "
        f"p50_ms={summary['p50_ms']:.1f} p95_ms={summary['p95_ms']:.1f} "
        f"p99_ms={summary['p99_ms']:.1f} max_ms={summary['max_ms']:.1f}"
    )
    return summary
