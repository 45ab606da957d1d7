"""Building blocks for load, fault and throughput scripts: gunicorn, a static server, wrk, RSS.

Everything runs on 127.0.0.1, on free ports, with bounded durations. Typical use::

    from bench.harness import GunicornServer, StaticServer, run_wrk, http_get

    with GunicornServer(workers=2) as server:            # production settings, DEBUG off
        status, headers, body, ms = http_get(server.url("/healthz"))
        result = run_wrk(server.url("/altmark/"), connections=8, duration=10)
        print(result["requests_per_s"], result["latency_ms"]["p50"], result["latency_ms"]["p99"])
        print(server.worker_rss())                        # [{'pid':…, 'rss_mb':…, 'peak_mb':…}]

    with StaticServer("/tmp/site") as static:             # a plain static file server
        run_wrk(static.url("/index.html"), connections=1, duration=5)

``GunicornServer(workers=2, settings="cms.settings.production", env=None, collectstatic=True,
timeout=60, threads=1, log_path=None)``

- starts ``gunicorn cms.wsgi:application`` from the project's virtualenv (``.venv``, else the
  running interpreter) in its own process group, on a free port;
- environment: the caller's environment (so ``DATABASE_URL`` and ``REDIS_URL`` pass through),
  plus ``DJANGO_SETTINGS_MODULE=settings``, ``DEBUG=false``, ``SECURE_SSL_REDIRECT=false``,
  ``SECURE_HSTS_SECONDS=0``, ``ALLOWED_HOSTS=127.0.0.1,localhost``, a random ``SECRET_KEY`` when
  none is set, ``DATABASE_CONN_MAX_AGE=60`` unless set; ``env`` overrides any of these;
- ``collectstatic=True`` collects static files into a temporary ``STATIC_ROOT`` first, so that
  whitenoise (when the settings use it) serves them;
- waits until ``GET /healthz`` answers 200 (``timeout`` seconds), raises ``ServerError`` with
  the tail of gunicorn's log when it does not or the process dies;
- ``server.url(path)``, ``server.port``, ``server.pid`` (the master), ``server.worker_pids()``,
  ``server.worker_rss()`` (current and peak RSS per worker from ``/proc``), ``server.log()``;
  ``server.stop()`` (also on leaving the ``with`` block): SIGTERM to the master, SIGKILL to
  the group after 15 s.

``run_wrk(url, connections=1, duration=5, threads=None, headers=None, timeout_s=5)`` runs
``wrk --latency`` (installed with apt when missing and running as root, see ``ensure_wrk``)
and returns ``{"url", "connections", "duration_s", "requests", "requests_per_s",
"latency_ms": {"p50", "p75", "p90", "p99", "avg", "max"}, "errors": {"connect", "read",
"write", "timeout"}, "non_2xx_3xx", "transfer_per_s"}``. ``headers`` is a dict of request
headers (e.g. ``{"If-None-Match": etag}``).

``http_get(url, headers=None, timeout=30)`` -> ``(status, headers_dict_lowercase, body, ms)``
without following redirects. ``free_port()`` returns an unused TCP port on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """A server did not come up (the message holds the tail of its log)."""


def python_executable() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http_get(url: str, headers: dict | None = None, timeout: float = 30):
    """GET without redirects: (status, lower-case headers, body bytes, milliseconds)."""
    request = urllib.request.Request(url, headers=headers or {})
    start = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read()
            status, raw_headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        body = error.read()
        status, raw_headers = error.code, error.headers
    ms = (time.perf_counter() - start) * 1000
    return status, {k.lower(): v for k, v in raw_headers.items()}, body, ms


def _read_status(pid: int) -> dict:
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            values[key] = value.strip()
    return values


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if int(_read_status(int(entry.name)).get("PPid", "0")) == pid:
                children.append(int(entry.name))
    return sorted(children)


def rss_of(pid: int) -> dict:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process in MB."""
    status = _read_status(pid)

    def mb(key):
        value = status.get(key, "0 kB").split()[0]
        return round(int(value) / 1024, 1)

    return {"pid": pid, "rss_mb": mb("VmRSS"), "peak_mb": mb("VmHWM")}


class _Process:
    """Shared start/stop logic for a server subprocess in its own process group."""

    proc: subprocess.Popen | None = None
    port: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc else 0

    def log(self, tail: int = 60) -> str:
        path = getattr(self, "log_path", None)
        if not path or not Path(path).exists():
            return ""
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-tail:])

    def _wait_ready(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                status, _, _, _ = http_get(self.url(path), timeout=5)
                if status == 200:
                    return
                last = f"status {status}"
            except (OSError, urllib.error.URLError) as error:
                last = str(error)
            time.sleep(0.2)
        self.stop()
        raise ServerError(f"not ready after {timeout} s ({last}):\n{self.log()}")

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        cleanup = getattr(self, "_tmp", None)
        if cleanup is not None:
            cleanup.cleanup()
        return False


class GunicornServer(_Process):
    def __init__(
        self,
        workers: int = 2,
        settings: str = "cms.settings.production",
        env: dict | None = None,
        collectstatic: bool = True,
        timeout: float = 60,
        threads: int = 1,
        log_path: str | None = None,
        ready_path: str = "/healthz",
    ):
        self.workers = workers
        self.settings = settings
        self.extra_env = env or {}
        self.collectstatic = collectstatic
        self.timeout = timeout
        self.threads = threads
        self.ready_path = ready_path
        self._tmp = tempfile.TemporaryDirectory(prefix="kig-gunicorn-")
        self.log_path = log_path or str(Path(self._tmp.name) / "gunicorn.log")

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": self.settings,
                "DEBUG": "false",
                "SECURE_SSL_REDIRECT": "false",
                "SECURE_HSTS_SECONDS": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        env.setdefault("DATABASE_CONN_MAX_AGE", "60")
        env.setdefault("STATIC_ROOT", str(Path(self._tmp.name) / "static"))
        env.setdefault("LOG_LEVEL", "WARNING")
        env.update({key: str(value) for key, value in self.extra_env.items()})
        return env

    def start(self) -> None:
        env = self.environment()
        python = python_executable()
        if self.collectstatic:
            collected = subprocess.run(
                [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if collected.returncode != 0:
                raise ServerError(f"collectstatic failed:\n{collected.stderr[-3000:]}")
        self.port = free_port()
        command = [
            python,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--log-level",
            "warning",
            "--error-logfile",
            self.log_path,
            "--graceful-timeout",
            "10",
        ]
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log_path, "ab"),  # noqa: SIM115 - lives as long as the server
            start_new_session=True,
        )
        self._wait_ready(self.ready_path, self.timeout)

    def worker_pids(self) -> list[int]:
        return _children(self.pid) if self.pid else []

    def worker_rss(self) -> list[dict]:
        return [rss_of(pid) for pid in self.worker_pids()]


class StaticServer(_Process):
    """Python's threading http.server on a folder: a plain static server, as a reference."""

    def __init__(self, directory: str | Path, timeout: float = 20):
        self.directory = str(directory)
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="kig-static-")
        self.log_path = str(Path(self._tmp.name) / "static.log")

    def start(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                str(self.port),
                "--bind",
                HOST,
                "--directory",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.log_path, "ab"),  # noqa: SIM115
            start_new_session=True,
        )
        self._wait_ready("/", self.timeout)


def ensure_wrk() -> str:
    """Path of wrk; installs Debian's package when missing and running as root."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True, check=True)
        path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is missing: install it with `sudo apt-get install wrk`.")
    return path


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        return float("nan")
    return round(float(match.group(1)) * _UNITS_MS[match.group(2)], 3)


def parse_wrk(output: str) -> dict:
    result: dict = {"latency_ms": {}, "errors": {}, "non_2xx_3xx": 0}
    match = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", output)
    if match:
        result["latency_ms"]["avg"] = _to_ms(match.group(1))
        result["latency_ms"]["max"] = _to_ms(match.group(3))
    for percent, key in (("50", "p50"), ("75", "p75"), ("90", "p90"), ("99", "p99")):
        match = re.search(rf"^\s+{percent}(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
        if match:
            result["latency_ms"][key] = _to_ms(match.group(1))
    match = re.search(r"(\d+) requests in", output)
    result["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    result["requests_per_s"] = round(float(match.group(1)), 1) if match else 0.0
    match = re.search(r"Transfer/sec:\s+(\S+)", output)
    result["transfer_per_s"] = match.group(1) if match else ""
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    keys = ("connect", "read", "write", "timeout")
    result["errors"] = {key: int(match.group(i + 1)) if match else 0 for i, key in enumerate(keys)}
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(match.group(1)) if match else 0
    return result


def run_wrk(
    url: str,
    connections: int = 1,
    duration: float = 5,
    threads: int | None = None,
    headers: dict | None = None,
    timeout_s: float = 5,
) -> dict:
    """A bounded wrk run against ``url``; returns the parsed numbers (see module docstring)."""
    wrk = ensure_wrk()
    threads = threads or max(1, min(connections, os.cpu_count() or 1))
    command = [
        wrk,
        "--latency",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(duration))}s",
        "--timeout",
        f"{max(1, round(timeout_s))}s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + timeout_s + 30
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    result = parse_wrk(completed.stdout)
    result.update({"url": url, "connections": connections, "duration_s": round(duration)})
    return result
