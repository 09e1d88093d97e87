"""Enquirer-facing handlers: commands, questions, attachments and their buttons.

Thin: each turns an update into a call on the transport-neutral ``Dialogue`` and hands
the turns to ``Replies`` (bot/telegram/replies.py), which handles the update once and
sends what it says.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Message, MessageEntity, Update
from telegram.ext import ContextTypes

from bot.answering.answerer import Action, Option
from bot.common.languages import language_of_code
from bot.conversation.dialogue import Dialogue, Person, Turn
from bot.telegram.render import attachment_kind
from bot.telegram.replies import Replies

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


class EnquirerHandlers:
    def __init__(
        self,
        replies: Replies,
        staff_commands: tuple[str, ...],
        refuse: Callable[[Update, str], Awaitable[None]],
    ) -> None:
        self.replies = replies
        self.staff_commands = staff_commands
        self.refuse = refuse  # a staff command from someone who is not staff

    @property
    def dialogue(self) -> Dialogue:
        return self.replies.services.dialogue

    async def answer(self, update: Update, chat_id: int, turns: Callable[[], list[Turn]]) -> None:
        """Handle the update once (``turns`` decides), then send the turns' replies."""
        await self.replies.once(update, lambda: self.replies.replies_to(chat_id, turns()))

    # -- commands and text ------------------------------------------------------------

    async def on_command(self, update: Update, context: Context) -> None:
        """/start, /help, /language, /about, /contact, /cancel, /close; unknown ones get
        the help. What follows the command is its argument ("/language da")."""
        message, who = update.effective_message, person(update)
        if message is None or who is None or not message.text:
            return
        command, *argument = message.text.split(maxsplit=1)
        name = command[1:].split("@")[0].casefold()
        if name in self.staff_commands:
            await self.refuse(update, name)
            return
        await self.answer(update, who.chat_id, lambda: self.dialogue.command(who, name, *argument))

    async def on_text(self, update: Update, context: Context) -> None:
        message, who = update.effective_message, person(update)
        if message is None or who is None or not message.text:
            return
        text = message.text
        await self.answer(update, who.chat_id, lambda: self.dialogue.text(who, text))

    async def on_group_text(self, update: Update, context: Context) -> None:
        """In groups the bot speaks only when mentioned or replied to, and only answers
        questions there (contact requests and tickets are private)."""
        message, who = update.effective_message, person(update)
        if message is None or who is None or not message.text:
            return
        text = addressed_text(message, context.bot.username, context.bot.id)
        if text is not None:
            await self.answer(update, who.chat_id, lambda: [self.dialogue.ask(who, text)])

    async def on_non_text(self, update: Update, context: Context) -> None:
        """Photos, documents, voice notes, videos and audio reach staff while a ticket is
        open; anything else (and everything outside a ticket) gets a polite text reply."""
        message, who = update.effective_message, person(update)
        if message is None or who is None:
            return
        kind = attachment_kind(message)
        caption = message.caption or ""
        await self.answer(
            update,
            who.chat_id,
            lambda: self.dialogue.attachment(who, kind, message.message_id, caption),
        )

    async def on_edited(self, update: Update, context: Context) -> None:
        # Ignored on purpose: answering an edit would post a second, out-of-place reply.
        log.debug("ignoring an edited message in chat %s", update.effective_chat)

    async def on_option(self, update: Update, query: CallbackQuery, option: Option) -> None:
        """Entry, contact and form buttons: ids only, mapped back to core options."""
        await self.replies.acknowledge(query)
        who = person(update)
        if who is None:
            return
        if option.action is not Action.ENTRY and who.chat_id < 0:
            return  # contact requests are private: a group button is ignored
        await self.answer(update, who.chat_id, lambda: self.dialogue.choose(who, option))

    async def on_feedback(
        self, update: Update, query: CallbackQuery, question_id: int, helpful: bool
    ) -> None:
        stored = self.dialogue.feedback(query.from_user.id, question_id, helpful)
        # A toast, not a chat message: pressing twice must not fill the chat.
        thanks = self.toast(update, "feedback_thanks") if stored else None
        await self.replies.acknowledge(query, thanks)

    def toast(self, update: Update, key: str) -> str:
        """Message ``key`` in the language of the chat ``update`` comes from."""
        who = person(update)
        if who is None:
            return self.replies.kb.message(key)
        return self.dialogue.kb_in(self.dialogue.language(who)).message(key)


def person(update: Update) -> Person | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Person(user.id, chat.id, user.first_name or "", language_of_code(user.language_code))


def addressed_text(message: Message, username: str | None, bot_id: int) -> str | None:
    """The text of a group message meant for the bot (mention removed), else None."""
    text = message.text or ""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    if not username:
        return None
    mention = "@" + username.casefold()
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if value.casefold() == mention:
            start = entity.offset
            stripped = (text[:start] + text[start + len(value) :]).strip(" ,:")
            return stripped or None
    return None
