#!/usr/bin/env bash
# The steps of the retention-auditor GitHub Action (action.yml), as one script so that they can run, and be
# tested, outside GitHub: `run.sh install|baseline|audit|summary`. The Action passes its inputs as INPUT_*
# environment variables; GitHub's own variables (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, ...) are used
# when they are set and skipped when they are not.
#
#   install   a virtualenv with the auditor (from this checkout, so the Action's version is the auditor's) and a
#             Chromium: AUDITOR_CHROMIUM or a chromium already on PATH; else on Ubuntu Playwright's build with
#             its system libraries (Ubuntu's own `chromium` is a snap, which runners and containers cannot run);
#             else Debian's `chromium` package.
#   baseline  the newest unexpired artifact named INPUT_BASELINE_ARTIFACT made on INPUT_BASELINE_BRANCH, unzipped
#             into RUNNER_TEMP; its report.json becomes the audit's --baseline. None found is not an error: the
#             first run has no baseline.
#   audit     `auditor audit` from the folder of INPUT_CONFIG (the auditor finds auditor.yaml there), every format
#             into INPUT_OUT; exit code as the auditor's.
#   summary   report.md into the step summary, with a line that says where the screenshots are (the artifact).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"       # the Action's checkout: the auditor's source
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
venv="${AUDITOR_VENV:-$tmp/retention-auditor-venv}"
workspace="${GITHUB_WORKSPACE:-$PWD}"
out="${INPUT_OUT:-retention-audit}"
case "$out" in /*) ;; *) out="$workspace/$out" ;; esac

say() { echo "retention-auditor: $*" >&2; }
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install() {
    [ -x "$venv/bin/auditor" ] || {
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "$here"
    }
    if [ -n "${GITHUB_PATH:-}" ]; then echo "$venv/bin" >>"$GITHUB_PATH"; fi
    if [ -n "${AUDITOR_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1; then
        say "using the Chromium already here: ${AUDITOR_CHROMIUM:-$(command -v chromium)}"
    elif grep -qx 'ID=ubuntu' /etc/os-release 2>/dev/null; then
        say "installing Playwright's Chromium and its system libraries (Ubuntu's chromium package is a snap)"
        # Playwright's own node needs libatomic before it can install anything (hosted runners have it; a bare
        # ubuntu:24.04 does not); --with-deps then apt-installs the browser's libraries, through sudo when not root.
        if ! ldconfig -p | grep -q 'libatomic\.so\.1'; then
            as_root apt-get update -qq
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libatomic1 >/dev/null
        fi
        "$venv/bin/playwright" install --with-deps chromium
    else
        say "installing Debian's chromium"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
    fi
    "$venv/bin/auditor" --version >&2
    output auditor "$venv/bin/auditor"
}

baseline() {
    local name="${INPUT_BASELINE_ARTIFACT:-}" branch="${INPUT_BASELINE_BRANCH:-}" repo="${GITHUB_REPOSITORY:-}"
    [ -n "$name" ] || { say "no baseline-artifact given: every finding counts"; return 0; }
    [ -n "$repo" ] || { say "baseline: GITHUB_REPOSITORY is not set, so there is no repository to look in"; return 0; }
    # Without a baseline every finding counts: the gate is stricter, never laxer, so this is no error.
    command -v gh >/dev/null || { say "baseline: no gh command to fetch artifacts with; every finding counts"; return 0; }
    # GET /repos/{repo}/actions/artifacts?name=... lists the newest first; keep one from the baseline branch.
    local url
    url="$(gh api "repos/$repo/actions/artifacts?name=$name&per_page=100" --jq \
        "[.artifacts[] | select(.expired | not) | select(\"$branch\" == \"\" or .workflow_run.head_branch == \"$branch\")][0].archive_download_url // empty")"
    if [ -z "$url" ]; then
        say "baseline: no artifact '$name'${branch:+ from branch $branch} yet; every finding counts this time"
        return 0
    fi
    local dir="$tmp/retention-baseline"
    rm -rf "$dir" && mkdir -p "$dir"
    gh api "$url" >"$dir/baseline.zip"
    unzip -q -o "$dir/baseline.zip" -d "$dir"
    if [ -f "$dir/report.json" ]; then
        say "baseline: $name${branch:+ from $branch}"
        output baseline "$dir/report.json"
    else
        say "baseline: artifact '$name' holds no report.json; every finding counts this time"
    fi
}

audit() {
    local config="${INPUT_CONFIG:-auditor.yaml}" dir args=()
    case "$config" in /*) ;; *) config="$workspace/$config" ;; esac
    dir="$(dirname "$config")"
    if [ "$(basename "$config")" != auditor.yaml ]; then
        say "config: '$config' must be named auditor.yaml: the auditor finds its config by that name"
        exit 2
    fi
    [ -f "$config" ] || [ -n "${INPUT_ARGS:-}" ] || {
        say "config: no $config (write one with \`auditor init\`, or give the Action's args input spec files)"
        exit 2
    }
    args=(--out "$out" --format all)
    [ -z "${INPUT_FAIL_ON:-}" ] || args+=(--fail-on "$INPUT_FAIL_ON")
    [ -z "${INPUT_JOBS:-}" ] || args+=(--jobs "$INPUT_JOBS")
    [ -z "${INPUT_BASELINE:-}" ] || args+=(--baseline "$INPUT_BASELINE")
    local extra=()
    # The args input is split as a shell would split words, with no globbing: name each spec file (globs belong
    # in auditor.yaml's `specs`, which the auditor expands).
    [ -z "${INPUT_ARGS:-}" ] || read -r -a extra <<<"$INPUT_ARGS"
    output out "$out"
    local code=0
    (cd "$dir" && "${AUDITOR:-$venv/bin/auditor}" audit "${extra[@]}" "${args[@]}") || code=$?
    output exit-code "$code"
    # Only a SARIF file the audit wrote goes to code scanning (a bad config writes none).
    if [ -f "$out/report.sarif" ]; then output sarif "$out/report.sarif"; fi
    case "$code" in
        0) say "audit passed" ;;
        1) say "audit failed: findings at or above the gate (see the summary and the code-scanning alerts)" ;;
        3) say "audit incomplete: a flow was not seen through (see the summary)" ;;
        *) say "audit could not run (exit $code)" ;;
    esac
    return "$code"
}

summary() {
    local md="$out/report.md" target="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
    if [ ! -f "$md" ]; then
        echo "retention-auditor wrote no report (see the audit step's log)." >>"$target"
        return 0
    fi
    cat "$md" >>"$target"
    local run="${GITHUB_SERVER_URL:-}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}"
    if [ -n "${GITHUB_RUN_ID:-}" ]; then
        # shellcheck disable=SC2016  # the backquotes are Markdown
        printf '\nScreenshots, graphs and the HTML report: artifact `%s` of [this run](%s).\n' \
            "${INPUT_ARTIFACT_NAME:-retention-audit}" "$run" >>"$target"
    fi
}

case "${1:-}" in
    install | baseline | audit | summary) "$1" ;;
    *) echo "usage: $0 install|baseline|audit|summary" >&2; exit 2 ;;
esac
