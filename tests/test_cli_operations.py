"""Staff operations from the command line and the terminal chat, as an operator meets them:

- ``reply N ""`` is refused; a reply to a resolved ticket, or to one whose enquirer asked
  for e-mail, warns and needs ``--force``;
- ``tickets --all`` shows "(erased)" for erased fields and "closed by the enquirer";
- ``tickets``, ``stats`` and ``backup`` take no ``--knowledge`` option (it did nothing);
- the terminal chat shows a staff reply as it arrives, counts ``+`` as feedback only
  under an answer that offers it, and answers a stale option number like any message.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.common.languages import Language
from bot.operations.services import Services, build_services
from bot.storage.database import Storage
from bot.terminal.chat import TERMINAL, TerminalChat, locale_language
from tests.test_privacy_data import forget, make_services, submit_request
from tests.test_tickets_outbox import ANSWERS

pytestmark = pytest.mark.unit

ALICE_ANSWERS = {**ANSWERS, "name": "Alice Andersen", "organisation": "Acme Bio"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("STAFF_SIGNATURE", raising=False)
    return tmp_path


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    built = make_services(data_dir)
    with built.storage:
        yield built


def ticket(services: Services, **changes: str) -> str:
    made = services.desk.submit(4242, 4242, {**ALICE_ANSWERS, **changes}, [])
    return made.ref


def outbox_count(services: Services) -> int:
    return int(services.storage.db.execute("SELECT count(*) FROM outbox").fetchone()[0])


# -- reply --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_reply_is_refused(
    services: Services, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    ref = ticket(services)
    before = outbox_count(services)
    assert main(["reply", ref, text]) == 2
    assert "empty" in capsys.readouterr().err
    assert outbox_count(services) == before


def test_a_reply_to_a_resolved_ticket_needs_force(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = ticket(services)
    services.desk.act(1, "resolve", "Birgit")
    before = outbox_count(services)
    assert main(["reply", ref, "One more thing"]) == 1
    err = capsys.readouterr().err
    assert "resolved" in err and "--force" in err
    assert outbox_count(services) == before
    assert main(["reply", ref, "One more thing", "--force"]) == 0
    assert outbox_count(services) > before


def test_a_reply_to_an_email_enquirer_needs_force(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = ticket(services, reply_via="email", email="alice@acme.example")
    before = outbox_count(services)
    assert main(["reply", ref, "Hello"]) == 1
    err = capsys.readouterr().err
    assert "e-mail" in err and "alice@acme.example" in err and "--force" in err
    assert outbox_count(services) == before
    assert main(["reply", ref, "Hello", "--force"]) == 0


# -- tickets ------------------------------------------------------------------------------


def test_tickets_all_shows_erased_fields_and_who_closed_it(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    dialogue = services.dialogue
    from tests.test_privacy_data import BYSTANDER, VICTIM

    submit_request(
        dialogue,
        VICTIM,
        name="Zelda Quux",
        organisation="Quuxcorp",
        email=None,
        topic="investment",
        message="secret",
    )
    forget(dialogue, VICTIM)
    submit_request(
        dialogue,
        BYSTANDER,
        name="Bruno B",
        organisation="B Ltd",
        email=None,
        topic="partnering",
        message="partners",
    )
    dialogue.command(BYSTANDER, "close")
    assert main(["tickets", "--all"]) == 0
    out = capsys.readouterr().out
    erased, message, closed, _ = out.splitlines()
    assert erased.endswith("— (erased)") and message.strip() == "(erased)"
    assert "''" not in out and " · " not in erased
    assert "[resolved (closed by the enquirer)]" in closed and "(Bruno B)" not in closed


@pytest.mark.parametrize("command", [["tickets"], ["stats"], ["backup", "x.sqlite3"]])
def test_commands_have_no_knowledge_option_that_does_nothing(
    data_dir: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--knowledge", str(data_dir)])
    assert exited.value.code == 2
    assert "--knowledge" in capsys.readouterr().err


# -- the terminal chat ----------------------------------------------------------------------


def chat_lines(services: Services, *lines: str) -> str:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    TerminalChat(services.dialogue, services.store, stdin, out, watch_every=None).run()
    return out.getvalue()


def test_the_terminals_locale_is_its_client_language(services: Services) -> None:
    out = io.StringIO()
    stdin = io.StringIO("/privacy\n/quit\n")
    chat = TerminalChat(
        services.dialogue, services.store, stdin, out, watch_every=None, client=Language.SV
    )
    chat.run()
    sv = services.kb.translated(Language.SV)
    assert out.getvalue().startswith("\nbot> " + sv.message("welcome")[:40])
    assert sv.message("privacy", retention_days=180).split("\n")[0] in out.getvalue()
    assert services.storage.chat_language(TERMINAL.chat_id) is None  # a prior, not a choice


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "da_DK.UTF-8"}, Language.DA),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, Language.SV),
        ({"LANG": "sv_FI", "LC_MESSAGES": "en_GB.UTF-8"}, Language.EN),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({}, None),
    ],
)
def test_locale_language(environ: dict[str, str], expected: Language | None) -> None:
    assert locale_language(environ) is expected


def test_chat_lang_picks_the_language_as_language_would(services: Services) -> None:
    out = io.StringIO()
    stdin = io.StringIO("/help\n/quit\n")
    TerminalChat(
        services.dialogue, services.store, stdin, out, watch_every=None, lang=Language.DA
    ).run()
    da = services.kb.translated(Language.DA)
    assert da.message("welcome")[:40] in out.getvalue()
    assert f"/language – {da.message('command_language')}" in out.getvalue()
    chosen = services.storage.chat_language(TERMINAL.chat_id)
    assert chosen is not None and (chosen.language, chosen.chosen) == (Language.DA, True)


def test_plus_after_a_fallback_is_not_feedback_and_gets_a_reply(services: Services) -> None:
    out = chat_lines(services, "who will win the football world cup", "+", "/quit")
    assert services.storage.counts()["feedback"] == 0
    assert "Thank you for your feedback" not in out
    assert out.count("bot> ") == 3  # the welcome, the fallback, and a reply to "+"


def test_plus_after_an_answer_is_feedback(services: Services) -> None:
    out = chat_lines(services, "When was MassBio founded?", "+", "/quit")
    assert services.storage.counts()["feedback"] == 1
    assert "Thank you for your feedback" in out


def test_a_stale_option_number_after_cancel_gets_a_reply(services: Services) -> None:
    out = chat_lines(services, "/contact", "/cancel", "1", "/quit")
    after_cancel = out.split("has been cancelled", 1)[1]
    assert "bot> " in after_cancel  # "1" is answered like any message
    assert services.store.form(TERMINAL.user_id) is None  # and starts no form


def test_staff_replies_show_while_the_prompt_waits(services: Services, data_dir: Path) -> None:
    services.desk.submit(TERMINAL.user_id, TERMINAL.chat_id, ALICE_ANSWERS, [])
    read, write = os.pipe()
    out = io.StringIO()
    with os.fdopen(read) as stdin, os.fdopen(write, "w") as typing:
        chat = TerminalChat(services.dialogue, services.store, stdin, out, watch_every=0.05)
        runner = threading.Thread(target=chat.run)
        runner.start()
        try:
            wait_for(lambda: out.getvalue().endswith("you> "))
            # `python -m bot reply` in another process: its own connection to the database.
            other = build_services(services.settings)
            with other.storage:
                found = other.desk.find("1")
                assert found is not None
                assert other.desk.staff_reply(found, "Anna", "On my way").delivered
            wait_for(lambda: "On my way" in out.getvalue())  # nothing typed meanwhile
            shown = out.getvalue()
            assert "staff> Anna from the programme staff replied to #A-0001:" in shown
            assert shown.endswith("you> ")  # the prompt again, under the reply
        finally:
            typing.write("/quit\n")
            typing.flush()
            runner.join(10)
    assert not runner.is_alive()
    with Storage(services.settings.database_path) as storage:
        assert storage.db.execute("SELECT status FROM outbox WHERE chat_id = 0").fetchall() == [
            ("sent",)
        ]


def wait_for(condition: object, timeout: float = 10.0) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)
