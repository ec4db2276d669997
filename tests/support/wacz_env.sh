#!/usr/bin/env bash
# Create .venv-wacz at the repository root with py-wacz, whose `wacz validate` the WACZ tests run.
#
# py-wacz pulls in frictionless, pydantic, typer and more that our own stack does not need, so it
# gets its own virtual environment and the tests run it as a subprocess (tests/test_wacz.py).
# Idempotent: does nothing when .venv-wacz/bin/wacz already runs the pinned py-wacz.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${repo_root}/.venv-wacz"

# py-wacz 0.6.0 (WACZ format 1.1.1) and everything it pulls in on Python 3.11, pinned exactly
# (frozen from a working install) so the validator under test never changes behind our back.
pins=(
    wacz==0.6.0
    annotated-doc==0.0.7 annotated-types==0.8.0 attrs==26.1.0 boilerpy3==1.0.7
    cdxj_indexer==1.5.0 certifi==2026.10.19.post1 chardet==7.7.0 charset-normalizer==3.5.3
    defusedxml==0.7.1 filelock==4.3.1 frictionless==5.21.0 humanize==4.17.0 idna==3.20
    isodate==0.7.2 Jinja2==3.1.6 jsonlines==4.0.0 jsonschema==4.26.0
    jsonschema-specifications==2025.9.1 markdown-it-py==4.3.0 marko==2.2.4 MarkupSafe==3.0.4
    mdurl==0.1.2 multipart==2.0.1 petl==1.7.30 Py3AMF==0.9.1 pydantic==2.14.4
    pydantic_core==2.50.5 Pygments==2.21.0 python-dateutil==4.0.0 python-slugify==9.2.0
    PyYAML==6.0.4 referencing==0.37.0 requests==2.34.2 requests-file==3.0.1 rfc3986==2.0.0
    rich==15.0.0 rpds-py==2026.9.1 shellingham==1.5.4 shortuuid==1.0.13 simpleeval==1.0.8
    six==1.17.0 surt==0.3.1 tabulate==0.10.0 text-unidecode==1.3 tldextract==5.4.0
    typer==0.29.2 typing-inspection==0.4.5 typing_extensions==4.16.0 tzdata==2026.6
    urllib3==2.8.0 validators==0.36.0 warcio==1.8.1
)

tool_works() {
    [ -x "${venv}/bin/wacz" ] \
        && "${venv}/bin/wacz" --version 2>/dev/null | grep -q "^wacz 0.6.0 " \
        && "${venv}/bin/python" -c "import wacz.validate" 2>/dev/null
}

tool="wacz"
# shellcheck source=tests/support/tool_venv.sh
. "$(dirname "${BASH_SOURCE[0]}")/tool_venv.sh"
build_tool_venv
