"""The measurements of ``make bench`` against gunicorn (``bench.harness``) with wrk.

For one size: the page cache off (uncached pages, API, the static file as the floor of the
stack, GeoJSON cold and 304, worker RSS), nothing kept either (pages only), the page cache
on (hits); then ``build_frontend`` (full and incremental) and its place page from a plain
static server.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time

from bench.harness import ROOT, GunicornServer, StaticServer, http_get, python_executable, run_wrk
from bench.infrastructure import child, child_env
from bench.targets import API, page_urls


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


def faster(first: dict, second: dict) -> dict:
    """Per connection count, the run with more requests per second: the floor of the stack
    is what it can serve, and noise on the machine only ever lowers it (one run of
    2026-12-03 measured the static file at half its speed, which flattered every ratio)."""
    return {
        key: max((first[key], second[key]), key=lambda run: run["requests_per_s"] or 0)
        for key in first
    }


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
        before = wrk_both(server.url(asset), args.connections, args.duration)
        result["uncached"] = {
            name: wrk_both(server.url(url), args.connections, args.duration)
            for name, url in urls.items()
        }
        after = wrk_both(server.url(asset), args.connections, args.duration)
        result["static_floor"] = {"url": asset, "status": status, **faster(before, after)}
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


def measure_build(infra, database_url, urls, args) -> dict:
    """A full ``build_frontend``, the incremental one after a publish, the generated place
    page from a plain static server."""
    env = infra.env(database_url)
    output = infra.tmp / "site"
    seconds, completed = build_frontend(env, output)
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
    child("publish", env, urls["place"])
    seconds, completed = build_frontend(env, output, "--changed")
    return {
        "available": True,
        "flag": "--changed",
        "seconds": round(seconds, 2),
        "status": completed.returncode,
        "stderr": completed.stderr[-500:] if completed.returncode else "",
    }


def build_frontend(env: dict, output, *flags: str) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``manage.py build_frontend``: its seconds and the finished process."""
    start = time.perf_counter()
    completed = subprocess.run(
        [python_executable(), "manage.py", "build_frontend", "--output", str(output), *flags],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, completed
