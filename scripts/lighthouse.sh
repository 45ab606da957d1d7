#!/usr/bin/env bash
# Lighthouse (mobile) for the demo under production settings: gunicorn serves the pages and
# static files (whitenoise), a second local server the media, as a media host would.
# Needs Node.js/npm (installs lighthouse into $LH_DIR once) and Debian's Chromium.
# Usage: bash scripts/lighthouse.sh   (results: $LH_DIR/report_*.json and one line a page)
set -euo pipefail
cd "$(dirname "$0")/.."
LH_DIR="${LH_DIR:-/tmp/kig-lighthouse}"
mkdir -p "$LH_DIR"
[ -x "$LH_DIR/node_modules/.bin/lighthouse" ] || npm install --prefix "$LH_DIR" --no-audit --no-fund lighthouse@12
export DATABASE_URL="${LH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kig_lighthouse}"
export DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY=lighthouse-only-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SITE_URL=http://127.0.0.1:8123
export STATIC_ROOT="$LH_DIR/static" MEDIA_ROOT="$LH_DIR/media"
export MEDIA_URL=http://127.0.0.1:8124/media/ CSP_IMG_SRC=http://127.0.0.1:8124
db="${DATABASE_URL##*/}"
dropdb -h 127.0.0.1 -U postgres --if-exists "$db"; createdb -h 127.0.0.1 -U postgres "$db"
.venv/bin/python manage.py migrate -v0 --noinput
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python manage.py set_site_address
.venv/bin/python manage.py collectstatic --noinput -v0
(cd "$LH_DIR" && exec python3 -m http.server 8124 --bind 127.0.0.1 >/dev/null 2>&1) &
media_pid=$!
.venv/bin/gunicorn cms.wsgi:application --bind 127.0.0.1:8123 --workers 2 --daemon \
    --pid "$LH_DIR/gunicorn.pid" --error-logfile "$LH_DIR/gunicorn.log"
trap 'kill "$(cat "$LH_DIR/gunicorn.pid")" "$media_pid" 2>/dev/null || true' EXIT
sleep 3
place=$(curl -s http://127.0.0.1:8123/altmark/ | grep -o 'href="/altmark/[a-z0-9-]*/"' | head -1 | cut -d'"' -f2)
for path in / /altmark/ /orte/ "$place" "/suche/?q=Werkstat"; do
    name=$(echo "$path" | tr '/?=' '___')
    CHROME_PATH=/usr/bin/chromium "$LH_DIR/node_modules/.bin/lighthouse" "http://127.0.0.1:8123$path" \
        --quiet --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update" \
        --output=json --output-path="$LH_DIR/report$name.json"
    python3 - "$LH_DIR/report$name.json" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: round(value["score"] * 100) for key, value in report["categories"].items()}
audits = report["audits"]
print(sys.argv[2], scores, "LCP", audits["largest-contentful-paint"]["displayValue"],
      "TBT", audits["total-blocking-time"]["displayValue"],
      "CLS", audits["cumulative-layout-shift"]["displayValue"])
PY
done
