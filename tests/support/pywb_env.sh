#!/usr/bin/env bash
# Create .venv-pywb at the repository root with pywb for the replay tests.
#
# pywb 2.10 pins redis==2.10.6 while our own stack needs redis>=4.2, so pywb gets its own
# virtual environment and the tests run it as a subprocess (tests/support/pywb_server.py).
# Idempotent: does nothing when .venv-pywb/bin/wayback already runs the pinned pywb.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${repo_root}/.venv-pywb"

# pywb 2.10.0 and everything it pulls in on Python 3.11, pinned exactly so the replay server
# under test never changes behind our back. pywb itself pins redis, werkzeug and webassets;
# none of the others needed a cap to work on 3.11, they are frozen from a working install.
# All are wheels except surt (pure Python sdist, built without a compiler).
pins=(
    pywb==2.10.0
    brotlipy==0.7.0 certauth==1.3.0 certifi==2026.10.19.post1 cffi==2.1.1
    charset-normalizer==3.5.3 cryptography==47.0.0 defusedxml==0.7.1 fakeredis==0.16.0
    filelock==4.3.1 gevent==26.9.0 greenlet==3.5.6 idna==3.20 Jinja2==3.1.6 MarkupSafe==3.0.4
    portalocker==4.4.2 Py3AMF==0.9.1 pycparser==3.12 pyOpenSSL==26.1.0 python-dateutil==4.0.0
    PyYAML==6.0.4 redis==2.10.6 requests==2.34.2 requests-file==3.0.1 six==1.17.0 surt==0.3.1
    tldextract==5.4.0 typing_extensions==4.16.0 tzdata==2026.6 ua-parser==1.0.2
    ua-parser-builtins==202610 urllib3==2.8.0 warcio==1.8.1 webassets==2.0 webencodings==0.6.1
    Werkzeug==3.1.7 wsgiprox==1.5.2 zope.event==6.2 zope.interface==8.7
)

tool_works() {
    [ -x "${venv}/bin/wayback" ] \
        && "${venv}/bin/wayback" --version 2>/dev/null | grep -qx "pywb 2.10.0" \
        && "${venv}/bin/python" -c "import pywb.apps.frontendapp" 2>/dev/null
}

tool="pywb"
pip_options="--use-pep517"  # surt is an sdist: build it the PEP 517 way
# shellcheck source=tests/support/tool_venv.sh
. "$(dirname "${BASH_SOURCE[0]}")/tool_venv.sh"
build_tool_venv
