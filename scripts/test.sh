#!/usr/bin/env bash
# Set up .venv with the dev tools and run every check CI runs: lint, format, types,
# the knowledge base check, the retrieval eval gate and the whole test suite.
source "$(dirname "$0")/_venv.sh" dev
set -x
.venv/bin/ruff check bot tests benchmarks
.venv/bin/ruff format --check bot tests benchmarks
.venv/bin/mypy bot
.venv/bin/hadolint Dockerfile
.venv/bin/python -m bot kb check
.venv/bin/python -m bot eval tests/eval/enquiries.yaml --min-accuracy 0.90
.venv/bin/python -m pytest -q "$@"
