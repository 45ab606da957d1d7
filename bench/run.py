"""The benchmark suite behind ``make bench`` (issue 9; results in docs/performance.md).

    make bench                                         # N = 1,000 and 10,000, 10 s per run
    make bench BENCH_SIZES=1000 BENCH_DURATION=5       # quick smoke run
    .venv/bin/python bench/run.py --sizes 1000 --duration 5 --no-docs

For every size N it creates a fresh database (PostgreSQL when ``DATABASE_URL`` points there:
``kig_bench_<N>`` on that server, dropped and re-created; else a SQLite file in a temporary
folder), fills it with ``bench.dataset`` (N places in four regions with images, tags,
offers, links and stories of typical length, search index included), counts the SQL queries
per URL through Django's test client, and then measures with wrk against gunicorn
(``bench.harness``: 2 workers, ``cms.settings.production``, DEBUG off) on 127.0.0.1:

- home, region, place, ``/orte/`` with a filter, search, API v2 listing of 100 places with
  all fields, GeoJSON, CSV — at 1 and 8 connections, with the page cache off (uncached) and
  on (cache hit);
- the floor of the stack: a static file from the same gunicorn/whitenoise; and, when
  ``build_frontend`` exists, the generated place page from a plain static server;
- GeoJSON cold (cache emptied before each request) and a conditional request (304);
- peak RSS of each gunicorn worker after the load;
- ``build_frontend``: pages per second for a full build and seconds for an incremental one.

A private Redis (``redis-server`` on a free port, no persistence) is started as the cache
when the binary exists, so the machine's Redis is never flushed. Results go to
``bench/results/bench-<date>.json`` and, unless ``--no-docs``, docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    GunicornServer,
    StaticServer,
    ensure_wrk,
    free_port,
    http_get,
    python_executable,
    run_wrk,
)
from bench.report import format_table, python_speed, write_results  # noqa: E402

PAGES = {
    "home": "/",
    "region": "/altmark/",
    "place": None,  # filled in from the data set
    "orte_filtered": "/orte/?category=arbeiten-wirtschaft",
    "search": "/suche/?q=Scheune",
}
API = {
    "api_v2_listing_100": "/api/v2/pages/?type=places.PlacePage&fields=*&limit=100",
    "geojson": "/api/orte.geojson",
    "csv": "/api/orte.csv",
}

# Targets of issue 9 (ratios are of the static file's throughput at the same connections).
TARGETS = {
    "place_queries": 10,
    "listing_queries": 12,
    "api_queries": 15,
    "place_ratio": 1 / 10,
    "listing_ratio": 1 / 15,
    "hit_ratio": 1 / 3,
    "api_ratio": 1 / 30,
    "geojson_cold_ms": 300,
    "geojson_304_ms": 5,
    "build_pages_per_s": 100,
    "incremental_s": 3,
    "worker_rss_mb": 200,
}


# --------------------------------------------------------------------------------------
# Infrastructure: databases, a private Redis, a media folder
# --------------------------------------------------------------------------------------


class Infrastructure:
    def __init__(self, keep: bool = False):
        self.tmp = Path(tempfile.mkdtemp(prefix="kig-bench-"))
        self.media = self.tmp / "media"
        self.keep = keep
        self.redis = None
        self.redis_url = os.environ.get("REDIS_URL", "")
        self.base_url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.base_url.startswith(("postgres://", "postgresql://"))

    def __enter__(self):
        manage("collectstatic", "--noinput", "-v", "0", env=self.env(self.base_url))
        redis = shutil.which("redis-server")
        if redis:
            port = free_port()
            self.redis = subprocess.Popen(
                [
                    *(redis, "--port", str(port), "--bind", "127.0.0.1", "--save", ""),
                    *("--appendonly", "no", "--maxmemory", "512mb"),
                    *("--maxmemory-policy", "allkeys-lru"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not self.redis_ping():
                time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def redis_command(self, *args: str) -> str:
        """Send one command to the private Redis (RESP over a socket, no client library)."""
        import socket

        parts = urlsplit(self.redis_url)
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a)}\r\n{a}\r\n" for a in args)
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
            sock.sendall(payload.encode())
            return sock.recv(4096).decode(errors="replace")

    def redis_ping(self) -> bool:
        try:
            return "PONG" in self.redis_command("PING")
        except OSError:
            return False

    def flush_cache(self) -> bool:
        """Empty the private Redis (never the machine's); False when there is none."""
        if not self.redis:
            return False
        return "OK" in self.redis_command("FLUSHALL")

    def env(self, database_url: str) -> dict:
        env = {
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(self.media),
            "STATIC_ROOT": str(self.tmp / "static"),
            "CACHE_KEY_PREFIX": "bench",
        }
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        return env

    # Databases -------------------------------------------------------------------------

    def _pg_url(self, name: str) -> str:
        parts = urlsplit(self.base_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _pg_admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self._pg_url("postgres"), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def template(self) -> str:
        """A migrated, empty database to copy for each size."""
        if self.postgres:
            self._pg_admin(
                "DROP DATABASE IF EXISTS kig_bench_template WITH (FORCE)",
                "CREATE DATABASE kig_bench_template",
            )
            url = self._pg_url("kig_bench_template")
        else:
            url = f"sqlite:///{self.tmp / 'template.sqlite3'}"
        manage("migrate", "--noinput", "-v", "0", env=self.env(url))
        return url

    def database(self, size: int) -> str:
        if self.postgres:
            name = f"kig_bench_{size}"
            self._pg_admin(
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                f"CREATE DATABASE {name} TEMPLATE kig_bench_template",
            )
            return self._pg_url(name)
        path = self.tmp / f"bench-{size}.sqlite3"
        shutil.copyfile(self.tmp / "template.sqlite3", path)
        return f"sqlite:///{path}"


def child_env(extra: dict) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [python_executable(), "manage.py", *args],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{completed.stderr[-4000:]}")
    return completed


def child(command: str, env: dict, *args: str) -> dict:
    """Run a step of this script in a fresh Django process; it prints JSON last."""
    completed = subprocess.run(
        [python_executable(), str(Path(__file__).resolve()), command, *args],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------
# Steps that run inside Django (subprocesses)
# --------------------------------------------------------------------------------------


def _django():
    import django

    django.setup()


def step_fill(size: int) -> dict:
    _django()
    from bench.dataset import analyze, create_places, index_places
    from places.models import PlacePage
    from regions.models import RegionPage

    start = time.perf_counter()
    create_places(size)
    created = time.perf_counter()
    index_places(list(PlacePage.objects.values_list("pk", flat=True)))
    analyze()
    seconds = time.perf_counter() - start
    region = RegionPage.objects.get(slug="altmark")
    place = PlacePage.objects.child_of(region).live().order_by("pk")[size // 8]
    return {
        "fill_seconds": round(seconds, 1),
        "create_seconds": round(created - start, 1),
        "index_seconds": round(seconds - (created - start), 1),
        "place_url": place.url,
    }


def step_queries(urls: dict) -> dict:
    _django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    counts = {}
    for name, url in urls.items():
        # What rendering costs: the API's response cache and the kept parts of pages off
        # too (they stay on under load).
        with override_settings(
            PAGE_CACHE_SECONDS=0, PLACES_API_RESPONSE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0
        ):
            client.get(url)  # renditions, lookups
            cache.clear()
            client.get(url)  # refill what a warm process keeps (site root paths, …)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            # Count now: the next request's request_started signal empties the log.
            uncached = len(captured)
        # The page cache off, the kept parts of pages (cards, filter choices, counts) warm.
        with override_settings(PAGE_CACHE_SECONDS=0, PLACES_API_RESPONSE_CACHE_SECONDS=0):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            kept = len(captured)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        hit = len(captured)
        counts[name] = {
            "status": response.status_code,
            "uncached": uncached,
            "kept": kept,
            "hit": hit,
            "bytes": len(response.content),
        }
    return counts


# --------------------------------------------------------------------------------------
# Measurements (orchestrator side)
# --------------------------------------------------------------------------------------


def wrk_both(url: str, connections: list[int], duration: float, headers=None) -> dict:
    results = {}
    for count in connections:
        result = run_wrk(url, connections=count, duration=duration, headers=headers)
        results[f"c{count}"] = {
            "requests_per_s": result["requests_per_s"],
            "p50_ms": result["latency_ms"].get("p50"),
            "p99_ms": result["latency_ms"].get("p99"),
            "errors": sum(result["errors"].values()),
            "non_2xx_3xx": result["non_2xx_3xx"],
        }
    return results


def static_asset(server) -> str:
    _, _, body, _ = http_get(server.url("/"))
    match = re.search(rb'href="(/static/[^"]+\.css)"', body)
    return match.group(1).decode() if match else "/static/css/site.css"


def median_ms(url: str, runs: int, headers=None, before=None) -> tuple[float, int]:
    times, status = [], 0
    for _ in range(runs):
        if before:
            before()
        status, _, _, ms = http_get(url, headers=headers)
        times.append(ms)
    return round(statistics.median(times), 2), status


def measure_size(infra, size, database_url, urls, args) -> dict:
    env = infra.env(database_url)
    result: dict = {}
    # 1. The page cache off: everything a visitor costs when nothing is cached.
    with GunicornServer(
        collectstatic=False, workers=args.workers, env={**env, "PAGE_CACHE_SECONDS": "0"}
    ) as server:
        for url in urls.values():
            http_get(server.url(url))
            http_get(server.url(url))
        asset = static_asset(server)
        status, _, _, _ = http_get(server.url(asset))
        result["static_floor"] = {
            "url": asset,
            "status": status,
            **wrk_both(server.url(asset), args.connections, args.duration),
        }
        result["uncached"] = {
            name: wrk_both(server.url(url), args.connections, args.duration)
            for name, url in urls.items()
        }
        geojson = server.url(API["geojson"])
        cold, status = median_ms(geojson, 5, before=infra.flush_cache)
        result["geojson_cold_ms"] = cold if infra.redis else None
        _, headers, _, _ = http_get(geojson)
        etag = headers.get("etag", "")
        result["geojson_304_ms"], result["geojson_304_status"] = median_ms(
            geojson, 30, headers={"If-None-Match": etag}
        )
        result["geojson_304"] = wrk_both(geojson, [1], args.duration, {"If-None-Match": etag})
        result["worker_rss"] = server.worker_rss()
    # 2. Nothing kept either (FRAGMENT_CACHE_SECONDS=0): every card, filter form and count
    # from the database, as right after a change of images or fields (pages only).
    top = [max(args.connections)]
    with GunicornServer(
        collectstatic=False,
        workers=args.workers,
        env={**env, "PAGE_CACHE_SECONDS": "0", "FRAGMENT_CACHE_SECONDS": "0"},
    ) as server:
        for url in page_urls(urls).values():
            http_get(server.url(url))
        result["nothing_kept"] = {
            name: wrk_both(server.url(url), top, args.duration)
            for name, url in page_urls(urls).items()
        }
    # 3. The page cache on: every page a cache hit after the first request.
    with GunicornServer(collectstatic=False, workers=args.workers, env=env) as server:
        for url in page_urls(urls).values():
            http_get(server.url(url))
            http_get(server.url(url))
        result["hit"] = {
            name: wrk_both(server.url(url), args.connections, args.duration)
            for name, url in page_urls(urls).items()
        }
        place = server.url(urls["place"])
        _, headers, _, _ = http_get(place)
        result["place_cache_header"] = headers.get("x-page-cache", "")
        if headers.get("etag"):
            result["place_304_ms"], result["place_304_status"] = median_ms(
                place, 30, headers={"If-None-Match": headers["etag"]}
            )
        result["worker_rss_cached"] = server.worker_rss()
    return result


def page_urls(urls: dict) -> dict:
    return {name: url for name, url in urls.items() if name in PAGES}


def build_available() -> bool:
    try:
        completed = subprocess.run(
            [python_executable(), "manage.py", "help", "build_frontend"],
            cwd=ROOT,
            env=child_env({}),
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        return False
    return completed.returncode == 0


def build_help() -> str:
    return manage("help", "build_frontend", env={}).stdout


def measure_build(infra, database_url, urls, args) -> dict:
    if not build_available():
        return {"available": False}
    env = infra.env(database_url)
    output = infra.tmp / "site"
    start = time.perf_counter()
    completed = subprocess.run(
        [python_executable(), "manage.py", "build_frontend", "--output", str(output)],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        return {"available": True, "error": completed.stderr[-2000:]}
    pages = sum(1 for _ in output.rglob("*.html"))
    result = {
        "available": True,
        "full_seconds": round(seconds, 1),
        "html_files": pages,
        "pages_per_s": round(pages / seconds, 1) if seconds else None,
    }
    result["incremental"] = measure_incremental(env, output, urls)
    with StaticServer(output) as server:
        place = urls["place"]
        status, _, _, _ = http_get(server.url(place))
        result["static_place_status"] = status
        result["static_place"] = wrk_both(server.url(place), args.connections, args.duration)
    return result


def measure_incremental(env, output, urls) -> dict:
    """Publish one place (a new revision) and time the incremental rebuild."""
    text = build_help()
    flag = next(
        (f for f in ("--incremental", "--changed", "--since-last") if f in text),
        None,
    )
    if flag is None:
        return {"available": False, "help": text[-800:]}
    child("_publish", env, urls["place"])
    start = time.perf_counter()
    completed = subprocess.run(
        [python_executable(), "manage.py", "build_frontend", "--output", str(output), flag],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return {
        "available": True,
        "flag": flag,
        "seconds": round(seconds, 2),
        "status": completed.returncode,
        "stderr": completed.stderr[-500:] if completed.returncode else "",
    }


def step_publish(url: str) -> dict:
    _django()
    from places.models import PlacePage

    place = next(p for p in PlacePage.objects.live() if p.url == url)
    place.teaser = (place.teaser + " (aktualisiert)")[:200]
    place.save_revision().publish()
    return {"published": place.pk}


# --------------------------------------------------------------------------------------
# Evaluation and the documentation page
# --------------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = match.group(1).strip() if match else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f"{int(match.group(1)) // 1024} MB" if match else ""
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 1) for value in os.getloadavg()],
        "python_loop_s": python_speed(),
    }


def evaluate(report: dict) -> list[dict]:
    """One row per target: measured value, target, met or not."""
    rows = []
    sizes = sorted(report["sizes"], key=int)
    largest = report["sizes"][sizes[-1]]
    top = f"c{max(report['connections'])}"
    floor = largest["static_floor"][top]["requests_per_s"] or 1

    def ratio(value):
        return round(value / floor, 3) if floor else None

    def add(name, measured, target, met, note=""):
        rows.append(
            {"target": name, "measured": measured, "goal": target, "met": met, "note": note}
        )

    q = largest["queries"]

    def nothing_kept(name):
        values = largest.get("nothing_kept", {}).get(name, {}).get(top)
        if not values:
            return ""
        rps = values["requests_per_s"]
        return f" (nothing kept: {rps} req/s = {ratio(rps)})"

    place_rps = largest["uncached"]["place"][top]["requests_per_s"]
    add(
        f"place page uncached, {sizes[-1]} places",
        f"{place_rps} req/s = {ratio(place_rps)} of static{nothing_kept('place')}; "
        f"{q['place']['uncached']} queries",
        "≥ 1/10 of static, ≤ 10 queries",
        ratio(place_rps) >= TARGETS["place_ratio"]
        and q["place"]["uncached"] <= TARGETS["place_queries"],
    )
    for name in ("region", "orte_filtered"):
        counts = [report["sizes"][s]["queries"][name]["uncached"] for s in sizes]
        rps = largest["uncached"][name][top]["requests_per_s"]
        add(
            f"{name} uncached",
            f"{rps} req/s = {ratio(rps)} of static{nothing_kept(name)}; "
            f"queries {counts} at {sizes}",
            "≥ 1/15 of static, ≤ 12 queries, same at every size",
            ratio(rps) >= TARGETS["listing_ratio"]
            and max(counts) <= TARGETS["listing_queries"]
            and len(set(counts)) == 1,
        )
    hits = {name: values[top]["requests_per_s"] for name, values in largest["hit"].items()}
    worst = min(hits, key=hits.get)
    hit_queries = max(values["hit"] for name, values in q.items() if name in PAGES)
    add(
        "any page as a cache hit",
        f"slowest {worst}: {hits[worst]} req/s = {ratio(hits[worst])} of static; "
        f"max {hit_queries} queries",
        "≥ 1/3 of static, 0 queries",
        ratio(hits[worst]) >= TARGETS["hit_ratio"] and hit_queries == 0,
    )
    api_rps = largest["uncached"]["api_v2_listing_100"][top]["requests_per_s"]
    add(
        "API v2 listing of 100, all fields",
        f"{api_rps} req/s = {ratio(api_rps)} of static; "
        f"{q['api_v2_listing_100']['uncached']} queries",
        "≥ 1/30 of static, ≤ 15 queries",
        ratio(api_rps) >= TARGETS["api_ratio"]
        and q["api_v2_listing_100"]["uncached"] <= TARGETS["api_queries"],
    )
    cold = largest.get("geojson_cold_ms")
    add(
        f"GeoJSON of {sizes[-1]} places, cold",
        f"{cold} ms" if cold is not None else "not measured (no private Redis)",
        "< 300 ms",
        cold is not None and cold < TARGETS["geojson_cold_ms"],
    )
    add(
        "GeoJSON conditional request (304)",
        f"{largest['geojson_304_ms']} ms (status {largest['geojson_304_status']})",
        "< 5 ms",
        largest["geojson_304_ms"] < TARGETS["geojson_304_ms"]
        and largest["geojson_304_status"] == 304,
    )
    build = report.get("build", {})
    if build.get("pages_per_s") is not None:
        add(
            f"build_frontend full build, {sizes[-1]} places",
            f"{build['pages_per_s']} pages/s ({build['html_files']} pages)",
            "≥ 100 pages/s",
            build["pages_per_s"] >= TARGETS["build_pages_per_s"],
        )
        incremental = build.get("incremental", {})
        add(
            "build_frontend incremental after one publish (an existing place, new teaser;"
            " a new place: docs/static-site.md)",
            f"{incremental.get('seconds')} s"
            if incremental.get("available")
            else "no incremental option",
            "< 3 s",
            bool(incremental.get("available"))
            and incremental.get("status") == 0
            and incremental["seconds"] < TARGETS["incremental_s"],
        )
    else:
        add("build_frontend", "missing", "≥ 100 pages/s; incremental < 3 s", False)
    peak = max(
        (w["peak_mb"] for w in largest["worker_rss"] + largest.get("worker_rss_cached", [])),
        default=0,
    )
    add("gunicorn worker peak RSS after the load", f"{peak} MB", "< 200 MB", 0 < peak < 200)
    return rows


def tables(report: dict) -> str:
    parts = []
    for size, data in sorted(report["sizes"].items(), key=lambda item: int(item[0])):
        rows = []
        for name in [*data["uncached"].keys()]:
            row = {"url": name, "queries": data["queries"][name]["uncached"]}
            for count in report["connections"]:
                key = f"c{count}"
                values = data["uncached"][name][key]
                row[f"req/s {key}"] = values["requests_per_s"]
                row[f"p50 {key}"] = values["p50_ms"]
                row[f"p99 {key}"] = values["p99_ms"]
                if name in data["hit"]:
                    row[f"hit req/s {key}"] = data["hit"][name][key]["requests_per_s"]
            row["hit queries"] = data["queries"][name]["hit"] if name in PAGES else None
            if name in PAGES:
                row["kept queries"] = data["queries"][name].get("kept")
            nothing_kept = data.get("nothing_kept", {}).get(name)
            if nothing_kept:
                top = f"c{max(report['connections'])}"
                row[f"nothing kept req/s {top}"] = nothing_kept[top]["requests_per_s"]
            rows.append(row)
        for label, source in (
            ("static file (gunicorn)", data["static_floor"]),
            ("generated page (static server)", report.get("build", {}).get("static_place")),
        ):
            if not source:
                rows.append({"url": label + ": missing"})
                continue
            row = {"url": label}
            for count in report["connections"]:
                key = f"c{count}"
                row[f"req/s {key}"] = source[key]["requests_per_s"]
                row[f"p50 {key}"] = source[key]["p50_ms"]
                row[f"p99 {key}"] = source[key]["p99_ms"]
            rows.append(row)
        columns = ["queries", "kept queries"]
        for count in report["connections"]:
            key = f"c{count}"
            columns += [f"req/s {key}", f"p50 {key}", f"p99 {key}", f"hit req/s {key}"]
        columns += ["hit queries", f"nothing kept req/s c{max(report['connections'])}"]
        parts.append(
            f"{size} places (data set filled in {data['fill_seconds']} s); latency in ms\n\n"
            + format_table(rows, columns, first="url")
        )
    return "\n\n".join(parts)


def write_docs(report: dict, json_path: Path) -> Path:
    rows = evaluate(report)
    targets = "\n".join(
        f"| {row['target']} | {row['measured']} | {row['goal']} | "
        f"{'yes' if row['met'] else '**no**'} |"
        for row in rows
    )
    m = report["machine"]
    shown_path = json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path
    quick = (
        "\n> **Quick run** (smoke test, not the reference numbers): "
        f"sizes {report['sizes_requested']}, {report['duration_s']} s per measurement.\n"
        if report["quick"]
        else ""
    )
    text = f"""# Performance

Generated by `{report["command"]}` on {report["date"]} (`bench/run.py`; raw numbers in
`{shown_path}`). Rerun with `make bench` (full: 1,000 and 10,000 places,
10 s per measurement; quick: `make bench BENCH_SIZES=1000 BENCH_DURATION=5`).
{quick}
Machine: {m["cpu"]}, {m["cores"]} cores, {m["memory"]} RAM, {m["os"]}, Python {m["python"]};
load average at the start {m.get("load_average_at_start", "?")} (other work on the machine
makes every number noisy); Python speed {m.get("python_loop_s", "?")} s for 10 million
additions (`bench.report.python_speed`: machines of the same kind differ by 2× and more);
database {report["database"]}; cache {report["cache"]};
gunicorn {report["workers"]} sync workers with `cms.settings.production` (DEBUG off);
load from wrk on 127.0.0.1 at
{" and ".join(str(c) for c in report["connections"])} connections, {report["duration_s"]} s each.

## Targets (issue 9)

Ratios compare with the static file served by the same gunicorn/whitenoise at
{max(report["connections"])} connections (the floor of the stack). Absolute numbers depend on
the machine more than on the code: the run of 2026-11-28 21:33 (commit a8fc5ce) served that
static file at 3,710 req/s and measured the full build of 10,000 places at 110.3 pages/s,
the incremental rebuild at 2.02 s and the uncached place page at 96.7 req/s; the session
after it got about 60 % of those speeds from the same commit (docs/static-site.md,
"Measured"), the runs of 2026-11-29 (Python speed 0.18–0.22 s) at 5,600–5,900 req/s; two
runs of nearly the same code that day differed by up to a tenth in a page's ratio (region
page 1/16.6 and 1/19), so compare several runs before calling a ratio met or missed.
Compare runs by their ratios and their Python speed.

| target | measured | goal | met |
| --- | --- | --- | --- |
{targets}

## All measurements

"Uncached": gunicorn started with `PAGE_CACHE_SECONDS=0` (every page request renders). What
many pages share stays kept, as in production (`FRAGMENT_CACHE_SECONDS`, "How it works"):
place cards by the place's revision, a listing's filter choices and count, the home page's
counts and a place's nearby places by data version. Never a page's own content: every
request routes, reads its page and its listing's page of places from the database and
renders its template. "Nothing kept": `FRAGMENT_CACHE_SECONDS=0` too (every card rendered,
every count and filter choice read), as right after a change of images or fields, at
{max(report["connections"])} connections. The API's own data-versioned caches stay on, as in
production: GeoJSON/CSV bodies and API v2 answers (`PLACES_API_RESPONSE_CACHE_SECONDS`) are
rendered once per data version and URL, so the API rows show a partner polling the same
URL between two publishes; what rendering an API v2 listing costs is in docs/api.md
("Performance", `bench/api.py`). "Hit": the page cache on, each URL requested twice before
the run. Queries: counted through Django's test client on the same database after a
warm-up request with all these caches off (what a warm worker costs per rendered request,
the number the targets count); "kept queries" with the kept parts warm.

```
{tables(report)}
```

## How it works and what made it fast

- `core/page_cache.py`: a per-page cache in Django's cache (Redis in production) in front of
  sessions, CSRF and Wagtail's routing, so that a hit costs one Redis round trip and no SQL.
  Only anonymous GET/HEAD requests without a session or CSRF cookie are served from it;
  responses that set cookies, are private, or are not 200 are never stored; `/admin/`,
  `/mitmachen/`, `/api/` (own ETag/version cache) and previews are skipped. Each path has a
  version key; publishing, unpublishing, moving or deleting a page changes the versions of
  exactly the paths `core/affected.py` names (after the transaction commits); a change of
  images, snippets, taxonomy or settings changes the global version. Pages carry an ETag and
  Last-Modified; conditional requests get a 304 from the cache.
- Wagtail's site lookup (the site, then the home page's `.specific`: two queries and about
  3 ms of CPU on every uncached page) is one query written once per backend
  (`core.middleware.WagtailSiteMiddleware`, `places.page_data.find_site`, compared with
  Wagtail's choice in `core/tests/test_site_lookup.py`), for Wagtail's pages and the views
  marked `uses_wagtail_site` (`/orte/`, `/suche/`, `/einbetten/karte/`).
- `places/page_data.py` keeps the pages' SQL small and constant: regions and places are routed
  with one query each (`HomePage.route`; Wagtail asks twice per level), which also says
  whether a view restriction applies, so Wagtail's restriction check needs no query of its
  own (one instead of two for other pages), "not behind a view restriction" is a
  subquery instead of a query of its own per `.public()`, a place's categories, offers, tags
  and links come in one `UNION ALL`, the three nearest places are picked in SQL (a flat-earth
  distance in a box of ±0.1°, widened to ±1° and then everywhere only when the small box
  cannot prove it holds the nearest; re-ranked exactly) instead of reading every place, and
  the renditions of every image on a page (hero, gallery, story, nearby cards) are
  prefetched in one query, on every instance of an image, and read without Wagtail's
  write-back to the cache (`get_rendition` writes on every call): with Redis each cache call
  is a network round trip, and a page now makes one (Wagtail's site root paths) instead of
  up to nine. The home page counts places per region in SQL; search loads only the places
  of the shown result page.
- **The place page's own SQL is written once per process.** Compiling a queryset of
  `PlacePage` (some 50 columns, joins, subqueries) cost more Python time than running it, on
  every request. Routing (of regions too), nearby places, relations and gallery are now SQL
  built once per database backend from the models' `_meta`; `page_data._Table` turns rows
  into instances the way the ORM does (the same converters, `Model.from_db`, joined rows
  cached like `select_related`). `places/tests/test_place_page_cost.py` compares them with
  the ORM field by field. About 40 % less CPU per place page.
- **Prepared statements on PostgreSQL** (`DATABASE_PREPARED_STATEMENTS`, default on):
  planning the routing and listing queries cost PostgreSQL 2–4 ms each, more than running
  them. With server-side binding each query has the same text for every page, psycopg
  prepares it after its second use per connection, and PostgreSQL plans it once
  (`core/tests/test_database_settings.py`). Behind PgBouncer < 1.21 in transaction mode it
  must be off (docs/deployment.md).
- **Indexes Wagtail does not have** (`core/migrations/0002_…`, `0003_…`, `0004_…`):
  `wagtailcore_page.url_path` (routing was a sequential scan of every page), the places'
  `(latitude, longitude)`, and `wagtailcore_page (first_published_at DESC, id DESC)` for the
  home page's six newest places (the database sorted every place for them: the home page at
  10,000 places took 116 ms in-process before, 42 ms after; added after the run of
  2026-11-28 23:56, whose home page numbers are without it), and
  `wagtailcore_page (title, id)` for a listing's page in title order (above).
- **Listings** (the region page, `/orte/`, `/einbetten/karte/`; `places/listing.py`):
  - The filter form's options (one `UNION ALL` query) ask an `EXISTS` per offer and per tag
    in the select list, so the database stops at the first visible place instead of joining
    every link of every place. The municipalities are still the distinct values of one
    column of the places in scope (a scan that grows with the places; an index on
    `municipality` and a recursive "skip scan" would remove it).
  - With nothing kept, the page's card keys and the total come from one narrow query
    (`COUNT(*) OVER ()`), the cards from a second one by id with only the fields a card
    shows (`CARD_FIELDS`); before, a `COUNT` and a page query that sorted every matching
    place with all its columns. With the count kept, only the page is read (above).
  - `{{% fast_picture %}}` keeps the `<picture>` markup per process, keyed by everything it
    is made of (file names, sizes, alt text, attributes): 24 cards render in about 4.6 ms
    instead of 8–10 ms.
  - In the static build (`places.listing.shared_listing_data`, one store per build and
    render process) a scope's filter options, a listing's ordered ids and its filter form
    (`{{% listing_fragment %}}`) are read or rendered once, and every card comes from the
    build's card store (`places/cards.py`): rendered ahead for every place, keyed by the
    place's live revision and URL and kept between builds. The pages of a listing after
    its first render only their own part (page number, cards, pagination:
    `{{% listing_page %}}`) into the frame the first one left
    (`places.listing.ListingResponse`): a later page of `/orte/` costs about 5.5 ms in a
    render process, one of a region 8–10 ms, at any size. Live requests never use these
    stores.
  - The queryset of visible places (with its restriction subquery) is built once per
    process and copied per request (`places.views.visible_places`, `visible_children`).
- **Kept parts of pages** (`FRAGMENT_CACHE_SECONDS`, default an hour with Redis;
  docs/architecture.md):
  what many pages share is kept in the cache by its version, so that an uncached page
  renders only its own content.
  - Place cards (`places.cards.LiveCardCache`) under the card's `CardStore` key (the place's
    live revision and URL path), the host and the card template; a generation that signals
    replace after a change of images, renditions, fields, sites or locales makes every kept
    card stale at once. A listing reads its page's card keys and fetches their cards in one
    `get_many`; only missing cards are rendered (their places loaded in one batch).
  - A scope's filter choices (the `UNION ALL` query: 7–9 ms of database time at 10,000
    places), a listing's count, the home page's counts per region and a place's three
    nearby places by the API's data version (a counter bumped by signals plus a one-query
    fingerprint of the newest rows, so a change from another process counts too).
  - With the count known, the page of a listing is read in title order through an index on
    `wagtailcore_page (title, id)` (`core/migrations/0004_…`) and the database stops after
    it: a filtered `/orte/` at 10,000 places 9.7 → 0.3 ms.
  - In-process at 10,000 places (29 November 2026, "Where the time goes"): a region
    page 28 → 4.7 ms, `/orte/` filtered 34 → 4.4 ms, the home page 18 → 5.6 ms, a place
    page 13 → 6.1 ms. `places/tests/test_fragment_cache.py` checks that pages are byte for byte
    the same with and without kept parts and that every kind of change shows at once.
- Renditions are made when a page is published (`places/renditions.py`, a django-tasks task),
  not on a visitor's first request.
- The API v2 listing of places joins pre-rendered per-place items (`PlaceApiSnapshot`,
  invalidated by signals; docs/api.md): ids and total count in one query, the items in a
  second. GeoJSON and CSV join pre-rendered features and rows the same way.
- `/sitemap.xml` is built from one query of paths and dates (`core/sitemap.py`, the same
  bytes as Wagtail's), about 9× faster; the static build renders it after every publish.
- `build_frontend` renders in two forked processes fed over a pipe each as URLs are found
  (docs/static-site.md; `multiprocessing.Pool`'s helper threads had cost the build process
  about 1 ms of CPU per URL). Wagtail's site lookup runs once per render process, a place
  page joins its nearby places' cards from the card store (only their ids and card keys
  come from the database), rewritten URLs and attributes are kept per process, the
  manifest and stored cards go through orjson, the URLconf and templates are loaded before
  the fork (not once per render process), the search index is written by a render process
  beside the pages. An incremental build re-renders a listing's later pages only when its
  first page changed (queued as soon as it has) or they show a card of the changed page,
  and leaves alone the GeoJSON/CSV variants of other regions and the filtered ones that the
  changed places were not and are not in.
- Query counts are guarded in CI by `tests/test_query_counts.py` (place page ≤ 10, region page
  and `/orte/` ≤ 12 and independent of the number of places, API v2 listing ≤ 15, one cache
  round trip per page; with the kept parts warm, listings ≤ 5 queries and ≤ 5 cache round
  trips at any size) and the cache by `tests/test_page_cache.py` (a hit costs 0 queries;
  invalidation; 304).

## Where the time goes when a page is not cached

In-process with production settings (PostgreSQL, 10,000 places, the test client, idle
machine, 29 November 2026, Python speed 0.18–0.24 s), the kept parts warm: a region page
takes about 4.7 ms (4 queries, under 1 ms of database time), `/orte/` filtered 4.4 ms, the
home page 5.6 ms, a place page 6.1 ms (7 queries); with nothing kept 28, 34, 18 and 13 ms
(the filter choices alone were 7–9 ms of database time, sorting and counting every
matching place for a listing's page 4–10 ms, loading and rendering 24 cards 8–10 ms). Of
a region page's time, building the listing is about 1.5 ms (the data version's query
0.3 ms, one cache round trip for its counter, the choices and the count, compiling and
running the page's query 0.8 ms), joining the 24 kept cards 0.8 ms (one `get_many` of
0.4 ms), the filter form 0.3 ms, the rest of the template (33 KB: header, map,
pagination) and routing, middleware and the test client the remainder. A place page's is
its story blocks, five `<picture>` elements, JSON-LD and seven small queries. Under load
two sync workers share the two cores with PostgreSQL, Redis and wrk: pages of 4.5–6 ms come
out at 210–360 per second, while whitenoise serves a static file at 5,600–5,900 per second
on this machine. The 1/15 and 1/10 ratios would need about 375 and 560 pages per second
(the targets table above shows how close each page is). What is left is Django's template
engine and request stack; getting there would take keeping a page's own content (its
story, its article: what the page cache does for the whole page) or another template
engine (Jinja2) for the public pages. The page cache (hits at about 2/3 of a static file)
and the generated static site are how this project serves visitors; the uncached path is
what a publish, a rare filter combination or a cold start costs.
- The data set (`bench/dataset.py`) writes pages in bulk (it bypasses revisions and the
  reference index) and shares a pool of 20 images; it is for measuring reads.
"""
    path = ROOT / "docs" / "performance.md"
    path.write_text(text)
    return path


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        step = sys.argv[1]
        if step == "_fill":
            print(json.dumps(step_fill(int(sys.argv[2]))))
        elif step == "_queries":
            print(json.dumps(step_queries(json.loads(sys.argv[2]))))
        elif step == "_publish":
            print(json.dumps(step_publish(sys.argv[2])))
        return

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or "1000,10000")
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("BENCH_DURATION") or 10)
    )
    parser.add_argument("--connections", default=os.environ.get("BENCH_CONNECTIONS") or "1,8")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS") or 2))
    parser.add_argument("--output", default=None, help="results folder (bench/results)")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--no-build", action="store_true", help="skip build_frontend")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--docs-from", metavar="JSON", help="only rewrite docs/performance.md from a results file"
    )
    args = parser.parse_args()
    if args.docs_from:
        path = Path(args.docs_from).resolve()
        report = json.loads(path.read_text())
        report["targets"] = evaluate(report)
        print(f"summary in {write_docs(report, path).relative_to(ROOT)}")
        return
    sizes = [int(value) for value in str(args.sizes).split(",") if value.strip()]
    args.connections = [int(value) for value in str(args.connections).split(",")]
    quick = sizes != [1000, 10000] or args.duration < 10

    ensure_wrk()
    started = time.perf_counter()
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench"
        + ("" if not quick else f" BENCH_SIZES={args.sizes} BENCH_DURATION={args.duration:g}"),
        "quick": quick,
        "sizes_requested": sizes,
        "duration_s": args.duration,
        "connections": args.connections,
        "workers": args.workers,
        "machine": machine(),
        "sizes": {},
    }
    with Infrastructure(keep=args.keep) as infra:
        report["database"] = "PostgreSQL" if infra.postgres else "SQLite"
        report["cache"] = "private Redis" if infra.redis else (infra.redis_url or "local memory")
        print(f"database: {report['database']}, cache: {report['cache']}", flush=True)
        infra.template()
        last_url = None
        for size in sizes:
            print(f"\n== {size} places ==", flush=True)
            database_url = infra.database(size)
            env = infra.env(database_url)
            fill = child("_fill", env, str(size))
            print(
                f"filled in {fill['fill_seconds']} s (pages {fill['create_seconds']} s, "
                f"search index {fill['index_seconds']} s)",
                flush=True,
            )
            urls = {**PAGES, "place": fill["place_url"], **API}
            queries = child("_queries", env, json.dumps(urls))
            print(format_table(queries, ["status", "uncached", "kept", "hit", "bytes"], "url"))
            measured = measure_size(infra, size, database_url, urls, args)
            report["sizes"][str(size)] = {
                **{key: value for key, value in fill.items() if key.endswith("_seconds")},
                "urls": urls,
                "queries": queries,
                **measured,
            }
            last_url, last_urls = database_url, urls
        if args.no_build:
            report["build"] = {"available": False, "skipped": True}
        else:
            print("\n== build_frontend ==", flush=True)
            report["build"] = measure_build(infra, last_url, last_urls, args)
    report["seconds"] = round(time.perf_counter() - started)
    report["targets"] = evaluate(report)
    print("\n" + tables(report))
    print()
    print(format_table(report["targets"], ["measured", "met"], first="target"))
    path = write_results(report, f"bench-{datetime.now(UTC):%Y-%m-%d}.json", args.output)
    if not args.no_docs:
        print(f"summary in {write_docs(report, path).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
