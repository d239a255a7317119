#!/usr/bin/env bash
# Installs retention-auditor into ./.venv, plus a Chromium when none is found: Debian's chromium package, or on
# Ubuntu (whose chromium is a snap, which containers and CI runners cannot run) Playwright's, with its libraries.
# Usage: ./install.sh [test]     ("test" adds the test extras: pytest, ruff, mypy, the linters, mkdocs)
set -euo pipefail
cd "$(dirname "$0")"
extras="${1:-}"
apt_install() {
    if [ "$(id -u)" != 0 ]; then echo "install.sh: need root to apt-get install $*" >&2; exit 1; fi
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
browser=""
if [ -z "${AUDITOR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    if grep -qx 'ID=ubuntu' /etc/os-release 2>/dev/null; then
        browser=playwright
        ldconfig -p | grep -q 'libatomic\.so\.1' || apt_install libatomic1  # Playwright's node needs it
    else
        echo "install.sh: installing Debian's chromium ..." >&2
        apt_install chromium
    fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
if [ "$browser" = playwright ]; then
    echo "install.sh: installing Playwright's Chromium and its libraries (Ubuntu's chromium is a snap) ..." >&2
    .venv/bin/playwright install --with-deps chromium
fi
echo "install.sh: ready (.venv/bin/auditor)" >&2
