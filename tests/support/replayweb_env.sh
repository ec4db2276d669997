#!/usr/bin/env bash
# Install what the real-browser tests need (tests/test_replay_browser.py, tests/test_report.py):
#   - Debian's chromium at /usr/bin/chromium (Playwright drives it through executable_path:
#     Playwright's own browser download is not reachable from here);
#   - ReplayWeb.page 2.5.3 from the npm registry, unpacked into .cache/replaywebpage-2.5.3/
#     at the repository root (git-ignored). `npm install replaywebpage` fails (it wants a
#     warcio 2.4.12 the registry does not serve) but `npm pack` works, and the package ships
#     its built ui.js and sw.js: nothing needs to be built.
# The Python side (the `playwright` package) is pinned in pyproject.toml's test extra.
# Idempotent: does nothing when both are already in place. apt-get needs root.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="2.5.3"
integrity="sha512-nCj2PSON3BxeSJKE8AsYPyULv0XPZKJWfy4l9PyQre9SqwLZ+WKZVs/sfLqPOQ4GrH+0YkjbwOhr8cSTH08gsQ=="
target="${SCRAPER_REPLAYWEB_DIR:-${repo_root}/.cache/replaywebpage-${version}}"

install_chromium() {
    if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; then
        echo "replayweb_env: $(/usr/bin/chromium --version 2>/dev/null) already installed"
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "replayweb_env: /usr/bin/chromium is missing; install Debian's chromium" \
            "(apt-get install -y chromium) as root" >&2
        return 1
    fi
    # Other package installs may hold the dpkg lock for a while: wait rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -q
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
        --no-install-recommends chromium fonts-dejavu-core
    /usr/bin/chromium --version 2>/dev/null
}

install_replaywebpage() {
    if [ -f "${target}/ui.js" ] && [ -f "${target}/sw.js" ] \
        && grep -q "\"version\": \"${version}\"" "${target}/package.json" 2>/dev/null; then
        echo "replayweb_env: ${target} already holds replaywebpage ${version}"
        return 0
    fi
    if ! command -v npm >/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q npm
        else
            echo "replayweb_env: npm is missing (apt-get install -y npm)" >&2
            return 1
        fi
    fi
    local scratch
    scratch="$(mktemp -d)"
    trap 'rm -rf "${scratch}"' RETURN
    (cd "${scratch}" && npm pack --silent "replaywebpage@${version}" >/dev/null)
    local tarball="${scratch}/replaywebpage-${version}.tgz"
    # npm checks the registry's integrity itself; checking it again pins the exact bytes.
    local actual
    actual="$("${PYTHON:-python3}" -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "${tarball}")"
    if [ "${actual}" != "${integrity}" ]; then
        echo "replayweb_env: ${tarball} has ${actual}, expected ${integrity}" >&2
        return 1
    fi
    rm -rf "${target}"
    mkdir -p "${target}"
    tar -xzf "${tarball}" -C "${target}" --strip-components=1
    echo "replayweb_env: unpacked replaywebpage ${version} into ${target}"
}

install_chromium
install_replaywebpage
