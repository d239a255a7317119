#!/usr/bin/env bash
# Installs retention-auditor into ./.venv, plus Debian's chromium when no Chromium is found.
# Usage: ./install.sh [test]     ("test" adds the test extras: pytest, ruff, mypy)
set -euo pipefail
cd "$(dirname "$0")"
extras="${1:-}"
apt_install() {
    if [ "$(id -u)" != 0 ]; then echo "install.sh: need root to apt-get install $*" >&2; exit 1; fi
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
if [ -z "${AUDITOR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "install.sh: installing Debian's chromium ..." >&2
    apt_install chromium
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
echo "install.sh: ready (.venv/bin/auditor)" >&2
