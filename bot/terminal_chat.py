"""The terminal chat: a conversation on the same ``Dialogue`` the Telegram adapter drives.

Buttons appear as numbered choices (type the number), feedback as ``+`` and ``-``,
commands as in Telegram (/start, /help, /about, /contact, /cancel, /close); /quit
leaves. Staff replies to the terminal's tickets (``python -m bot reply N TEXT``) are
shown before the next prompt.
"""

from __future__ import annotations

from typing import TextIO

from bot.dialogue import Dialogue, Person, Turn
from bot.storage import ContactStore
from bot.terminal import render_reply

PROMPT = "you> "
# The terminal's enquirer: user and chat id 0, which no Telegram user has.
TERMINAL = Person(user_id=0, chat_id=0, first_name="Terminal")


class TerminalChat:
    def __init__(self, dialogue: Dialogue, store: ContactStore, stdin: TextIO, out: TextIO) -> None:
        self.dialogue = dialogue
        self.store = store
        self.kb = dialogue.kb
        self.stdin = stdin
        self.out = out
        self.last: Turn | None = None

    def show(self, turns: list[Turn]) -> None:
        for turn in turns:
            if turn.reply.options or turn.reply.feedback:
                self.last = turn
            body = render_reply(self.kb, turn.reply).replace("\n", "\n     ")
            self.out.write(f"\nbot> {body}\n")
        self.out.write("\n")
        self.out.flush()

    def run(self) -> int:
        self.show([self.dialogue.welcome()])
        while True:
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
                self.handle(text)

    def handle(self, text: str) -> None:
        last = self.last
        options = last.reply.options if last else ()
        if text.isdigit() and 1 <= int(text) <= len(options):
            self.show(self.dialogue.choose(TERMINAL, options[int(text) - 1]))
        elif text in ("+", "-") and last is not None and last.question_id is not None:
            if self.dialogue.feedback(TERMINAL.user_id, last.question_id, text == "+"):
                self.show([self.dialogue.message("feedback_thanks")])
        elif text.startswith("/"):
            self.show(self.dialogue.command(TERMINAL, text[1:].split()[0].split("@")[0]))
        else:
            self.show(self.dialogue.text(TERMINAL, text))

    def deliver_staff_replies(self) -> None:
        """Outbox messages for the terminal's chat are printed here, then marked sent."""
        while mine := [i for i in self.store.due() if i.chat_id == TERMINAL.chat_id]:
            for item in mine:
                self.out.write("\nstaff> " + item.text.replace("\n", "\n       ") + "\n\n")
                self.store.mark_sent(item, None)
        self.out.flush()
