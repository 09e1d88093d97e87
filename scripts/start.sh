#!/usr/bin/env bash
# Set up .venv and run the bot: the Telegram bot when TELEGRAM_BOT_TOKEN is set,
# otherwise the terminal chat on the shipped knowledge base. Every argument goes to
# `python -m bot` untouched: `bash scripts/start.sh --help`, `bash scripts/start.sh ask
# "when was massbio founded"`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/_venv.sh
exec .venv/bin/python -m bot "$@"
