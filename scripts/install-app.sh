#!/bin/sh
# Install the bot into a virtualenv the way the container image does. This is the one
# place the image's install is defined: the Dockerfile RUNs it and
# tests/test_image_like_venv.py replays those RUN lines, so the two cannot drift apart.
#
#   sh scripts/install-app.sh deps VENV   create VENV if missing and install the runtime
#                                         dependencies pinned in ./requirements.lock, with
#                                         their hashes checked, nothing else
#   sh scripts/install-app.sh app VENV    install the project from . (non-editable, no
#                                         dependencies: they come from the deps step), then
#                                         check that nothing is missing
#
# Run it from the folder holding requirements.lock (deps) or pyproject.toml (app). Two
# steps so the image can cache the dependency layer: `deps` needs only requirements.lock
# and reruns only when it changes, `app` needs the source and reruns on every change of it
# (a few seconds). requirements.lock is generated from pyproject.toml's ranges by
# pip-compile (see its header); every build installs exactly those versions.
#
# PYTHON picks the interpreter for a new venv (default python3). pip's cache is left
# alone: in the image it stays in the throw-away builder stage, on a workstation or in
# the test it makes a second run fast.
set -eu

usage() {
    echo "usage: sh scripts/install-app.sh {deps|app} VENV_DIR" >&2
    exit 2
}

[ "$#" -eq 2 ] || usage
phase=$1
venv=$2
need() {
    [ -f "$1" ] || {
        echo "error: run from the folder holding $1" >&2
        exit 2
    }
}

pip() {
    "$venv/bin/python" -m pip --disable-pip-version-check --no-input "$@"
}

case "$phase" in
deps)
    need requirements.lock
    if [ ! -x "$venv/bin/python" ]; then
        "${PYTHON:-python3}" -m venv "$venv"
    fi
    pip install --progress-bar off --require-hashes --requirement requirements.lock
    ;;
app)
    need pyproject.toml
    [ -x "$venv/bin/python" ] || {
        echo "error: $venv has no python; run the deps step first" >&2
        exit 2
    }
    pip install --progress-bar off --no-deps .
    pip check
    ;;
*)
    usage
    ;;
esac
