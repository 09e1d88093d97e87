"""The Telegram adapter: ``build_application(settings)`` wires every handler in one place.

Handlers are thin: they turn updates into calls on the transport-neutral ``Dialogue``
(enquirers) or ``TicketDesk`` (staff) and render the results. Services are built in
``build_application``, opened in ``post_init`` and closed in ``post_shutdown``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Sequence
from typing import Any

from telegram import (
    BotCommand,
    CallbackQuery,
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
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.answering import Action, Option
from bot.config import Settings
from bot.dialogue import Person, Turn
from bot.services import Services, build_services
from bot.telegram_delivery import Blocked, deliver
from bot.telegram_outbox import OutboxSender
from bot.telegram_render import (
    CB_CONTACT,
    CB_ENTRY,
    CB_FEEDBACK,
    CB_FORM,
    Rows,
    render,
    reply_markup,
)
from bot.telegram_staff import STAFF_COMMANDS, StaffFront
from bot.tickets import CB_TICKET

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
App = Application[Any, Any, Any, Any, Any, Any]

# Commands in the enquirers' menu; descriptions come from messages.yaml.
COMMANDS = ("start", "help", "about", "contact", "cancel", "close")


class TelegramFront:
    """The enquirer-facing handlers. All state lives in SQLite, none in memory."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.settings
        self.dialogue = services.dialogue
        self.storage = services.storage
        self.kb = services.kb
        self._application: App | None = None
        self.outbox = OutboxSender(
            services.store, services.desk, self.kb, lambda: self.bot, self.storage.mark_blocked
        )
        self.staff_front = StaffFront(services, self)

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
        self.outbox.start()
        log.info("bot @%s ready", application.bot.username)

    async def post_shutdown(self, application: App) -> None:
        await self.outbox.stop()
        self.storage.close()

    async def after_update(self, update: object, context: Context) -> None:
        """Runs after every update: whatever it queued is delivered without waiting."""
        self.outbox.wake()

    # -- commands and text ------------------------------------------------------------

    async def on_command(self, update: Update, context: Context) -> None:
        """/start, /help, /about, /contact, /cancel, /close; unknown ones get the help."""
        message, who = update.effective_message, person(update)
        if message is None or who is None or not message.text:
            return
        name = message.text.split()[0][1:].split("@")[0].casefold()
        if name in STAFF_COMMANDS:
            await self.staff_front.refuse(update, name)
            return
        await self.send_turns(who.chat_id, self.dialogue.command(who, name))

    async def on_text(self, update: Update, context: Context) -> None:
        message, who = update.effective_message, person(update)
        if message is None or who is None or not message.text:
            return
        await self.send_turns(who.chat_id, self.dialogue.text(who, message.text))

    async def on_group_text(self, update: Update, context: Context) -> None:
        """In groups the bot speaks only when mentioned or replied to, and only answers
        questions there (contact requests and tickets are private)."""
        message, who = update.effective_message, person(update)
        if message is None or who is None or not message.text:
            return
        text = addressed_text(message, context.bot.username, context.bot.id)
        if text is not None:
            await self.send_turns(who.chat_id, [self.dialogue.ask(who, text)])

    async def on_non_text(self, update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is not None:
            await self.send_turns(chat.id, [self.dialogue.message("non_text")])

    async def on_edited(self, update: Update, context: Context) -> None:
        # Ignored on purpose: answering an edit would post a second, out-of-place reply.
        log.debug("ignoring an edited message in chat %s", update.effective_chat)

    # -- buttons ----------------------------------------------------------------------

    async def on_option_button(self, update: Update, context: Context) -> None:
        """Entry, contact and form buttons: ids only, mapped back to core options."""
        query, who = update.callback_query, person(update)
        assert query is not None and query.data is not None
        await self.acknowledge(query)
        if who is None:
            return
        prefix, value = query.data[:2], query.data[2:]
        action = {CB_ENTRY: Action.ENTRY, CB_CONTACT: Action.CONTACT, CB_FORM: Action.FORM}[prefix]
        if action is not Action.ENTRY and who.chat_id < 0:
            return  # contact requests are private: a group button is ignored
        await self.send_turns(who.chat_id, self.dialogue.choose(who, Option(action, "", value)))

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
        log.warning("unknown callback data from user %s", query.from_user.id)
        await self.acknowledge(query)

    async def acknowledge(self, query: CallbackQuery, text: str | None = None) -> None:
        with contextlib.suppress(Blocked):
            await deliver(lambda: query.answer(text=text))

    # -- sending ----------------------------------------------------------------------

    async def send_turns(self, chat_id: int, turns: Sequence[Turn]) -> None:
        for turn in turns:
            messages = render(
                turn.reply,
                question_id=turn.question_id,
                helpful=self.kb.message("button_helpful"),
                not_helpful=self.kb.message("button_not_helpful"),
            )
            for outgoing in messages:
                if await self.send_html(chat_id, outgoing.text, outgoing.keyboard) is None:
                    return

    async def send_html(
        self, chat_id: int, text: str, keyboard: Rows | None = None
    ) -> dict[str, Any] | None:
        """Send one HTML message; a blocked chat is recorded and staff are told.

        Returns the sent message as the Bot API's JSON: the raw call skips building a
        PTB Message nobody reads (the rate limiter and error mapping still apply)."""
        bot = self.bot
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": {"is_disabled": True},
        }
        if keyboard:
            params["reply_markup"] = reply_markup(keyboard)
        try:
            sent: dict[str, Any] = await deliver(
                lambda: bot.do_api_request("sendMessage", api_kwargs=params), chat_id=chat_id
            )
        except Blocked:
            await self.on_blocked(chat_id)
            return None
        return sent

    async def on_blocked(self, chat_id: int) -> None:
        if chat_id > 0:  # a private chat's id is the user's id
            already = self.storage.is_blocked(chat_id)
            self.storage.mark_blocked(chat_id)
            if not already:
                await self.tell_staff(self.kb.message("staff_user_blocked", user_id=chat_id))

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
        who = ""
        if isinstance(update, Update) and update.effective_user is not None:
            who = f" from user {update.effective_user.id}"
        notice = self.kb.message("staff_error_notice", who=who, error=type(context.error).__name__)
        await self.tell_staff(notice)
        if isinstance(update, Update) and update.effective_chat is not None:
            chat = update.effective_chat
            if chat.type == "private":
                try:
                    await deliver(
                        lambda: self.bot.send_message(chat.id, self.kb.message("error")),
                        attempts=2,
                    )
                except Exception:
                    log.warning("could not tell user %s about the error", chat.id)


def person(update: Update) -> Person | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Person(user.id, chat.id, user.first_name or "")


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
    services = build_services(settings)
    front = TelegramFront(services)
    staff = front.staff_front

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
    staff_chats = filters.Chat(chat_id=sorted(services.routes.staff_chats))
    handlers: Sequence[BaseHandler[Any, Any, Any]] = [
        # Edited messages first, so no later handler answers them a second time.
        MessageHandler(filters.UpdateType.EDITED, front.on_edited),
        # Staff chats: staff commands, replies to ticket messages, ticket buttons.
        CommandHandler(list(STAFF_COMMANDS), staff.on_command, filters=staff_chats),
        CommandHandler(list(STAFF_COMMANDS), staff.on_private_command, filters=private),
        MessageHandler(staff_chats & new_message & filters.REPLY, staff.on_reply),
        MessageHandler(staff_chats, staff.ignore),  # staff talking among themselves
        CallbackQueryHandler(staff.on_ticket_button, pattern=f"^{CB_TICKET}"),
        # Enquirer commands: private chats, and groups as /command or /command@bot.
        CommandHandler(list(COMMANDS), front.on_command),
        MessageHandler(private & new_message & filters.COMMAND, front.on_command),
        # Buttons. Callback data holds ids only; anything else is stale or forged.
        CallbackQueryHandler(
            front.on_option_button, pattern=f"^({CB_ENTRY}|{CB_CONTACT}|{CB_FORM})"
        ),
        CallbackQueryHandler(front.on_feedback_button, pattern=f"^{CB_FEEDBACK}"),
        CallbackQueryHandler(front.on_unknown_button),
        # Free text: every message in a private chat goes to the dialogue...
        MessageHandler(private & new_message & filters.TEXT, front.on_text),
        # ...in groups only messages that mention the bot or reply to it.
        MessageHandler(filters.ChatType.GROUPS & new_message & filters.TEXT, front.on_group_text),
        # Stickers, photos, voice, documents, locations: say only text is understood.
        MessageHandler(private & new_message & ~filters.StatusUpdate.ALL, front.on_non_text),
    ]
    application.add_handlers(handlers)
    # After every update (group 1 runs after the handlers above): wake the outbox.
    application.add_handler(TypeHandler(Update, front.after_update), group=1)
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
    # Opt in to PTB 23's timedelta durations now (telegram_delivery reads both forms).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    application = build_application(settings)
    application.run_polling(
        allowed_updates=Update.ALL_TYPES,
        stop_signals=(signal.SIGINT, signal.SIGTERM),
        close_loop=False,
    )
    return 0
