"""The conversation service both adapters drive: answers, contact requests, feedback.

Telegram handlers and the terminal chat call the same methods, so what the terminal
shows is what an enquirer gets. Whatever must not be lost (the question log, the form
step, a ticket, a message for staff) is committed before the replies are returned, so
nothing is shown to a user as received that was not stored first.

Routing of a text message: a contact form in progress takes it (a knowledge question
typed mid-form is answered and the form resumes); otherwise an open ticket takes it
(it goes to staff); otherwise the answering core answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.answering import Action, Answerer, Kind, Option, Reply
from bot.contact_form import SHORT_TEXT_STEPS, ContactForm, Form, Outcome, Step
from bot.privacy import Privacy, data_text
from bot.storage import Storage
from bot.textnorm import words
from bot.tickets import TicketDesk
from bot.understanding.followups import Context

# Commands answered with a bot message: name -> (message key, show start topics).
COMMAND_MESSAGES = {
    "help": ("help", True),
    "about": ("about", False),
}
QUESTION_WORDS = frozenset(
    "who what when where why how which whom whose is are was were does do did can could "
    "will would should".split()
)
RECENT_QUESTIONS = 5


@dataclass(frozen=True)
class Person:
    """Who is writing: ids from the transport, and a first name for signatures."""

    user_id: int
    chat_id: int
    first_name: str = ""


@dataclass(frozen=True)
class Turn:
    reply: Reply
    question_id: int | None = None  # id in the conversation log, for feedback
    # When set and the text is too long for one message, adapters may send
    # ``file_text`` as a file of this name instead, with the first line as caption.
    file_name: str | None = None
    file_text: str = ""


class Dialogue:
    def __init__(
        self,
        answerer: Answerer,
        storage: Storage,
        desk: TicketDesk,
        form: ContactForm,
        privacy: Privacy,
    ) -> None:
        self.answerer = answerer
        self.kb = answerer.kb
        self.storage = storage
        self.store = desk.store
        self.desk = desk
        self.form = form
        self.privacy = privacy

    # -- text ---------------------------------------------------------------------------

    def text(self, who: Person, text: str) -> list[Turn]:
        saved = self.store.form(who.user_id)
        if saved is not None:
            return self._form_text(who, Form(Step(saved.step), saved.data), text)
        ticket = self.store.open_ticket_of(who.user_id)
        if ticket is not None:
            self.desk.enquirer_message(ticket, text)
            return [self._say("ticket_forwarded", ref=ticket.ref)]
        turn = self.ask(who, text)
        if turn.reply.kind is Kind.CONTACT:
            # Asking for a person starts the contact request right away.
            said = Turn(replace(turn.reply, options=()), turn.question_id)
            return [said, *self.contact(who, turn.reply.contact_topic)]
        return [turn]

    def ask(self, who: Person, text: str) -> Turn:
        """Answer from the knowledge base, read as a follow-up of the chat's previous
        answer (kept 30 minutes); the question and the new context are stored first."""
        saved = self.storage.context_of(who.chat_id)
        context = Context(saved.entry_id, saved.question) if saved else None
        reply = self.answerer.ask(text, context)
        self._remember(who, reply)
        question_id = self.storage.log_question(
            user_id=who.user_id,
            chat_id=who.chat_id,
            text=text,
            kind=reply.kind.value,
            entry_id=reply.entry_id,
            score=reply.score,
        )
        return Turn(reply, question_id)

    def _form_text(self, who: Person, form: Form, text: str) -> list[Turn]:
        if form.step in SHORT_TEXT_STEPS and looks_like_question(text):
            return self._answer_and_resume(who, form, text)
        outcome = self.form.on_text(form, text)
        if outcome.unanswered:
            return self._answer_and_resume(who, form, text)
        return self._apply(who, outcome)

    def _answer_and_resume(self, who: Person, form: Form, text: str) -> list[Turn]:
        answer = self.ask(who, text)
        resume = self.form.prompt(form)
        heading = self.kb.message("form_resume")
        return [
            answer,
            Turn(Reply("", Kind.FORM, f"{heading}\n{resume.text}", options=resume.options)),
        ]

    def _apply(self, who: Person, outcome: Outcome) -> list[Turn]:
        if outcome.submitted is not None:
            recent = [
                q.text
                for q in reversed(self.storage.recent_questions(who.user_id, RECENT_QUESTIONS))
            ]
            with self.storage.transaction():
                ticket = self.desk.submit(who.user_id, who.chat_id, outcome.submitted, recent)
                self.store.clear_form(who.user_id)
            return [Turn(Reply("", Kind.FORM, self.desk.received_text(ticket)))]
        if outcome.form is None:
            self.store.clear_form(who.user_id)
        else:
            self.store.save_form(who.user_id, who.chat_id, outcome.form.step, outcome.form.data)
        return [Turn(reply) for reply in outcome.replies]

    # -- buttons ------------------------------------------------------------------------

    def choose(self, who: Person, option: Option) -> list[Turn]:
        """A pressed option: an entry's answer, a contact request, or a form choice."""
        if option.action is Action.ENTRY:
            turns = [self.choose_entry(who, option.value)]
            saved = self.store.form(who.user_id)
            if saved is not None:  # a follow-up pressed mid-form: resume the form after it
                turns.append(Turn(self.form.prompt(Form(Step(saved.step), saved.data))))
            return turns
        if option.action is Action.CONTACT:
            return self.contact(who, option.value or None)
        saved = self.store.form(who.user_id)
        if saved is None:
            return []  # a button of a form that has ended
        return self._apply(
            who, self.form.on_choice(Form(Step(saved.step), saved.data), option.value)
        )

    def choose_entry(self, who: Person, entry_id: str) -> Turn:
        """A follow-up or "did you mean" button: answer that entry (logged as asked)."""
        if entry_id not in self.kb.entries:  # removed since the button was sent
            return Turn(self.answerer.fallback_reply(""))
        reply = self.answerer.entry_reply(entry_id)
        self._remember(who, reply)
        question_id = self.storage.log_question(
            user_id=who.user_id,
            chat_id=who.chat_id,
            text=reply.question,
            kind=reply.kind.value,
            entry_id=entry_id,
            score=reply.score,
        )
        return Turn(reply, question_id)

    def _remember(self, who: Person, reply: Reply) -> None:
        """Keep the entry just answered as the chat's context for a follow-up."""
        if reply.context is not None:
            self.storage.remember_context(
                who.chat_id, who.user_id, reply.context.entry_id, reply.context.question
            )

    def feedback(self, user_id: int, question_id: int, helpful: bool) -> bool:
        return self.storage.record_feedback(question_id, user_id, helpful)

    # -- commands -----------------------------------------------------------------------

    def command(self, who: Person, name: str) -> list[Turn]:
        """The reply to /name; unknown commands get the help text."""
        if name == "start":
            return [self.welcome()]
        if name == "contact":
            return self.contact(who)
        if name == "cancel":
            if self.store.form(who.user_id) is not None:
                self.store.clear_form(who.user_id)
                return [self._say("form_cancelled")]
            return [self._say("cancel")]
        if name == "privacy":
            return [self._say("privacy", retention_days=self.form.retention_days)]
        if name == "mydata":
            data = self.privacy.data_of(who.user_id)
            if not data:
                return [self._say("mydata_none")]
            content = data_text(data)
            text = f"{self.kb.message('mydata_intro')}\n{content}"
            return [Turn(Reply("", Kind.FORM, text), file_name="mydata.json", file_text=content)]
        if name == "forget":
            self.privacy.forget(who.user_id)
            return [self._say("forget_done")]
        if name == "close":
            ticket = self.store.open_ticket_of(who.user_id)
            if ticket is None:
                return [self._say("ticket_none_open")]
            self.desk.close_by_enquirer(ticket)
            return [self._say("ticket_closed", ref=ticket.ref)]
        key, with_topics = COMMAND_MESSAGES.get(name, ("help", True))
        return [Turn(self.answerer.message_reply(key, with_topics=with_topics))]

    def contact(self, who: Person, topic: str | None = None) -> list[Turn]:
        """Start a contact request: the privacy notice comes first."""
        ticket = self.store.open_ticket_of(who.user_id)
        if ticket is not None:
            return [self._say("ticket_already_open", ref=ticket.ref)]
        return self._apply(who, self.form.start(topic))

    def welcome(self) -> Turn:
        return Turn(self.answerer.welcome())

    def message(self, key: str) -> Turn:
        return self._say(key)

    def _say(self, key: str, **values: object) -> Turn:
        return Turn(Reply("", Kind.FORM, self.kb.message(key, **values)))


def looks_like_question(text: str) -> bool:
    """A question typed where the form expects a name, an organisation or an e-mail."""
    ws = words(text)
    return text.rstrip().endswith("?") or (len(ws) >= 3 and ws[0] in QUESTION_WORDS)
