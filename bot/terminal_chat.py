"""The terminal chat: a conversation on the same ``Dialogue`` the Telegram adapter drives.

Buttons appear as numbered choices (type the number), feedback as ``+`` and ``-``,
commands as in Telegram (/start, /help, /about, /contact, /cancel); /quit leaves.
"""

from __future__ import annotations

from typing import TextIO

from bot.dialogue import Dialogue, Turn
from bot.terminal import render_reply

PROMPT = "you> "
TERMINAL_USER = 0  # the terminal's enquirer in the conversation log


class TerminalChat:
    def __init__(self, dialogue: Dialogue, stdin: TextIO, out: TextIO) -> None:
        self.dialogue = dialogue
        self.kb = dialogue.answerer.kb
        self.stdin = stdin
        self.out = out
        self.last: Turn | None = None

    def show(self, turn: Turn) -> None:
        self.last = turn
        body = render_reply(self.kb, turn.reply).replace("\n", "\n     ")
        self.out.write(f"\nbot> {body}\n\n")
        self.out.flush()

    def run(self) -> int:
        self.show(self.dialogue.welcome())
        while True:
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
            self.show(self.dialogue.choose(TERMINAL_USER, TERMINAL_USER, options[int(text) - 1]))
        elif text in ("+", "-") and last is not None and last.question_id is not None:
            if self.dialogue.feedback(TERMINAL_USER, last.question_id, text == "+"):
                self.say(self.kb.message("feedback_thanks"))
        elif text.startswith("/"):
            self.show(self.dialogue.command(text[1:].split()[0].split("@")[0]))
        else:
            self.show(self.dialogue.ask(TERMINAL_USER, TERMINAL_USER, text))

    def say(self, text: str) -> None:
        self.out.write(f"\nbot> {text}\n\n")
        self.out.flush()
