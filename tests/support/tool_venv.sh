# Sourced by pywb_env.sh and wacz_env.sh: build an isolated virtual environment for a third-party
# tool from an exact pin list, idempotently (kept when the tool works and the pins are the same).
#
# The caller sets: tool (a name), venv (its folder), pins (an array), and defines tool_works
# (a function that succeeds when the installed tool runs). Extra pip options: pip_options.

build_tool_venv() {
    local python="${PYTHON:-python3}"
    local stamp="${venv}/.${tool}-pins"
    if tool_works && [ "$(cat "${stamp}" 2>/dev/null)" = "${pins[*]}" ]; then
        echo "${tool}_env: ${venv} already has a working ${pins[0]}"
        return 0
    fi
    # Debian ships venv/ensurepip apart from python3 (package python3-venv); add it if missing.
    if ! "${python}" -c "import ensurepip, venv" 2>/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            apt-get update -q
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
        else
            echo "${tool}_env: ${python} cannot create virtual environments; install" \
                "python3-venv" >&2
            return 1
        fi
    fi
    rm -rf "${venv}"
    "${python}" -m venv "${venv}"
    "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check \
        ${pip_options:-} "${pins[@]}"
    "${venv}/bin/python" -m pip check --disable-pip-version-check
    if ! tool_works; then
        echo "${tool}_env: ${venv} has ${pins[0]} but it does not run" >&2
        return 1
    fi
    echo "${pins[*]}" >"${stamp}"
    echo "${tool}_env: installed ${pins[0]} into ${venv}"
}
