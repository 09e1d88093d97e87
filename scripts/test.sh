#!/usr/bin/env bash
# Set up .venv with the dev tools (the locked set: requirements-dev.lock) and run every
# check CI runs: lint, format, types, the knowledge base check, the retrieval eval gate and
# the whole test suite. Arguments go to pytest.
#
# --quick: lint, format and types, then only the unit and handlers tiers of the tests
# (no eval gate, no end-to-end tests over HTTP or in subprocesses): a minute, for while
# you work.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then
    quick=1
    shift
fi
bash scripts/_venv.sh dev
set -x
.venv/bin/ruff check bot tests benchmarks
.venv/bin/ruff format --check bot tests benchmarks
.venv/bin/mypy bot tests
if [ "$quick" -eq 1 ]; then
    .venv/bin/python -m pytest -q -n auto -m "unit or handlers" "$@"
    exit
fi
.venv/bin/hadolint Dockerfile
.venv/bin/python -m bot kb check
# The eval gate: every set in tests/eval, accuracy >= 0.90 and confidently wrong <= 3%,
# except the sets still below that bar, held at their measured floor (README, "Quality").
set +x
for set in tests/eval/*.yaml; do
    case "$(basename "$set")" in
        holdout.yaml) min=0.88 wrong=0.05 ;;
        test.yaml) min=0.95 wrong=0.035 ;;
        sv-test.yaml) min=0.95 wrong=0.035 ;;
        sv-dev11.yaml) min=0.95 wrong=0.035 ;;
        dev33.yaml) min=0.85 wrong=0.035 ;;
        sv-dev14.yaml) min=0.92 wrong=0.035 ;;
        da-dev12.yaml) min=0.93 wrong=0.035 ;;
        dev34.yaml) min=0.90 wrong=0.035 ;;
        dev35.yaml) min=0.90 wrong=0.035 ;;
        dev36.yaml) min=0.90 wrong=0.035 ;;
        sv-dev10.yaml) min=0.90 wrong=0.035 ;;
        sv-dev18.yaml) min=0.89 wrong=0.035 ;;
        sv-dev22.yaml) min=0.94 wrong=0.05 ;;
        sv-dev24.yaml) min=0.93 wrong=0.035 ;;
        dev51.yaml) min=0.94 wrong=0.06 ;;
        dev53.yaml) min=0.94 wrong=0.045 ;;
        da-dev24.yaml) min=0.93 wrong=0.035 ;;
        sv-dev29.yaml) min=0.94 wrong=0.035 ;;
        da-dev28.yaml) min=0.88 wrong=0.03 ;;
        dev62.yaml) min=0.95 wrong=0.035 ;;
        sv-dev31.yaml) min=0.88 wrong=0.035 ;;
        da-dev31.yaml) min=0.94 wrong=0.035 ;;
        sv-dev38.yaml) min=0.83 wrong=0.035 ;;
        da-dev37.yaml) min=0.90 wrong=0.045 ;;
        sv-dev40.yaml) min=0.90 wrong=0.035 ;;
        dev83.yaml) min=0.94 wrong=0.035 ;;
        da-dev39.yaml) min=0.89 wrong=0.03 ;;
        *) min=0.90 wrong=0.03 ;;
    esac
    echo "+ eval $set (accuracy >= $min, confidently wrong <= $wrong)"
    .venv/bin/python -m bot eval "$set" --min-accuracy "$min" --max-confidently-wrong "$wrong" \
        | tail -n 2
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "eval gate failed: $set" >&2; exit 1; }
done
set -x
# One pytest worker per core (pytest-xdist): most of the time goes to end-to-end tests
# waiting on the bot's processes, which run side by side.
.venv/bin/python -m pytest -q -n auto "$@"
