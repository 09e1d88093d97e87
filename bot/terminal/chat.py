"""The terminal chat: a conversation on the same ``Dialogue`` the Telegram adapter drives.

Buttons appear as numbered choices under the reply that offers them (type the number),
feedback as ``+`` and ``-`` under an answer that asks for it; anything else typed is a
message like any other, so every line gets a reply. Commands work as in Telegram
(/start, /help, /language, /about, /contact, /cancel, /close, /privacy, /mydata,
/forget); /quit leaves. ``lang`` (``chat --lang``) picks the chat's language as
/language would; the terminal's locale ($LC_ALL, $LC_MESSAGES, $LANG) stands in for
Telegram's client language, the prior for very short messages and for /start.

Staff replies to the terminal's tickets (``python -m bot reply N TEXT``) are shown as
they arrive, while the prompt waits: a watcher thread looks at the outbox every
``watch_every`` seconds. One lock keeps it and the conversation from using the database
or the screen at the same time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import TextIO

from bot.common.languages import Language, language_of_code
from bot.conversation.dialogue import Dialogue, Person, Turn
from bot.storage.contacts import ContactStore
from bot.terminal.render import render_reply

PROMPT = "you> "
# The terminal's enquirer: user and chat id 0, which no Telegram user has.
TERMINAL = Person(user_id=0, chat_id=0, first_name="Terminal")
WATCH_EVERY = 1.0  # seconds between looks for staff replies


class TerminalChat:
    def __init__(
        self,
        dialogue: Dialogue,
        store: ContactStore,
        stdin: TextIO,
        out: TextIO,
        watch_every: float | None = WATCH_EVERY,
        lang: Language | None = None,
        client: Language | None = None,
    ) -> None:
        self.dialogue = dialogue
        self.person = replace(TERMINAL, client=client)
        self.lang = lang
        self.store = store
        self.kb = dialogue.kb
        self.stdin = stdin
        self.out = out
        self.last: Turn | None = None  # the last reply shown: its choices are on offer
        self.watch_every = watch_every
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def show(self, turns: list[Turn]) -> None:
        for turn in turns:
            self.last = turn
            body = render_reply(self.kb, turn.reply)
            if turn.file_name:  # the terminal shows what Telegram would attach
                body += f"\n\n{turn.file_name}:\n{turn.file_text}"
            body = body.replace("\n", "\n     ")
            self.out.write(f"\nbot> {body}\n")
        self.out.write("\n")
        self.out.flush()

    def run(self) -> int:
        with self._lock:
            if self.lang is not None:
                self.dialogue.choose_language(self.person, self.lang.value)
            self.show([self.dialogue.welcome(self.dialogue.language(self.person))])
        watcher = None
        if self.watch_every is not None:
            watcher = threading.Thread(target=self._watch, name="staff-replies", daemon=True)
            watcher.start()
        try:
            return self._converse()
        finally:
            self._stop.set()
            if watcher is not None:
                watcher.join(5)

    def _converse(self) -> int:
        while True:
            with self._lock:
                self.deliver_staff_replies()
                self.out.write(PROMPT)
                self.out.flush()
            line = self.stdin.readline()
            if not line:
                self.out.write("\n")
                return 0
            text = line.strip()
            if text in ("/quit", "/exit"):
                return 0
            if text:
                with self._lock:
                    self.handle(text)

    def _watch(self) -> None:
        """Show staff replies while the prompt waits for the enquirer."""
        assert self.watch_every is not None
        while not self._stop.wait(self.watch_every):
            with self._lock:
                if self.deliver_staff_replies():
                    self.out.write(PROMPT)
                    self.out.flush()

    def handle(self, text: str) -> None:
        last = self.last
        options = last.reply.options if last else ()
        who = self.person
        if text.isdigit() and 1 <= int(text) <= len(options):
            self.show(self.dialogue.choose(who, options[int(text) - 1]))
        elif (
            text in ("+", "-")
            and last is not None
            and last.reply.feedback  # offered under this reply, not under a fallback
            and last.question_id is not None
        ):
            if self.dialogue.feedback(who.user_id, last.question_id, text == "+"):
                lang = self.dialogue.language(who)
                self.show([self.dialogue.message("feedback_thanks", lang)])
        elif text.startswith("/"):
            command, *argument = text[1:].split(maxsplit=1)
            self.show(self.dialogue.command(who, command.split("@")[0], *argument))
        else:
            self.show(self.dialogue.text(who, text))

    def deliver_staff_replies(self) -> int:
        """Outbox messages for the terminal's chat are printed here, then marked sent;
        returns how many."""
        shown = 0
        while mine := [i for i in self.store.due() if i.message.chat_id == TERMINAL.chat_id]:
            for item in mine:
                self.out.write("\nstaff> " + item.message.text.replace("\n", "\n       ") + "\n\n")
                self.store.mark_sent(item, None)
                shown += 1
        self.out.flush()
        return shown


def locale_language(environ: Mapping[str, str] = os.environ) -> Language | None:
    """The language of the terminal's locale ("da_DK.UTF-8": Danish), as POSIX reads it
    for messages: $LC_ALL, else $LC_MESSAGES, else $LANG; None for one the bot does
    not speak ("C", "de_DE")."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return language_of_code(environ[name].split(".")[0])
    return None
