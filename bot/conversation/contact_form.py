"""The contact request form as a pure state machine: a step and the answers so far.

Privacy notice and consent first; then name, organisation, how to reply (this chat or
a validated e-mail address), topic, message; then a summary with Send, Edit and
Cancel. The caller stores the ``Form`` (in SQLite) after every step, so a restart
continues where the enquirer was. Every field is length-limited; text is kept exactly
as typed (it is escaped when shown, never altered when stored).

The form speaks the chat's language (``in_language``); its state holds no wording,
only steps, ids and what the enquirer typed, so the language may change between steps.
A choice may be typed instead of pressed, as its button's label or a plain word for it
in any of the languages ("yes", "ja", "nej", "avbryt").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.answering.answerer import Action, Kind, Option, Reply
from bot.common.languages import Language
from bot.common.lengths import utf16_len
from bot.common.textnorm import words
from bot.knowledge.base import KnowledgeBase


class Step(StrEnum):
    CONSENT = "consent"
    NAME = "name"
    ORGANISATION = "organisation"
    REPLY_VIA = "reply_via"
    EMAIL = "email"
    TOPIC = "topic"
    MESSAGE = "message"
    SUMMARY = "summary"
    EDIT = "edit"


# In UTF-16 units, as Telegram counts: an emoji is two.
LIMITS = {"name": 100, "organisation": 150, "email": 254, "message": 2500}
# Free-text steps where a typed question is more likely a question than an answer.
SHORT_TEXT_STEPS = frozenset({Step.NAME, Step.ORGANISATION, Step.EMAIL})
EDITABLE = ("name", "organisation", "reply_via", "topic", "message")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# English, Danish, Swedish: the words are told apart by the step's buttons, not by language.
_WORDS_FOR = {
    "agree": {"yes", "y", "ok", "okay", "agree", "i agree", "sure"}
    | {"ja", "jo", "javel", "javisst", "okej", "accepterer", "godkänner"},
    "decline": {"no", "n", "no thanks", "no, thanks", "stop", "decline"}
    | {"nej", "nej tak", "nej, tak", "nej tack", "nej, tack", "stopp"},
    "via:telegram": {"telegram", "here", "chat", "this chat", "in this chat", "in telegram"}
    | {"her", "i chatten", "i denne chat", "här", "i den här chatten", "i telegram"},
    "via:email": {"email", "e-mail", "mail", "by email", "by e-mail"}
    | {"på mail", "på e-mail", "via mail", "e-post", "epost", "via e-post", "med e-post", "mejl"},
    "send": {"send", "yes", "submit", "ok"} | {"ja", "skicka", "sänd"},
    "edit": {"edit", "change"} | {"ret", "rediger", "ændre", "ändra", "redigera"},
    "cancel": {"cancel", "stop"} | {"annuller", "afbryd", "fortryd", "avbryt", "stopp"},
}


@dataclass
class Form:
    step: Step = Step.CONSENT
    data: dict[str, str] = field(default_factory=dict)

    @property
    def editing(self) -> bool:
        return self.data.get("_editing") == "1"


@dataclass(frozen=True)
class Outcome:
    """What a form event led to."""

    form: Form | None  # None: the form is over (declined, cancelled or submitted)
    replies: tuple[Reply, ...] = ()
    submitted: dict[str, str] | None = None  # the answers, when Send was pressed
    unanswered: bool = False  # the text is not an answer to this step (a question?)


def valid_email(text: str) -> bool:
    return utf16_len(text) <= LIMITS["email"] and bool(_EMAIL.match(text)) and ".." not in text


class ContactForm:
    def __init__(self, kb: KnowledgeBase, retention_days: int) -> None:
        self.kb = kb
        self.retention_days = retention_days
        self.topics = {t.id: t.label for t in kb.topics}
        self._translations: dict[Language, ContactForm] = {}

    def in_language(self, lang: Language) -> ContactForm:
        """The form in ``lang``: its prompts, buttons and topic labels (built once)."""
        if lang is self.kb.language:
            return self
        if lang not in self._translations:
            self._translations[lang] = ContactForm(self.kb.translated(lang), self.retention_days)
        return self._translations[lang]

    @property
    def lang(self) -> Language:
        return self.kb.language

    # -- prompts ------------------------------------------------------------------------

    def start(self, topic: str | None = None) -> Outcome:
        form = Form(Step.CONSENT, {"topic": topic} if topic in self.topics else {})
        return Outcome(form, (self.prompt(form),))

    def prompt(self, form: Form) -> Reply:
        message = self.kb.message
        step = form.step
        if step is Step.CONSENT:
            text = message("contact_privacy", retention_days=self.retention_days)
            return self._reply(text, [("button_agree", "agree"), ("button_decline", "decline")])
        if step is Step.REPLY_VIA:
            return self._reply(
                message("form_reply_via"),
                [("button_reply_telegram", "via:telegram"), ("button_reply_email", "via:email")],
            )
        if step is Step.TOPIC:
            options = [
                Option(Action.FORM, label, f"topic:{tid}") for tid, label in self.topics.items()
            ]
            text = message("form_topic")
            return Reply("", Kind.FORM, text, options=tuple(options), lang=self.lang)
        if step is Step.SUMMARY:
            return self._reply(
                self.summary(form),
                [("button_send", "send"), ("button_edit", "edit"), ("button_cancel", "cancel")],
            )
        if step is Step.EDIT:
            return self._reply(
                message("form_edit_which"),
                [(f"field_{name}", f"field:{name}") for name in EDITABLE],
            )
        return self._reply(message(f"form_{step.value}"), [])

    def summary(self, form: Form) -> str:
        data = form.data
        if data.get("reply_via") == "email":
            reply = self.kb.message("reply_by_email", email=data.get("email", ""))
        else:
            reply = self.kb.message("reply_in_telegram")
        return self.kb.message(
            "form_summary",
            name=data.get("name", ""),
            organisation=data.get("organisation", ""),
            reply=reply,
            topic=self.topics.get(data.get("topic", ""), ""),
            message=data.get("message", ""),
        )

    def _reply(self, text: str, buttons: list[tuple[str, str]]) -> Reply:
        options = tuple(Option(Action.FORM, self.kb.message(key), value) for key, value in buttons)
        return Reply("", Kind.FORM, text, options=options, lang=self.lang)

    def _say(self, key: str, **values: object) -> Reply:
        return Reply("", Kind.FORM, self.kb.message(key, **values), lang=self.lang)

    # -- events -------------------------------------------------------------------------

    def on_text(self, form: Form, text: str) -> Outcome:
        step = form.step
        if step in (Step.CONSENT, Step.REPLY_VIA, Step.TOPIC, Step.SUMMARY, Step.EDIT):
            value = self._typed_choice(step, text)
            if value is None:
                return Outcome(form, unanswered=True)
            return self.on_choice(form, value)
        if not words(text):  # nothing visible (spaces, zero-width characters, punctuation)
            return Outcome(form, (self._say("form_empty"), self.prompt(form)))
        name = step.value
        if utf16_len(text) > LIMITS[name]:
            return Outcome(
                form, (self._say("form_too_long", limit=LIMITS[name]), self.prompt(form))
            )
        if step is Step.EMAIL and not valid_email(text.strip()):
            return Outcome(form, (self._say("form_bad_email"),))
        value = text.strip() if step is Step.EMAIL else text
        return self._advance(form, name, value)

    def on_choice(self, form: Form, value: str) -> Outcome:
        step = form.step
        if step is Step.CONSENT and value in ("agree", "decline"):
            if value == "decline":
                return Outcome(None, (self._say("contact_declined"),))
            return self._goto(form, Step.NAME)
        if step is Step.REPLY_VIA and value in ("via:telegram", "via:email"):
            if value == "via:email":
                form.data["reply_via"] = "email"
                return self._goto(form, Step.EMAIL)
            form.data.pop("email", None)
            return self._advance(form, "reply_via", "telegram")
        if step is Step.TOPIC and value.startswith("topic:") and value[6:] in self.topics:
            return self._advance(form, "topic", value[6:])
        if step is Step.SUMMARY and value in ("send", "edit", "cancel"):
            if value == "cancel":
                return Outcome(None, (self._say("form_cancelled"),))
            if value == "edit":
                return self._goto(form, Step.EDIT)
            answers = {k: v for k, v in form.data.items() if not k.startswith("_")}
            return Outcome(None, submitted=answers)
        if step is Step.EDIT and value.startswith("field:") and value[6:] in EDITABLE:
            form.data["_editing"] = "1"
            return self._goto(form, Step(value[6:]))
        # A stale button from an earlier step: show where the form is now.
        if form.step in SHORT_TEXT_STEPS or form.step is Step.MESSAGE:
            return Outcome(form, (self.prompt(form),))
        return Outcome(form, (self._say("form_use_buttons"), self.prompt(form)))

    def _advance(self, form: Form, name: str, value: str) -> Outcome:
        form.data[name] = value
        return self._goto(form, self._next(form, Step(name)))

    def _next(self, form: Form, step: Step) -> Step:
        if form.editing:
            if step is Step.REPLY_VIA and form.data.get("reply_via") == "email":
                return Step.EMAIL
            return Step.SUMMARY
        order = [Step.NAME, Step.ORGANISATION, Step.REPLY_VIA, Step.EMAIL, Step.TOPIC, Step.MESSAGE]
        for following in order[order.index(step) + 1 :]:
            if following is Step.EMAIL and form.data.get("reply_via") != "email":
                continue
            if following is Step.TOPIC and form.data.get("topic") in self.topics:
                continue  # already known from the question that led here
            return following
        return Step.SUMMARY

    def _goto(self, form: Form, step: Step) -> Outcome:
        form.step = step
        if step is Step.SUMMARY:
            form.data.pop("_editing", None)
        return Outcome(form, (self.prompt(form),))

    def _typed_choice(self, step: Step, text: str) -> str | None:
        """A button's value when the enquirer types its label (or a plain synonym)."""
        typed = " ".join(text.casefold().split()).strip(".!")
        for option in self.prompt(Form(step)).options:
            if typed == option.label.casefold():
                return option.value
        if step is Step.TOPIC:
            for tid, label in self.topics.items():
                if typed in (tid, label.casefold()):
                    return f"topic:{tid}"
            return None
        for value, synonyms in _WORDS_FOR.items():
            if typed in synonyms and value in {o.value for o in self.prompt(Form(step)).options}:
                return value
        return None
