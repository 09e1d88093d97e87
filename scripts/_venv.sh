# Create .venv with Python >= 3.11 and install the project into it (editable) from the
# lock files: `bash scripts/_venv.sh` for the bot, `bash scripts/_venv.sh dev` for the
# bot and the dev tools. scripts/start.sh and scripts/test.sh run it; it takes no other
# arguments, so theirs never reach pip.
#
# requirements.lock pins every runtime package with its hashes (requirements-dev.lock:
# the same pins plus the dev tools), so every install gets the same set; pyproject.toml
# keeps the ranges for people who install the package into their own environment.
# Nothing is installed when .venv already holds what is asked for and neither the lock
# files nor pyproject.toml changed since (.venv/.installed records both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
extras="${1:-}"
case "$extras" in
"") lock=requirements.lock ;;
dev) lock=requirements-dev.lock ;;
*)
    echo "usage: bash scripts/_venv.sh [dev]" >&2
    exit 2
    ;;
esac
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
    exit 2
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
inputs=$(cat pyproject.toml requirements.lock requirements-dev.lock | cksum)
stamp=.venv/.installed
# The stamp holds the inputs' checksum, then "dev" when the dev tools are installed too.
if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$inputs" ] \
    && { [ -z "$extras" ] || grep -qx "$extras" "$stamp"; }; then
    exit 0
fi
pip() {
    .venv/bin/python -m pip --quiet --disable-pip-version-check --no-input "$@"
}
pip install --require-hashes --requirement "$lock"
pip install --no-deps --editable .
{
    echo "$inputs"
    [ -z "$extras" ] || echo "$extras"
} >"$stamp"
