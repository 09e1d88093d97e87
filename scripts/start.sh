#!/usr/bin/env bash
# Set up .venv and run the bot: the Telegram bot when TELEGRAM_BOT_TOKEN is set,
# otherwise the terminal chat on the shipped knowledge base.
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python -m bot "$@"
