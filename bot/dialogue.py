"""The conversation service both adapters drive: answers, logging and feedback.

Telegram handlers and the terminal chat call the same methods, so what the terminal
shows is what an enquirer gets. The question is committed to the log before its reply
is returned, so nothing is shown to a user that was not recorded first.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering import Action, Answerer, Option, Reply
from bot.storage import Storage

# Commands answered with a bot message: name -> (message key, show start topics).
COMMAND_MESSAGES = {
    "help": ("help", True),
    "about": ("about", False),
    "contact": ("contact_pending", False),
    "cancel": ("cancel", False),
}


@dataclass(frozen=True)
class Turn:
    reply: Reply
    question_id: int | None = None  # id in the conversation log, for feedback


class Dialogue:
    def __init__(self, answerer: Answerer, storage: Storage) -> None:
        self.answerer = answerer
        self.storage = storage

    def ask(self, user_id: int, chat_id: int, text: str) -> Turn:
        reply = self.answerer.ask(text)
        question_id = self.storage.log_question(
            user_id=user_id,
            chat_id=chat_id,
            text=text,
            kind=reply.kind.value,
            entry_id=reply.entry_id,
            score=reply.score,
        )
        return Turn(reply, question_id)

    def choose_entry(self, user_id: int, chat_id: int, entry_id: str) -> Turn | None:
        """A follow-up or "did you mean" button: answer that entry (logged as asked)."""
        if entry_id not in self.answerer.kb.entries:
            return None
        reply = self.answerer.entry_reply(entry_id)
        question_id = self.storage.log_question(
            user_id=user_id,
            chat_id=chat_id,
            text=reply.question,
            kind=reply.kind.value,
            entry_id=entry_id,
            score=reply.score,
        )
        return Turn(reply, question_id)

    def feedback(self, user_id: int, question_id: int, helpful: bool) -> bool:
        return self.storage.record_feedback(question_id, user_id, helpful)

    def message(self, key: str, with_topics: bool = False) -> Turn:
        return Turn(self.answerer.message_reply(key, with_topics=with_topics))

    def welcome(self) -> Turn:
        return Turn(self.answerer.welcome())

    def command(self, name: str) -> Turn:
        """The reply to /name; unknown commands get the help text."""
        if name == "start":
            return self.welcome()
        key, with_topics = COMMAND_MESSAGES.get(name, ("help", True))
        return self.message(key, with_topics)

    def contact(self, topic: str | None = None) -> Turn:
        """ "Talk to a person": until contact requests are live, say how it will work."""
        return self.message("contact_pending")

    def choose(self, user_id: int, chat_id: int, option: Option) -> Turn:
        """A pressed option: an entry's answer, or the start of a contact request."""
        if option.action is Action.ENTRY:
            turn = self.choose_entry(user_id, chat_id, option.entry_id)
            # An entry removed since the button was sent.
            return turn if turn is not None else self.message("fallback")
        return self.contact(option.entry_id or None)
