"""End to end, production concerns: kill -9 between acknowledgement and handling in
polling and webhook mode, the webhook secret and deduplication, the health endpoint,
knowledge reloads (staff /reload and SIGHUP), and backups of a running bot.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, load_knowledge
from tests.support.botapi_server import FakeBotApi, SimUser
from tests.support.updates import TOKEN, message_dict, private_chat_dict, text_content
from tests.test_e2e_telegram_front import ROOT, STAFF_CHAT, BotProcess

pytestmark = pytest.mark.e2e

SECRET = "s3cret_token-for-tests"
SHIPPED_ENTRIES = len(load_knowledge(DEFAULT_KNOWLEDGE_DIR).entries)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_env(port: int) -> dict[str, str]:
    return {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram-hook",
        "WEBHOOK_SECRET": SECRET,
        "LISTEN_PORT": str(port),
    }


def get_json(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def questions_logged(data_dir: Path, text: str) -> int:
    with sqlite3.connect(data_dir / "bot.sqlite3") as db:
        row = db.execute("SELECT count(*) FROM questions WHERE text = ?", [text]).fetchone()
    return int(row[0])


def kill_while_answering(api: FakeBotApi, user: SimUser, bot: BotProcess, question: str) -> None:
    """Send ``question`` while the bot's answer hangs on the way to Telegram, wait until
    the update is acknowledged, then kill the bot with SIGKILL."""
    api.hang("sendMessage", 60, chat_id=user.chat_id)
    user.send_text(question)
    api.wait_for(
        lambda: (
            any(
                c.status == 0 and c.params.get("chat_id") == user.chat_id
                for c in api.calls_to("sendMessage")
            )
            or None
        ),
        timeout=20,
    )
    assert bot.stop(signal.SIGKILL) == -signal.SIGKILL
    assert not [m for m in user.messages() if "1985" in m.visible_text]


def test_polling_survives_kill_between_acknowledgement_and_handling(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as api:
        api.group("Staff", chat_id=STAFF_CHAT)
        user = api.user("Olga")
        bot = BotProcess(api, tmp_path)
        bot.wait_ready(api)
        kill_while_answering(api, user, bot, "When was MassBio founded?")
        assert api.pending_update_count == 0  # Telegram has forgotten it: acknowledged
        again = BotProcess(api, tmp_path)
        try:
            again.wait_ready(api)
            user.wait_for_message("1985", timeout=30)
            assert "received before a restart" in again.output()
        finally:
            again.stop()
    answers = [m for m in user.messages() if "1985" in m.visible_text]
    assert len(answers) == 1
    assert questions_logged(tmp_path, "When was MassBio founded?") == 1  # handled once


def test_webhook_survives_kill_between_acknowledgement_and_handling(tmp_path: Path) -> None:
    port = free_port()
    with FakeBotApi(token=TOKEN) as api:
        api.group("Staff", chat_id=STAFF_CHAT)
        user = api.user("Pia")
        bot = BotProcess(api, tmp_path, **webhook_env(port))
        url = api.wait_for_webhook(timeout=30)
        assert url == f"http://127.0.0.1:{port}/telegram-hook"
        assert api.webhook_secret == SECRET
        kill_while_answering(api, user, bot, "When was MassBio founded?")
        assert any(a.delivered for a in api.webhook_attempts)  # answered 200 before dying
        assert api.pending_update_count == 0
        again = BotProcess(api, tmp_path, **webhook_env(port))
        try:
            user.wait_for_message("1985", timeout=30)
        finally:
            again.stop()
    assert len([m for m in user.messages() if "1985" in m.visible_text]) == 1
    assert questions_logged(tmp_path, "When was MassBio founded?") == 1


def post_update(port: int, update: dict[str, object], secret: str | None) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram-hook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json"}
        | ({"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_webhook_checks_the_secret_and_deduplicates_retries(tmp_path: Path) -> None:
    port = free_port()
    with FakeBotApi(token=TOKEN) as api:
        api.group("Staff", chat_id=STAFF_CHAT)
        user = api.user("Quinn", started=True)
        bot = BotProcess(api, tmp_path, **webhook_env(port))
        try:
            api.wait_for_webhook(timeout=30)
            # setWebhook is answered before PTB's server listens; wait until it does.
            api.wait_for(lambda: any(a.delivered for a in api.webhook_attempts) or _listening(port))
            chat = private_chat_dict(user.user)
            message = message_dict(7, user.user, chat, text_content("hello"))
            update = {"update_id": 555_000, "message": message}
            assert post_update(port, update, None) == 403
            assert post_update(port, update, "wrong") == 403
            assert user.messages() == []
            assert post_update(port, update, SECRET) == 200
            user.wait_for_message("Hello")
            assert post_update(port, update, SECRET) == 200  # Telegram retrying
            user.send_text("thanks")  # a later update: handled after any duplicate would be
            user.wait_for_message("welcome")
        finally:
            bot.stop()
    assert [m.visible_text.split("!")[0] for m in user.messages()] == ["Hello", "You're welcome"]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_health_endpoint_reports_database_and_knowledge(tmp_path: Path, mode: str) -> None:
    health = free_port()
    env = {"HEALTH_PORT": str(health)}
    if mode == "webhook":
        env |= webhook_env(free_port())
    with FakeBotApi(token=TOKEN) as api:
        api.group("Staff", chat_id=STAFF_CHAT)
        bot = BotProcess(api, tmp_path, **env)
        try:
            if mode == "webhook":
                api.wait_for_webhook(timeout=30)
            else:
                bot.wait_ready(api)
            status, body = api.wait_for(lambda: _health(health), timeout=20)
            assert status == 200
            assert body["status"] == "ok" and body["database"] == "ok"
            assert body["mode"] == mode
            knowledge = body["knowledge"]
            assert isinstance(knowledge, dict) and knowledge["entries"] == SHIPPED_ENTRIES
            assert f"health endpoint on http://0.0.0.0:{health}/health" in bot.output()
            assert get_json(f"http://127.0.0.1:{health}/other")[0] == 404
        finally:
            bot.stop()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _health(port: int) -> tuple[int, dict[str, object]] | None:
    try:
        return get_json(f"http://127.0.0.1:{port}/health")
    except OSError:
        return None


def test_reload_keeps_the_old_knowledge_when_the_new_is_broken(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, knowledge, ignore=shutil.ignore_patterns("*.md"))
    founded = knowledge / "massbio.yaml"
    original = founded.read_text()
    with FakeBotApi(token=TOKEN) as api:
        bob = api.user("Bob", started=True)
        group = api.group("Staff", members=[bob], chat_id=STAFF_CHAT)
        user = api.user("Rita")
        bot = BotProcess(api, tmp_path / "data", KNOWLEDGE_DIR=str(knowledge))
        try:
            bot.wait_ready(api)
            (knowledge / "broken.yaml").write_text("entries:\n  - id: [unclosed\n")
            bob.send_text("/reload", chat=group)
            refused = api.wait_for_message(STAFF_CHAT, "NOT reloaded", timeout=20)
            assert re.search(r"broken\.yaml:\d+: YAML syntax error", refused.visible_text)
            user.send_text("When was MassBio founded?")
            user.wait_for_message("1985")  # still answering from the old knowledge base

            (knowledge / "broken.yaml").unlink()
            founded.write_text(original.replace("founded in 1985", "founded in 1985 (reloaded)"))
            bot.process.send_signal(signal.SIGHUP)
            api.wait_for_message(
                STAFF_CHAT, f"Knowledge base reloaded: {SHIPPED_ENTRIES} entries", timeout=20
            )
            user.send_text("When was MassBio founded?")
            user.wait_for_message("(reloaded)")
        finally:
            bot.stop()
    assert "Traceback" not in bot.output()


def test_backup_of_a_running_bot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with FakeBotApi(token=TOKEN) as api:
        api.group("Staff", chat_id=STAFF_CHAT)
        user = api.user("Sven")
        bot = BotProcess(api, data)
        try:
            bot.wait_ready(api)
            user.send_text("When was MassBio founded?")
            user.wait_for_message("1985")
            target = tmp_path / "backups" / "bot-backup.sqlite3"
            env = {"PATH": "/usr/bin:/bin", "BOT_DATA_DIR": str(data)}
            command = [sys.executable, "-m", "bot", "backup", str(target)]
            result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            again = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
            assert again.returncode == 1 and "--force" in again.stderr
        finally:
            bot.stop()
    with sqlite3.connect(target) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = [row[0] for row in db.execute("SELECT text FROM questions")]
    assert "When was MassBio founded?" in texts
