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

Every turn is in one language (``Reply.lang``), and everything in it is that language's
(``kb.translated(lang)``). A text message's language is read from its text
(bot/answering/languages.py), with the chat's language as the prior for very short or
mixed texts, unless the enquirer picked one with /language: then that one, always. The
chat's language, kept in SQLite, is the choice, else the language of its last message
read, else the client's (Telegram's language_code), else English; commands, buttons and
the contact form's steps are in it. Staff read English (bot/conversation/tickets.py).

Answers are presented with one date, where it belongs: the source line drops the
article's date when the answer already names the year, a repeated "(figure from 2011)"
is left out, and answers about the bot itself carry no source line at all.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

from bot.answering.answerer import Action, Kind, Option, Reply
from bot.answering.languages import Answerers
from bot.common.languages import LANGUAGE_NAMES, Language, language_of_code
from bot.common.textnorm import words
from bot.conversation.callback_data import AUTOMATIC
from bot.conversation.contact_form import SHORT_TEXT_STEPS, ContactForm, Form, Outcome, Step
from bot.conversation.privacy import Privacy, data_summary, data_text
from bot.conversation.tickets import TicketDesk
from bot.knowledge.base import KnowledgeBase
from bot.storage.database import Storage
from bot.storage.tickets import Ticket
from bot.understanding.followups import Context

# The enquirers' commands, in the order /help and Telegram's menu list them; each is
# described by its command_<name> message.
ENQUIRER_COMMANDS = (
    "start",
    "help",
    "language",
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
# A source line ending in its date ("..., 4 July 2011", "4. juli 2011"), and a figure
# dating itself.
_SOURCE_DATE = re.compile(r", \d{1,2}\.? [^\W\d_]+ (\d{4})$")
# " (figure from 2011)", " (tal fra 2011)", " (siffror från 2011)"
_FIGURE_DATE = r" \((?:figures?|tal|siffr(?:a|or)) (?:from|fra|från) {}\)"
QUESTION_WORDS = frozenset(
    "who what when where why how which whom whose is are was were does do did can could "
    "will would should".split()
)
RECENT_QUESTIONS = 5
DAY = 86400.0


@dataclass(frozen=True)
class Person:
    """Who is writing: ids from the transport, a first name for signatures, and the
    language of their client (Telegram's language_code), a prior only."""

    user_id: int
    chat_id: int
    first_name: str = ""
    client: Language | None = None


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
        answerers: Answerers,
        storage: Storage,
        desk: TicketDesk,
        form: ContactForm,
        privacy: Privacy,
    ) -> None:
        self.answerers = answerers
        self.answerer = answerers.for_language(Language.EN)
        self.kb = self.answerer.kb  # English: what staff read, and every language's ids
        self.storage = storage
        self.store = desk.store
        self.desk = desk
        self.form = form
        self.privacy = privacy

    # -- languages ----------------------------------------------------------------------

    def language(self, who: Person) -> Language:
        """The chat's language: the enquirer's choice, else the language of their last
        message, else their client's, else English."""
        saved = self.storage.chat_language(who.chat_id)
        if saved is not None and saved.language in self.kb.languages:
            return saved.language
        return self._spoken(who.client) or Language.EN

    def kb_in(self, lang: Language) -> KnowledgeBase:
        """The knowledge base in ``lang``: its messages, entries and labels."""
        return self.answerers.for_language(lang).kb

    def _spoken(self, lang: Language | None) -> Language | None:
        return lang if lang in self.kb.languages else None

    def _read(self, who: Person, text: str, context: Context | None) -> Reply:
        """Answer ``text`` in the chat's chosen language, or else in the language it is
        written in (the chat's language the prior); that becomes the chat's language."""
        saved = self.storage.chat_language(who.chat_id)
        if saved is not None and saved.chosen and saved.language in self.kb.languages:
            reply = self.answerers.ask(text, context, lang=saved.language)
        else:
            hint = saved.language if saved is not None else self._spoken(who.client)
            reply = self.answerers.ask(text, context, hint=hint)
        # Written when it changes, and once a day while in use (the retention purge reads
        # its time): most messages cost no write.
        if saved is None or saved.language is not reply.lang or saved.ts < time.time() - DAY:
            self.storage.note_language(who.chat_id, who.user_id, reply.lang)
        return reply

    def language_menu(self, who: Person) -> Turn:
        """/language: a button per language, each in its own name, and one to answer
        each message in its own language again; the current choice is ticked."""
        lang = self.language(who)
        kb = self.kb_in(lang)
        saved = self.storage.chat_language(who.chat_id)
        chosen = saved.language if saved is not None and saved.chosen else None

        def option(label: str, value: str, ticked: bool) -> Option:
            return Option(Action.LANGUAGE, f"✓ {label}" if ticked else label, value)

        options = [
            option(self.kb_in(each).message("language_name"), each.value, each is chosen)
            for each in self.kb.languages
        ]
        options.append(option(kb.message("button_language_auto"), AUTOMATIC, chosen is None))
        text = kb.message("language_prompt")
        return Turn(Reply("", Kind.NOTICE, text, options=tuple(options), lang=lang))

    def choose_language(self, who: Person, value: str) -> Turn:
        """Write in the language ``value`` names (a code, or its name in any of the
        languages), or, for ``auto``, in the language of each message again. An open
        request takes the language too: staff see it on the card."""
        if value.strip().casefold() == AUTOMATIC:
            self.storage.choose_language(who.chat_id, who.user_id, None)
            return self._say(self.language(who), "language_automatic")
        lang = self._language_named(value)
        if lang is None:
            return self.language_menu(who)
        with self.storage.transaction():
            self.storage.choose_language(who.chat_id, who.user_id, lang)
            ticket = self.store.open_ticket_of(who.user_id)
            if ticket is not None:
                self.desk.language_changed(ticket, lang)
        return self._say(lang, "language_chosen")

    def _language_named(self, value: str) -> Language | None:
        named = value.strip().casefold()
        for lang in self.kb.languages:
            names = {lang.value, LANGUAGE_NAMES[lang].casefold()}
            names |= {self.kb_in(lang).message("language_name").casefold()}
            if named in names:
                return lang
        return self._spoken(language_of_code(named))

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
        kb = self.kb_in(reply.lang)
        if reply.kind is Kind.ANSWER and self._looks_like_question(text):
            turn = self._logged(who, text, reply)
            self.desk.enquirer_message(
                ticket, text, answer=turn.reply.text, staff_reads=self._in_english(turn.reply)
            )
            note = kb.message("ticket_answered_note", ref=ticket.ref)
            return [replace(turn, reply=replace(turn.reply, text=f"{turn.reply.text}\n\n{note}"))]
        self.desk.enquirer_message(ticket, text)
        bye = kb.message("greeting_bye")
        if reply.kind is Kind.GREETING and reply.text == bye:
            # A goodbye is answered as one; staff see it, and the request stays open.
            still = kb.message("ticket_still_open", ref=ticket.ref)
            return [Turn(Reply(text, Kind.NOTICE, f"{bye} {still}", lang=reply.lang))]
        return [self._say(reply.lang, "ticket_forwarded", ref=ticket.ref)]

    def _looks_like_question(self, text: str) -> bool:
        """``looks_like_question`` in any of the languages: a question typed where the
        form expects a name, or while a request is open, opens with one of that
        language's question starts ("hvornår", "vem", "finns")."""
        if looks_like_question(text):
            return True
        for lang in self.answerers.languages:
            rules = self.answerers.for_language(lang).rules
            ws = rules.analyzer.words(text)
            if lang is not Language.EN and len(ws) >= 3 and ws[0] in rules.question_starts:
                return True
        return False

    def _in_english(self, reply: Reply) -> str | None:
        """The bot's answer as staff read it, in English (the same entries' answers), or
        None when it is English already."""
        if reply.lang is Language.EN:
            return None
        answers = [self.kb.entries[e].answer for e in reply.entry_ids if e in self.kb.entries]
        return "\n\n".join(answers) or None

    def attachment(self, who: Person, kind: str, message_id: int, caption: str) -> list[Turn]:
        """A photo, document, voice note, video or audio file: while a ticket is open it
        is copied to the staff chat; otherwise only text is understood."""
        lang = self.language(who)
        ticket = self.store.open_ticket_of(who.user_id)
        if ticket is None or kind not in ATTACHMENTS or self.store.form(who.user_id):
            return [self._say(lang, "non_text")]
        self.desk.enquirer_attachment(ticket, who.chat_id, message_id, kind, caption)
        what = self.kb_in(lang).message(f"attachment_{kind}")
        return [self._say(lang, "attachment_forwarded", kind=what, ref=ticket.ref)]

    def ask(self, who: Person, text: str) -> Turn:
        """Answer from the knowledge base, read as a follow-up of the chat's previous
        answer (kept 30 minutes); the question and the new context are stored first."""
        return self._logged(who, text, self._classify(who, text))

    def _classify(self, who: Person, text: str, since: float = 0.0) -> Reply:
        saved = self.storage.context_of(who.chat_id)
        context = Context(saved.entry_id, saved.question) if saved and saved.ts >= since else None
        return self._read(who, text, context)

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
            language=reply.lang.value,
        )
        return Turn(self.dated_once(reply), question_id)

    def _form_text(self, who: Person, form: Form, text: str) -> list[Turn]:
        if form.step in SHORT_TEXT_STEPS and self._looks_like_question(text):
            return self._answer_and_resume(who, form, text)
        # An answer to the form (a name, an address) says nothing of the chat's language.
        lang = self.language(who)
        outcome = self.form.in_language(lang).on_text(form, text)
        if outcome.unanswered:
            return self._answer_and_resume(who, form, text)
        return self._apply(who, outcome, lang)

    def _answer_and_resume(self, who: Person, form: Form, text: str) -> list[Turn]:
        answer = self.ask(who, text)
        lang = answer.reply.lang
        resume = self.form.in_language(lang).prompt(form)
        heading = self.kb_in(lang).message("form_resume")
        text = f"{heading}\n{resume.text}"
        return [answer, Turn(Reply("", Kind.FORM, text, options=resume.options, lang=lang))]

    def _apply(self, who: Person, outcome: Outcome, lang: Language) -> list[Turn]:
        if outcome.submitted is not None:
            recent = [
                q.text
                for q in reversed(self.storage.recent_questions(who.user_id, RECENT_QUESTIONS))
            ]
            with self.storage.transaction():
                ticket = self.desk.submit(
                    who.user_id, who.chat_id, outcome.submitted, recent, language=lang
                )
                self.store.clear_form(who.user_id)
            text = self.desk.received_text(ticket)
            return [Turn(Reply("", Kind.NOTICE, text, lang=ticket.language))]
        if outcome.form is None:
            self.store.clear_form(who.user_id)
        else:
            self.store.save_form(who.user_id, who.chat_id, outcome.form.step, outcome.form.data)
        return [Turn(reply) for reply in outcome.replies]

    # -- buttons ------------------------------------------------------------------------

    def choose(self, who: Person, option: Option) -> list[Turn]:
        """A pressed option: an entry's answer, a contact request, a language, or a form
        choice."""
        lang = self.language(who)
        if option.action is Action.ENTRY:
            turns = [self.choose_entry(who, option.value)]
            saved = self.store.form(who.user_id)
            if saved is not None:  # a follow-up pressed mid-form: resume the form after it
                form = Form(Step(saved.step), saved.data)
                turns.append(Turn(self.form.in_language(lang).prompt(form)))
            return turns
        if option.action is Action.CONTACT:
            return self.contact(who, option.value or None)
        if option.action is Action.LANGUAGE:
            return [self.choose_language(who, option.value)]
        if option.value in (FORGET_ERASE, FORGET_KEEP):
            return self._forget(who, erase=option.value == FORGET_ERASE)
        saved = self.store.form(who.user_id)
        if saved is None:
            return [self._say(lang, "form_ended")]  # a button of a form that has ended
        form = Form(Step(saved.step), saved.data)
        return self._apply(who, self.form.in_language(lang).on_choice(form, option.value), lang)

    def choose_entry(self, who: Person, entry_id: str) -> Turn:
        """A follow-up or "did you mean" button: answer that entry (logged as asked), in
        the chat's language."""
        answerer = self.answerers.for_language(self.language(who))
        if entry_id not in answerer.kb.entries:  # removed since the button was sent
            return Turn(answerer.fallback_reply(""))
        reply = answerer.entry_reply(entry_id)
        self._remember(who, reply)
        question_id = self.storage.log_question(
            user_id=who.user_id,
            chat_id=who.chat_id,
            text=reply.question,
            kind=reply.kind.value,
            entry_id=entry_id,
            score=reply.score,
            language=reply.lang.value,
        )
        return Turn(self.dated_once(reply), question_id)

    def dated_once(self, reply: Reply) -> Reply:
        """The answer with one date, where it belongs (see the module docstring)."""
        answerer = self.answerers.for_language(reply.lang)
        entries = [answerer.kb.entries[e] for e in reply.entry_ids if e in answerer.kb.entries]
        if reply.kind is not Kind.ANSWER or not entries:
            return reply
        sources = list(dict.fromkeys(answerer.source_line(e) for e in entries))
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

    def command(self, who: Person, name: str, argument: str = "") -> list[Turn]:
        """The reply to /name (``argument``: what follows it, as in "/language da");
        unknown commands get the help text. All in the chat's language."""
        lang = self.language(who)
        kb = self.kb_in(lang)
        if name == "start":
            return [self.welcome(lang)]
        if name not in ENQUIRER_COMMANDS or name == "help":
            return [self.help(who)]
        if name == "language":
            if argument.strip():
                return [self.choose_language(who, argument)]
            return [self.language_menu(who)]
        if name == "contact":
            return self.contact(who)
        if name == "cancel":
            if self.store.form(who.user_id) is not None:
                self.store.clear_form(who.user_id)
                return [self._say(lang, "form_cancelled")]
            return [self._say(lang, "cancel")]
        if name == "privacy":
            return [self._say(lang, "privacy", retention_days=self.form.retention_days)]
        if name == "mydata":
            data = self.privacy.data_of(who.user_id)
            if not data:
                return [self._say(lang, "mydata_none")]
            lines = [
                kb.message("mydata_intro"),
                *data_summary(data, kb.message),
                kb.message("mydata_file"),
            ]
            summary = Reply("", Kind.NOTICE, "\n".join(lines), lang=lang)
            return [Turn(summary, file_name="mydata.json", file_text=data_text(data))]
        if name == "forget":
            data = self.privacy.data_of(who.user_id)
            if not data:
                self.privacy.forget(who.user_id)  # nothing to show; erase what is left
                return [self._say(lang, "mydata_none")]
            what = "\n".join(data_summary(data, kb.message))
            options = (
                Option(Action.FORM, kb.message("button_erase"), FORGET_ERASE),
                Option(Action.FORM, kb.message("button_keep"), FORGET_KEEP),
            )
            text = kb.message("forget_confirm", what=what)
            return [Turn(Reply("", Kind.NOTICE, text, options=options, lang=lang))]
        if name == "close":
            ticket = self.store.open_ticket_of(who.user_id)
            if ticket is None:
                return [self._say(lang, "ticket_none_open")]
            self.desk.close_by_enquirer(ticket)
            return [self._say(lang, "ticket_closed", ref=ticket.ref)]
        key, with_topics = COMMAND_MESSAGES[name]
        answerer = self.answerers.for_language(lang)
        return [Turn(answerer.message_reply(key, with_topics=with_topics))]

    def help(self, who: Person) -> Turn:
        """/help: how to ask, then every command the chat can use, with its description."""
        lang = self.language(who)
        kb = self.kb_in(lang)
        names = GROUP_COMMANDS if who.chat_id < 0 else ENQUIRER_COMMANDS
        listed = [f"/{name} – {kb.message(f'command_{name}')}" for name in names]
        reply = self.answerers.for_language(lang).message_reply("help", with_topics=True)
        text = "\n\n".join([reply.text, "\n".join([kb.message("help_commands"), *listed])])
        return Turn(replace(reply, text=text))

    def _forget(self, who: Person, erase: bool) -> list[Turn]:
        """The answer to /forget's question: erase everything, or keep it. The reply is
        in the chat's language, read before the erasure (which forgets it too)."""
        lang = self.language(who)
        if not erase:
            return [self._say(lang, "forget_kept")]
        self.privacy.forget(who.user_id)
        return [self._say(lang, "forget_done")]

    def contact(self, who: Person, topic: str | None = None) -> list[Turn]:
        """Start a contact request: the privacy notice comes first."""
        lang = self.language(who)
        ticket = self.store.open_ticket_of(who.user_id)
        if ticket is not None:
            return [self._say(lang, "ticket_already_open", ref=ticket.ref)]
        return self._apply(who, self.form.in_language(lang).start(topic), lang)

    def welcome(self, lang: Language = Language.EN) -> Turn:
        return Turn(self.answerers.for_language(lang).welcome())

    def message(self, key: str, lang: Language = Language.EN) -> Turn:
        return self._say(lang, key)

    def _say(self, lang: Language, key: str, **values: object) -> Turn:
        return Turn(Reply("", Kind.NOTICE, self.kb_in(lang).message(key, **values), lang=lang))


def _without_repeated_figure_dates(body: str, year: str) -> str:
    """Drop "(figure from 2011)" (or its translation) where the answer already dates
    itself ("MVA's 2011 article"); of several, keep the first when nothing else names
    the year."""
    marks = re.compile(_FIGURE_DATE.format(re.escape(year)))
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
