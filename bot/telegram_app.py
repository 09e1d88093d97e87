"""The Telegram adapter: ``build_application(settings)`` wires every handler in one place.

Handlers are thin: they turn updates into calls on the transport-neutral ``Dialogue``
and render its replies with ``telegram_render``. Services are built in
``build_application``, opened in ``post_init`` and closed in ``post_shutdown``.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Sequence
from typing import Any

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.answering import Action, Answerer, Option
from bot.config import Settings
from bot.dialogue import Dialogue, Turn
from bot.knowledge import load_knowledge
from bot.storage import Storage
from bot.telegram_delivery import Blocked, deliver
from bot.telegram_render import CB_CONTACT, CB_ENTRY, CB_FEEDBACK, render

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
App = Application[Any, Any, Any, Any, Any, Any]

# Commands shown in Telegram's menu; descriptions come from messages.yaml.
COMMANDS = ("start", "help", "about", "contact", "cancel")


class TelegramFront:
    """The handlers. One instance per application; all state lives in ``storage``."""

    def __init__(self, settings: Settings, dialogue: Dialogue, storage: Storage) -> None:
        self.settings = settings
        self.dialogue = dialogue
        self.storage = storage
        self.kb = dialogue.answerer.kb
        self._application: App | None = None

    @property
    def bot(self) -> Any:
        if self._application is None:
            raise RuntimeError("the front is not attached to an application")
        return self._application.bot

    def attach(self, application: App) -> None:
        self._application = application

    # -- lifecycle --------------------------------------------------------------------

    async def post_init(self, application: App) -> None:
        self.storage.open()
        commands = [BotCommand(c, self.kb.message(f"command_{c}")) for c in COMMANDS]
        await deliver(lambda: application.bot.set_my_commands(commands))
        log.info("bot @%s ready", application.bot.username)

    async def post_shutdown(self, application: App) -> None:
        self.storage.close()

    # -- commands ---------------------------------------------------------------------

    async def on_command(self, update: Update, context: Context) -> None:
        """/start, /help, /about, /contact, /cancel; unknown commands get the help."""
        message = update.effective_message
        if message is None or not message.text:
            return
        name = message.text.split()[0][1:].split("@")[0].casefold()
        await self.send_turn(update, self.dialogue.command(name))

    # -- messages ---------------------------------------------------------------------

    async def on_text(self, update: Update, context: Context) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        await self.answer(update, message.text)

    async def on_group_text(self, update: Update, context: Context) -> None:
        """In groups the bot speaks only when mentioned or replied to."""
        message = update.effective_message
        if message is None or not message.text:
            return
        text = addressed_text(message, context.bot.username, context.bot.id)
        if text is not None:
            await self.answer(update, text)

    async def answer(self, update: Update, text: str) -> None:
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        turn = self.dialogue.ask(user.id, chat.id, text)
        await self.send_turn(update, turn)

    async def on_non_text(self, update: Update, context: Context) -> None:
        await self.send_turn(update, self.dialogue.message("non_text"))

    async def on_edited(self, update: Update, context: Context) -> None:
        # Ignored on purpose: answering an edit would post a second, out-of-place reply.
        log.debug("ignoring an edited message in chat %s", update.effective_chat)

    # -- buttons ----------------------------------------------------------------------

    async def on_entry_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        await self.acknowledge(query)
        chat = update.effective_chat
        if chat is None:
            return
        option = Option(Action.ENTRY, "", query.data[len(CB_ENTRY) :])
        await self.send_turn(update, self.dialogue.choose(query.from_user.id, chat.id, option))

    async def on_contact_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        await self.acknowledge(query)
        await self.send_turn(update, self.dialogue.contact(query.data[len(CB_CONTACT) :] or None))

    async def on_feedback_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        payload = query.data[len(CB_FEEDBACK) :]
        stored = False
        if payload[:1] in "+-" and payload[1:].isdigit():
            stored = self.dialogue.feedback(query.from_user.id, int(payload[1:]), payload[0] == "+")
        # A toast, not a chat message: pressing twice must not fill the chat.
        await self.acknowledge(query, self.kb.message("feedback_thanks") if stored else None)

    async def on_unknown_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        log.info("unknown callback data from user %s", query.from_user.id)
        await self.acknowledge(query)

    async def acknowledge(self, query: CallbackQuery, text: str | None = None) -> None:
        with contextlib.suppress(Blocked):
            await deliver(lambda: query.answer(text=text))

    # -- sending ----------------------------------------------------------------------

    async def send_turn(self, update: Update, turn: Turn) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        messages = render(
            turn.reply,
            question_id=turn.question_id,
            helpful=self.kb.message("button_helpful"),
            not_helpful=self.kb.message("button_not_helpful"),
        )
        for outgoing in messages:
            sent = await self.send_html(chat.id, outgoing.text, outgoing.keyboard)
            if sent is None:
                return

    async def send_html(
        self, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> Message | None:
        """Send one HTML message; a blocked chat is recorded and staff are told."""
        bot = self.bot
        try:
            return await deliver(
                lambda: bot.send_message(
                    chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
                chat_id=chat_id,
            )
        except Blocked:
            await self.on_blocked(chat_id)
            return None

    async def on_blocked(self, chat_id: int) -> None:
        if chat_id > 0:  # a private chat's id is the user's id
            already = self.storage.is_blocked(chat_id)
            self.storage.mark_blocked(chat_id)
            if not already:
                await self.tell_staff(f"User {chat_id} has blocked the bot.")

    async def tell_staff(self, text: str) -> None:
        staff = self.settings.staff_chat_id
        if staff is None:
            return
        try:
            await deliver(lambda: self.bot.send_message(staff, text), attempts=3)
        except Exception:  # the staff chat failing must not hide the original problem
            log.exception("could not notify the staff chat")

    async def on_error(self, update: object, context: Context) -> None:
        """The one error handler: log with traceback, tell staff briefly."""
        log.error("error while handling an update", exc_info=context.error)
        user_id = None
        if isinstance(update, Update) and update.effective_user is not None:
            user_id = update.effective_user.id
        who = f" from user {user_id}" if user_id is not None else ""
        await self.tell_staff(f"⚠️ Error{who}: {type(context.error).__name__}. See the bot's log.")
        if isinstance(update, Update) and update.effective_chat is not None:
            chat_id = update.effective_chat.id
            if update.effective_chat.type == "private":
                try:
                    await deliver(
                        lambda: self.bot.send_message(chat_id, self.kb.message("error")),
                        attempts=2,
                    )
                except Exception:
                    log.warning("could not tell user %s about the error", chat_id)


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


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
) -> App:
    """Build the bot: services, then every handler in one ordered list."""
    kb = load_knowledge(settings.knowledge_dir)
    storage = Storage(settings.database_path)
    front = TelegramFront(settings, Dialogue(Answerer(kb), storage), storage)

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .post_init(front.post_init)
        .post_shutdown(front.post_shutdown)
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter())  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    application = builder.build()
    front.attach(application)

    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE
    handlers: Sequence[BaseHandler[Any, Any, Any]] = [
        # Edited messages first, so no later handler answers them a second time.
        MessageHandler(filters.UpdateType.EDITED, front.on_edited),
        # Commands: private chats, and groups when sent as /command or /command@bot.
        CommandHandler(list(COMMANDS), front.on_command),
        MessageHandler(private & new_message & filters.COMMAND, front.on_command),
        # Buttons. Callback data holds ids only; anything else is stale or forged.
        CallbackQueryHandler(front.on_entry_button, pattern=f"^{CB_ENTRY}"),
        CallbackQueryHandler(front.on_contact_button, pattern=f"^{CB_CONTACT}"),
        CallbackQueryHandler(front.on_feedback_button, pattern=f"^{CB_FEEDBACK}"),
        CallbackQueryHandler(front.on_unknown_button),
        # Free text: every message in a private chat goes to the answering core...
        MessageHandler(private & new_message & filters.TEXT, front.on_text),
        # ...in groups only messages that mention the bot or reply to it.
        MessageHandler(filters.ChatType.GROUPS & new_message & filters.TEXT, front.on_group_text),
        # Stickers, photos, voice, documents, locations: say only text is understood.
        MessageHandler(private & new_message & ~filters.StatusUpdate.ALL, front.on_non_text),
    ]
    application.add_handlers(handlers)
    application.add_error_handler(front.on_error)
    return application


def run(settings: Settings) -> int:
    """Run with long polling until SIGINT or SIGTERM; return the exit code."""
    logging.basicConfig(
        level=settings.log_level_number,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Request logs would print the token inside URLs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application = build_application(settings)
    application.run_polling(
        allowed_updates=Update.ALL_TYPES,
        stop_signals=(signal.SIGINT, signal.SIGTERM),
        close_loop=False,
    )
    return 0
