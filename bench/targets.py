"""The targets of ``make bench`` (issue 9) and the URLs it measures.

Ratios are of the static file's throughput at the same (highest) number of connections, at
the largest size measured; query counts are per rendered request (``bench/steps.py``).
"""

PAGES = {
    "home": "/",
    "region": "/altmark/",
    "place": None,  # filled in from the data set
    "orte_filtered": "/orte/?category=arbeiten-wirtschaft",
    # A word in about half of the generated places' texts, and a typo of one (issue 21).
    "search": "/suche/?q=Scheune",
    "search_typo": "/suche/?q=Werkstadt",
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
    "search_ratio": 1 / 40,
    "hit_ratio": 1 / 3,
    "api_ratio": 1 / 30,
    "geojson_cold_ms": 300,
    "geojson_304_ms": 5,
    "build_pages_per_s": 100,
    "incremental_s": 3,
    "worker_rss_mb": 200,
}


def page_urls(urls: dict) -> dict:
    return {name: url for name, url in urls.items() if name in PAGES}


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
    searches = [name for name in ("search", "search_typo") if name in largest["uncached"]]
    if searches:
        rates = {name: largest["uncached"][name][top]["requests_per_s"] for name in searches}
        add(
            f"search uncached, {sizes[-1]} places (issue 21)",
            "; ".join(
                f"{name} {rates[name]} req/s = {ratio(rates[name])} of static"
                f"{nothing_kept(name)}, {q[name]['uncached']} queries"
                for name in searches
            ),
            "≥ 1/40 of static",
            all(ratio(rate) >= TARGETS["search_ratio"] for rate in rates.values()),
        )
    else:
        add("search uncached (issue 21)", "missing", "≥ 1/40 of static", False)
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
