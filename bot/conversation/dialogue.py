"""The conversation service both adapters drive: answers, contact requests, feedback.

Telegram handlers and the terminal chat call the same methods, so what the terminal
shows is what an enquirer gets. Whatever must not be lost (the question log, the form
step, a ticket, a message for staff) is committed before the replies are returned, so
nothing is shown to a user as received that was not stored first.

Routing of a text message: a contact form in progress takes it (a knowledge question
typed mid-form is answered and the form resumes); otherwise, while a ticket is open, a
message the knowledge base answers confidently gets its answer (and joins the ticket's
thread, marked as answered by the bot) and any other message goes to staff; otherwise
the answering core answers it. Attachments reach staff only while a ticket is open.

Answers are presented with one date, where it belongs: the source line drops the
article's date when the answer already names the year, a repeated "(figure from 2011)"
is left out, and answers about the bot itself carry no source line at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answering.answerer import Action, Answerer, Kind, Option, Reply, source_line
from bot.common.textnorm import words
from bot.conversation.contact_form import SHORT_TEXT_STEPS, ContactForm, Form, Outcome, Step
from bot.conversation.privacy import Privacy, data_summary, data_text
from bot.conversation.tickets import TicketDesk
from bot.storage.database import Storage
from bot.storage.tickets import Ticket
from bot.understanding.followups import Context

# The enquirers' commands, in the order /help and Telegram's menu list them; each is
# described by its command_<name> message.
ENQUIRER_COMMANDS = (
    "start",
    "help",
    "about",
    "contact",
    "cancel",
    "close",
    "privacy",
    "mydata",
    "forget",
)
# The ones that make sense in a group; the rest concern one person's data: private only.
GROUP_COMMANDS = ("start", "help", "about", "privacy")
# Commands answered with a bot message: name -> (message key, show start topics).
COMMAND_MESSAGES = {
    "help": ("help", True),
    "about": ("about", False),
}
# The choices under /forget's question (form choices: they come back through choose).
FORGET_ERASE = "forget:erase"
FORGET_KEEP = "forget:keep"
# Kinds of attachment relayed to staff while a ticket is open.
ATTACHMENTS = ("photo", "document", "voice", "video", "audio")
# A source line ending in its date ("..., 4 July 2011"), and a figure dating itself.
_SOURCE_DATE = re.compile(r", \d{1,2} [A-Za-z]+ (\d{4})$")
_FIGURE_DATE = " ({} from {})"
FIGURE_WORDS = ("figure", "figures")
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
            return self._ticket_text(who, ticket, text)
        turn = self.ask(who, text)
        if turn.reply.kind is Kind.CONTACT:
            # Asking for a person starts the contact request right away.
            said = Turn(replace(turn.reply, options=()), turn.question_id)
            return [said, *self.contact(who, turn.reply.contact_topic)]
        return [turn]

    def _ticket_text(self, who: Person, ticket: Ticket, text: str) -> list[Turn]:
        """A message while a ticket is open: a question the knowledge base answers
        confidently gets its answer (staff see both in the thread); anything else goes
        to staff. Only what reads as a question is a candidate, and only answers given
        since the ticket opened are read as its context: a message to staff ("More on
        our plan: we start in May.") must not be taken for a question."""
        reply = self._classify(who, text, since=ticket.created_at)
        if reply.kind is Kind.ANSWER and looks_like_question(text):
            turn = self._logged(who, text, reply)
            self.desk.enquirer_message(ticket, text, answer=turn.reply.text)
            note = self.kb.message("ticket_answered_note", ref=ticket.ref)
            return [replace(turn, reply=replace(turn.reply, text=f"{turn.reply.text}\n\n{note}"))]
        self.desk.enquirer_message(ticket, text)
        bye = self.kb.message("greeting_bye")
        if reply.kind is Kind.GREETING and reply.text == bye:
            # A goodbye is answered as one; staff see it, and the request stays open.
            still = self.kb.message("ticket_still_open", ref=ticket.ref)
            return [Turn(Reply(text, Kind.NOTICE, f"{bye} {still}"))]
        return [self._say("ticket_forwarded", ref=ticket.ref)]

    def attachment(self, who: Person, kind: str, message_id: int, caption: str) -> list[Turn]:
        """A photo, document, voice note, video or audio file: while a ticket is open it
        is copied to the staff chat; otherwise only text is understood."""
        ticket = self.store.open_ticket_of(who.user_id)
        if ticket is None or kind not in ATTACHMENTS or self.store.form(who.user_id):
            return [self._say("non_text")]
        self.desk.enquirer_attachment(ticket, who.chat_id, message_id, kind, caption)
        return [self._say("attachment_forwarded", kind=kind, ref=ticket.ref)]

    def ask(self, who: Person, text: str) -> Turn:
        """Answer from the knowledge base, read as a follow-up of the chat's previous
        answer (kept 30 minutes); the question and the new context are stored first."""
        return self._logged(who, text, self._classify(who, text))

    def _classify(self, who: Person, text: str, since: float = 0.0) -> Reply:
        saved = self.storage.context_of(who.chat_id)
        context = Context(saved.entry_id, saved.question) if saved and saved.ts >= since else None
        return self.answerer.ask(text, context)

    def _logged(self, who: Person, text: str, reply: Reply) -> Turn:
        """Store the question and the chat's new context; present the reply."""
        self._remember(who, reply)
        question_id = self.storage.log_question(
            user_id=who.user_id,
            chat_id=who.chat_id,
            text=text,
            kind=reply.kind.value,
            entry_id=reply.entry_id,
            score=reply.score,
        )
        return Turn(self.dated_once(reply), question_id)

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
            return [Turn(Reply("", Kind.NOTICE, self.desk.received_text(ticket)))]
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
        if option.value in (FORGET_ERASE, FORGET_KEEP):
            return self._forget(who, erase=option.value == FORGET_ERASE)
        saved = self.store.form(who.user_id)
        if saved is None:
            return [self._say("form_ended")]  # a button of a form that has ended
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
        return Turn(self.dated_once(reply), question_id)

    def dated_once(self, reply: Reply) -> Reply:
        """The answer with one date, where it belongs (see the module docstring)."""
        entries = [self.kb.entries[e] for e in reply.entry_ids if e in self.kb.entries]
        if reply.kind is not Kind.ANSWER or not entries:
            return reply
        sources = list(dict.fromkeys(source_line(e) for e in entries))
        block = "\n\n" + "\n".join(sources)
        if not reply.text.endswith(block):
            return reply
        body = reply.text[: -len(block)]
        if all("bot" in e.subjects for e in entries):
            return replace(reply, text=body)  # about the bot: no article to cite
        lines = []
        for line in sources:
            dated = _SOURCE_DATE.search(line)
            if dated is not None:
                body = _without_repeated_figure_dates(body, dated.group(1))
                if dated.group(1) in body:
                    line = line[: dated.start()]
            lines.append(line)
        return replace(reply, text=body + "\n\n" + "\n".join(lines))

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
        if name not in ENQUIRER_COMMANDS or name == "help":
            return [self.help(who)]
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
            lines = [
                self.kb.message("mydata_intro"),
                *data_summary(data, self.kb.message),
                self.kb.message("mydata_file"),
            ]
            summary = Reply("", Kind.NOTICE, "\n".join(lines))
            return [Turn(summary, file_name="mydata.json", file_text=data_text(data))]
        if name == "forget":
            data = self.privacy.data_of(who.user_id)
            if not data:
                self.privacy.forget(who.user_id)  # nothing to show; erase what is left
                return [self._say("mydata_none")]
            what = "\n".join(data_summary(data, self.kb.message))
            options = (
                Option(Action.FORM, self.kb.message("button_erase"), FORGET_ERASE),
                Option(Action.FORM, self.kb.message("button_keep"), FORGET_KEEP),
            )
            text = self.kb.message("forget_confirm", what=what)
            return [Turn(Reply("", Kind.NOTICE, text, options=options))]
        if name == "close":
            ticket = self.store.open_ticket_of(who.user_id)
            if ticket is None:
                return [self._say("ticket_none_open")]
            self.desk.close_by_enquirer(ticket)
            return [self._say("ticket_closed", ref=ticket.ref)]
        key, with_topics = COMMAND_MESSAGES[name]
        return [Turn(self.answerer.message_reply(key, with_topics=with_topics))]

    def help(self, who: Person) -> Turn:
        """/help: how to ask, then every command the chat can use, with its description."""
        names = GROUP_COMMANDS if who.chat_id < 0 else ENQUIRER_COMMANDS
        listed = [f"/{name} – {self.kb.message(f'command_{name}')}" for name in names]
        reply = self.answerer.message_reply("help", with_topics=True)
        text = "\n\n".join([reply.text, "\n".join([self.kb.message("help_commands"), *listed])])
        return Turn(replace(reply, text=text))

    def _forget(self, who: Person, erase: bool) -> list[Turn]:
        """The answer to /forget's question: erase everything, or keep it."""
        if not erase:
            return [self._say("forget_kept")]
        self.privacy.forget(who.user_id)
        return [self._say("forget_done")]

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
        return Turn(Reply("", Kind.NOTICE, self.kb.message(key, **values)))


def _without_repeated_figure_dates(body: str, year: str) -> str:
    """Drop "(figure from 2011)" where the answer already dates itself ("MVA's 2011
    article"); of several, keep the first when nothing else names the year."""
    marks = re.compile("|".join(re.escape(_FIGURE_DATE.format(w, year)) for w in FIGURE_WORDS))
    if year in marks.sub("", body):
        return marks.sub("", body)
    kept: list[str] = []

    def first_only(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return match.group(0) if len(kept) == 1 else ""

    return marks.sub(first_only, body)


def looks_like_question(text: str) -> bool:
    """A question typed where the form expects a name, an organisation or an e-mail."""
    ws = words(text)
    return text.rstrip().endswith("?") or (len(ws) >= 3 and ws[0] in QUESTION_WORDS)
