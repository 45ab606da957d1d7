"""Faults under load: PostgreSQL stopped and Redis stopped while visitors and applicants keep
coming. Nothing but the private servers of bench/stack.py is ever stopped.

    .venv/bin/python bench/faults.py                 # 20 s phases
    .venv/bin/python bench/faults.py --phase 8       # quick run

Visitors: threads that fetch pages, the API and /healthz without pause and record every status
code. Applicants: threads that post the application form (/mitmachen/) and remember which
submissions were acknowledged ("Vielen Dank"). Phases:

1. database: normal → PostgreSQL stopped (immediate shutdown, like a crash) → started again.
   Expected: only 200/304 or 503 (the static 503 page), never a 500; no traceback in
   gunicorn's log; 200 again within seconds of the restart, without restarting gunicorn; every
   acknowledged application is in the database afterwards (nothing lost).
2. cache: normal → Redis stopped → started again. Expected: only 200/304, the site keeps
   serving.

Results: bench/results/faults-<date>.json and the "faults" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import http_get
from bench.report import write_results
from bench.stack import Stack, machine, update_doc

TOKEN = re.compile(r'name="token" value="([^"]+)"')
CATEGORY = re.compile(r'name="categories" value="(\d+)"')
REGION = re.compile(r'<option value="(\d+)"')


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.events: list[tuple[float, str, int]] = []
        self.acknowledged: list[str] = []
        self.stop = threading.Event()

    def add(self, kind: str, status: int):
        with self.lock:
            self.events.append((time.monotonic(), kind, status))

    def window(self, start: float, end: float, kind: str | None = None) -> Counter:
        with self.lock:
            return Counter(
                status
                for at, k, status in self.events
                if start <= at < end and (kind is None or k == kind)
            )


def visitor(stack: Stack, paths: list[str], recorder: Recorder, offset: int):
    index = offset
    while not recorder.stop.is_set():
        path = paths[index % len(paths)]
        index += 1
        try:
            status, _, _, _ = http_get(stack.server.url(path), timeout=60)
        except OSError:
            status = 0  # connection error
        recorder.add("visit", status)


def applicant(stack: Stack, recorder: Recorder, number: int):
    origin = stack.server.url("").rstrip("/")
    count = 0
    while not recorder.stop.is_set():
        count += 1
        name = f"Lasttest {number}-{count}"
        try:
            status, _, body, _ = http_get(stack.server.url("/mitmachen/"), timeout=60)
            html = body.decode(errors="replace")
            match = TOKEN.search(html)
            if status != 200 or not match:
                recorder.add("apply", status)
                time.sleep(0.2)
                continue
            data = {
                "token": match.group(1),
                "fax": "",
                "place_name": name,
                "region": (REGION.findall(html) or [""])[0],
                "municipality": "Salzwedel",
                "categories": CATEGORY.findall(html)[:1],
                "introduction": "Eine alte Scheune mit Werkstätten und einem Café im Dorf.",
                "contact_person": "Lasttest",
                "email": f"last{number}-{count}@example.org",
                "consent": "on",
            }
            request_body = urllib.parse.urlencode(data, doseq=True).encode()
            request = urllib.request.Request(
                stack.server.url("/mitmachen/"),
                data=request_body,
                headers={"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"},
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, text = response.status, response.read().decode(errors="replace")
            except urllib.error.HTTPError as error:
                status, text = error.code, error.read().decode(errors="replace")
            recorder.add("apply", status)
            if status == 200 and "Vielen Dank" in text:
                with recorder.lock:
                    recorder.acknowledged.append(name)
        except OSError:
            recorder.add("apply", 0)
        time.sleep(0.1)


def stored_applications(stack: Stack) -> set[str]:
    rows = stack.pg.psql(
        "SELECT place_name FROM applications_application WHERE place_name LIKE 'Lasttest %'",
        "kreativorte",
    )
    return set(filter(None, rows.splitlines()))


def first_ok_after(recorder: Recorder, start: float) -> float | None:
    with recorder.lock:
        for at, kind, status in recorder.events:
            if at >= start and kind == "visit" and status == 200:
                return round(at - start, 2)
    return None


def summarise(counter: Counter) -> dict:
    return {str(status): count for status, count in sorted(counter.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", type=int, default=20, help="seconds per phase")
    parser.add_argument("--visitors", type=int, default=8)
    parser.add_argument("--applicants", type=int, default=2)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()

    problems = []
    # Robot applicants: no minimum fill time, no rate limit per IP (all come from 127.0.0.1).
    robots = {"APPLICATIONS_MIN_FILL_SECONDS": "0", "APPLICATIONS_RATE_LIMIT": "1000000"}
    with Stack(places=args.places, workers=4, threads=4, env=robots) as stack:
        paths = [
            "/",
            stack.urls["region_url"],
            stack.urls["place_url"],
            "/orte/",
            "/suche/?q=Werkstatt",
            "/api/orte.geojson",
            "/healthz",
        ]
        # Warm up (renditions, caches) one request at a time, so that the phases measure the
        # faults and not the first requests of a cold server.
        for path in [*paths, "/mitmachen/"]:
            http_get(stack.server.url(path), timeout=180)
        recorder = Recorder()
        threads = [
            threading.Thread(target=visitor, args=(stack, paths, recorder, i), daemon=True)
            for i in range(args.visitors)
        ] + [
            threading.Thread(target=applicant, args=(stack, recorder, i), daemon=True)
            for i in range(args.applicants)
        ]
        for thread in threads:
            thread.start()

        marks = {"start": time.monotonic()}
        print("phase: normal", flush=True)
        time.sleep(args.phase)
        marks["db_down"] = time.monotonic()
        print("phase: PostgreSQL stopped", flush=True)
        stack.pg.stop("immediate")
        time.sleep(args.phase)
        marks["db_up"] = time.monotonic()
        print("phase: PostgreSQL started again", flush=True)
        stack.pg.start()
        time.sleep(args.phase)
        marks["redis_down"] = time.monotonic()
        print("phase: Redis stopped", flush=True)
        stack.redis.stop()
        time.sleep(args.phase)
        marks["redis_up"] = time.monotonic()
        print("phase: Redis started again", flush=True)
        stack.redis.start()
        time.sleep(args.phase)
        marks["end"] = time.monotonic()
        recorder.stop.set()
        for thread in threads:
            thread.join(timeout=30)

        log = stack.gunicorn_log()
        stored = stored_applications(stack)

    phases = {
        "normal": (marks["start"], marks["db_down"]),
        "postgresql down": (marks["db_down"], marks["db_up"]),
        "postgresql back": (marks["db_up"], marks["redis_down"]),
        "redis down": (marks["redis_down"], marks["redis_up"]),
        "redis back": (marks["redis_up"], marks["end"]),
    }
    result_phases = {}
    for name, (start, end) in phases.items():
        visits = recorder.window(start, end, "visit")
        applies = recorder.window(start, end, "apply")
        result_phases[name] = {"visits": summarise(visits), "applications": summarise(applies)}
        allowed = {200, 304, 503} if name == "postgresql down" else {200, 304}
        if name == "postgresql back":
            allowed = {200, 304, 503}  # the first requests may still see the restart
        bad = {status: n for status, n in (visits + applies).items() if status not in allowed}
        if bad:
            problems.append(f"{name}: unexpected statuses {bad}")
    recovery = first_ok_after(recorder, marks["db_up"])
    lost = sorted(set(recorder.acknowledged) - stored)
    tracebacks = log.count("Traceback")
    if tracebacks:
        problems.append(f"{tracebacks} tracebacks in gunicorn's log")
    if lost:
        problems.append(f"{len(lost)} acknowledged applications lost")
    if recovery is None:
        problems.append("no 200 after PostgreSQL came back")
    back = recorder.window(marks["db_up"] + 5, marks["redis_down"], "visit")
    if set(back) - {200, 304}:
        problems.append(f"still failing 5 s after PostgreSQL came back: {dict(back)}")

    data = {
        "machine": machine(),
        "phase_s": args.phase,
        "visitors": args.visitors,
        "applicants": args.applicants,
        "phases": result_phases,
        "seconds_to_first_200_after_postgresql_restart": recovery,
        "applications_acknowledged": len(recorder.acknowledged),
        "applications_stored": len(stored),
        "applications_lost": lost,
        "tracebacks_in_log": tracebacks,
        "problems": problems,
    }
    path = write_results(data, f"faults-{datetime.now(UTC):%Y-%m-%d}.json")
    lines = [
        f"Last run: {data['machine']}; {args.visitors} visitor threads and {args.applicants} "
        f"applicant threads without pause (client timeout 60 s; 0 = no answer), "
        f"{args.phase} s per phase, gunicorn 4 workers × 4 threads with "
        f"`cms.settings.production` (`{path.relative_to(path.parents[2])}`).",
        "",
        "| phase | visitors' answers | application form answers |",
        "| --- | --- | --- |",
    ]
    for name, row in result_phases.items():
        visits = ", ".join(f"{k}: {v}" for k, v in row["visits"].items())
        applies = ", ".join(f"{k}: {v}" for k, v in row["applications"].items())
        lines.append(f"| {name} | {visits} | {applies} |")
    lines += [
        "",
        f"- First 200 after PostgreSQL was started again: **{recovery} s** (no gunicorn restart).",
        f"- Applications acknowledged with \u201eVielen Dank\u201c: {len(recorder.acknowledged)}; "
        f"found in the database afterwards: {len(stored)}; lost: **{len(lost)}**.",
        f"- Tracebacks in gunicorn's log: **{tracebacks}**.",
        f"- Problems: **{'; '.join(problems) if problems else 'none'}**.",
    ]
    if not args.no_docs:
        update_doc("faults", "\n".join(lines))
    print("\n".join(lines))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
