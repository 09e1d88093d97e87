"""The Telegram adapter: ``build_application(settings)`` wires every handler in one place.

Handlers are thin: they turn updates into calls on the transport-neutral ``Dialogue``
(enquirers) or ``TicketDesk`` (staff) and render the results. Services are built in
``build_application``, opened in ``post_init`` and closed in ``post_shutdown``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    BotCommand,
    Update,
)
from telegram.error import NetworkError
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

from bot.answering.answerer import Action, Option
from bot.common.errors import BotApiUnreachable, KnowledgeError
from bot.common.languages import Language
from bot.common.logs import configure_logging
from bot.conversation import callback_data
from bot.conversation.callback_data import (
    AUTOMATIC,
    ContactButton,
    EntryButton,
    FeedbackButton,
    FormButton,
    LanguageButton,
    SaveAnswerButton,
    TicketButton,
)
from bot.conversation.dialogue import ENQUIRER_COMMANDS, GROUP_COMMANDS, Dialogue
from bot.conversation.office_hours import COPENHAGEN
from bot.curation import reviews
from bot.knowledge.base import KnowledgeBase
from bot.operations.config import Settings
from bot.operations.health import HealthServer
from bot.operations.services import Services, build_services
from bot.storage.journal import UpdateJournal
from bot.telegram import startup
from bot.telegram.delivery import send_now
from bot.telegram.enquirer import EnquirerHandlers
from bot.telegram.journal import JournalingRequest, JournalQueue
from bot.telegram.outbox import OutboxSender
from bot.telegram.replies import Replies
from bot.telegram.staff import STAFF_COMMANDS, StaffFront

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
App = Application[Any, Any, Any, Any, Any, Any]

# Commands in the enquirers' menu (bot/conversation/dialogue.py); descriptions come from
# messages.yaml.
COMMANDS = ENQUIRER_COMMANDS
PURGE_EVERY = 86400.0  # the retention purge runs at start-up and then daily
# Setting the webhook (or deleting it before polling) is retried this often at start-up.
BOOTSTRAP_RETRIES = 5
# The daily look at review dates; it posts only on the first working day of a month.
REVIEW_NOTICE_AT = clock(9, 0, tzinfo=ZoneInfo(COPENHAGEN))


class TelegramFront:
    """The running bot: start-up and shutdown, the update journal's hooks, reload,
    scheduled work, the health report, the button dispatcher and the one error handler.
    The handlers themselves live by audience: bot/telegram/enquirer.py and
    bot/telegram/staff.py; their replies go through bot/telegram/replies.py. All state
    lives in SQLite, none in memory.

    ``services`` is replaced as a whole when the knowledge base is reloaded; handlers
    always reach the core through it.
    """

    def __init__(self, services: Services, journal: JournalQueue) -> None:
        self.services = services
        self.settings = services.settings
        self.storage = services.storage
        self.journal = journal
        self._application: App | None = None
        self.outbox = OutboxSender(
            services.store,
            lambda: self.services.desk,
            lambda: self.bot,
            lambda user_id: self.storage.mark_blocked(user_id),
        )
        self.replies = Replies(lambda: self.services, journal, lambda: self.bot, self.outbox)
        self.staff_front = StaffFront(self)
        self.enquirer = EnquirerHandlers(self.replies, STAFF_COMMANDS, self.staff_front.refuse)
        self.health = (
            HealthServer(self.settings.health_port, self.health_report)
            if self.settings.health_port
            else None
        )
        self.last_reload_error: str | None = None

    @property
    def dialogue(self) -> Dialogue:
        return self.services.dialogue

    @property
    def kb(self) -> KnowledgeBase:
        return self.services.kb

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
        self.journal.journal.prune()
        replay = self.journal.journal.pending()
        for payload, answered in replay:  # saved before a crash, never finished
            update = Update.de_json(payload, application.bot)
            if answered:
                self.journal.answered_before.add(update.update_id)
            await application.update_queue.put(update)
        if replay:
            log.warning("handling %d update(s) received before a restart", len(replay))
        await self.set_commands(application)
        self.outbox.start()
        if self.health is not None:
            try:
                await self.health.start()
            except OSError as exc:  # the bot still serves users; the health check fails
                log.error("health endpoint not started on port %s: %s", self.health.port, exc)
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError):  # no SIGHUP on some platforms
            loop.add_signal_handler(signal.SIGHUP, self.on_sighup)
        log.info("bot @%s ready", application.bot.username)

    async def set_commands(self, application: App) -> None:
        """The command menu in every language: English for any client, and each other
        language for the clients set to it (setMyCommands with its language_code)."""

        def set_in(lang: Language) -> Callable[[], Awaitable[bool]]:
            kb = self.kb.translated(lang)
            commands = [BotCommand(c, kb.message(f"command_{c}")) for c in COMMANDS]
            code = None if lang is Language.EN else lang.value
            return lambda: application.bot.set_my_commands(commands, language_code=code)

        for lang in self.kb.languages:
            await send_now(set_in(lang))

    async def post_shutdown(self, application: App) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        await self.outbox.stop()
        if self.health is not None:
            await self.health.stop()
        self.journal.journal.flush()  # done marks still waiting for a commit
        self.storage.close()

    async def before_update(self, update: object, context: Context) -> None:
        """Runs before every update: a user who blocked the bot and now writes (or presses
        a button) has unblocked it."""
        if isinstance(update, Update) and update.effective_user is not None:
            user_id = update.effective_user.id
            if self.storage.is_blocked(user_id):
                log.info("user %s unblocked the bot", user_id)
                self.services.desk.enquirer_unblocked(user_id)

    async def after_update(self, update: object, context: Context) -> None:
        """Runs after every update: the journal marks it handled, and whatever it queued
        is delivered without waiting."""
        if isinstance(update, Update):
            self.journal.handled(update.update_id)
        self.outbox.wake()

    # -- operations ---------------------------------------------------------------------

    def reload(self) -> tuple[bool, str]:
        """Re-read the knowledge base. A broken one is refused and the old one kept."""
        try:
            services = build_services(self.settings, self.storage)
        except KnowledgeError as exc:
            errors = "\n".join(str(issue) for issue in exc.issues[:10])
            self.last_reload_error = errors
            log.error("knowledge base not reloaded: %s", exc)
            return False, self.kb.message("staff_reload_failed", errors=errors)
        self.services = services
        self.last_reload_error = None
        log.info("knowledge base reloaded: %d entries", len(services.kb))
        if self._application is not None and self._application.running:
            # The command menu is in the messages, which may have changed; set in the
            # background, so that the staff member's reply waits on no Bot API call.
            self._application.create_task(self.set_commands(self._application))
        return True, services.kb.message("staff_reloaded", entries=len(services.kb))

    def on_sighup(self) -> None:
        _, text = self.reload()
        self.replies.tell_staff(text)

    async def retention_purge(self, context: Context) -> None:
        """A JobQueue job, at start-up and then daily: personal data past retention."""
        try:
            purged = self.dialogue.privacy.purge(self.settings.retention_days)
            log.info("retention purge: %s", purged)
        except Exception:  # logged; tomorrow's run tries again
            log.exception("retention purge failed")

    async def review_notice(self, context: Context) -> None:
        """A JobQueue job, daily: the entries due for review, monthly, to the staff chat."""
        today = datetime.now(REVIEW_NOTICE_AT.tzinfo).date()
        if reviews.queue_notice(self.kb, self.services.store, self.settings.staff_chat_id, today):
            log.info("review notice for %s queued", today.strftime("%Y-%m"))
            self.outbox.wake()

    def health_report(self) -> tuple[bool, dict[str, Any]]:
        report: dict[str, Any] = {
            "mode": "webhook" if self.settings.webhook_url else "polling",
            "knowledge": {"entries": len(self.kb), "last_reload_error": self.last_reload_error},
        }
        try:
            self.storage.check()
            report["database"] = "ok"
            report["outbox"] = self.services.store.outbox_counts()
        except Exception as exc:  # the report must say what is wrong, not fail
            report["database"] = f"error: {type(exc).__name__}"
        ok = report["database"] == "ok" and len(self.kb) > 0
        report["status"] = "ok" if ok else "unhealthy"
        return ok, report

    # -- buttons ----------------------------------------------------------------------

    async def on_button(self, update: Update, context: Context) -> None:
        """Every button press: its data is decoded in one place (bot/conversation/callback_data.py),
        and whatever is not one of ours (stale, forged, missing) gets a polite toast."""
        query = update.callback_query
        if query is None:
            return
        button = callback_data.decode(query.data)
        match button:
            case TicketButton() | SaveAnswerButton():
                await self.staff_front.on_ticket_button(update, button)
            case FeedbackButton(question_id, helpful):
                await self.enquirer.on_feedback(update, query, question_id, helpful)
            case EntryButton(value):
                await self.enquirer.on_option(update, query, Option(Action.ENTRY, "", value))
            case ContactButton(value):
                await self.enquirer.on_option(update, query, Option(Action.CONTACT, "", value))
            case FormButton(value):
                await self.enquirer.on_option(update, query, Option(Action.FORM, "", value))
            case LanguageButton(lang):
                value = AUTOMATIC if lang is None else lang.value
                await self.enquirer.on_option(update, query, Option(Action.LANGUAGE, "", value))
            case _:
                log.warning("unknown callback data from user %s", query.from_user.id)
                await self.replies.acknowledge(query, self.enquirer.toast(update, "button_unknown"))

    async def on_error(self, update: object, context: Context) -> None:
        """The one error handler: log with traceback, tell staff briefly."""
        if update is None and isinstance(context.error, NetworkError):
            # Fetching updates failed: PTB retries with backoff, without end. One line
            # each, and no staff notice: the staff chat is behind the same network.
            log.warning("Bot API unreachable while fetching updates: %s", context.error)
            return
        log.error("error while handling an update", exc_info=context.error)
        who = ""
        if isinstance(update, Update) and update.effective_user is not None:
            who = f" from user {update.effective_user.id}"
        notice = self.kb.message("staff_error_notice", who=who, error=type(context.error).__name__)
        self.replies.tell_staff(notice)
        if isinstance(update, Update) and update.effective_chat is not None:
            chat = update.effective_chat
            if chat.type == "private":
                try:
                    sorry = self.enquirer.toast(update, "error")
                except Exception:  # the database may be what failed: English will do
                    sorry = self.kb.message("error")
                try:
                    await send_now(lambda: self.bot.send_message(chat.id, sorry), attempts=2)
                except Exception:
                    log.warning("could not tell user %s about the error", chat.id)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
) -> App:
    """Build the bot: services, then every handler in one ordered list."""
    services = build_services(settings)
    journal = JournalQueue(UpdateJournal(services.storage))
    front = TelegramFront(services, journal)
    staff, enquirer = front.staff_front, front.enquirer

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .post_init(front.post_init)
        .post_shutdown(front.post_shutdown)
        # Every update is saved before Telegram learns it arrived (bot/telegram/journal.py).
        .update_queue(journal)
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter())  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request)
    # Polled batches are journaled whole, one commit each, as they arrive.
    builder = builder.get_updates_request(JournalingRequest(journal, updates_request))
    application = builder.build()
    front.attach(application)
    application.bot_data["front"] = front  # for operations and tests to reach it

    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE
    staff_chats = filters.Chat(chat_id=sorted(services.routes.staff_chats))
    handlers: Sequence[BaseHandler[Any, Any, Any]] = [
        # Free text in a private chat, the bulk of the traffic, is matched first; it
        # excludes commands and edits, which the handlers below take.
        MessageHandler(private & new_message & filters.TEXT & ~filters.COMMAND, enquirer.on_text),
        # Edited messages before the rest, so no later handler answers them again.
        MessageHandler(filters.UpdateType.EDITED, enquirer.on_edited),
        # Staff chats: staff commands, replies to ticket messages, ticket buttons.
        CommandHandler(list(STAFF_COMMANDS), staff.on_command, filters=staff_chats),
        CommandHandler(list(STAFF_COMMANDS), staff.on_private_command, filters=private),
        MessageHandler(staff_chats & new_message & filters.REPLY, staff.on_reply),
        MessageHandler(staff_chats, staff.ignore),  # staff talking among themselves
        # Enquirer commands: private chats, and groups as /command or /command@bot.
        CommandHandler(list(COMMANDS), enquirer.on_command, filters=private),
        CommandHandler(list(GROUP_COMMANDS), enquirer.on_command, filters=filters.ChatType.GROUPS),
        MessageHandler(private & new_message & filters.COMMAND, enquirer.on_command),
        # Every button, staff cards' included: the data is decoded in one place and
        # anything stale or forged is answered politely.
        CallbackQueryHandler(front.on_button),
        # Text in groups: only messages that mention the bot or reply to it.
        MessageHandler(
            filters.ChatType.GROUPS & new_message & filters.TEXT, enquirer.on_group_text
        ),
        # Stickers, photos, voice, documents, locations: say only text is understood.
        MessageHandler(private & new_message & ~filters.StatusUpdate.ALL, enquirer.on_non_text),
    ]
    # Before every update (group -1 runs first): a blocked user writing has unblocked.
    application.add_handler(TypeHandler(Update, front.before_update), group=-1)
    application.add_handlers(handlers)
    # After every update (group 1 runs after the handlers above): wake the outbox.
    application.add_handler(TypeHandler(Update, front.after_update), group=1)
    application.add_error_handler(front.on_error)
    # Scheduled work: entries due for review, posted on the first working day of a month.
    assert application.job_queue is not None  # python-telegram-bot[job-queue]
    application.job_queue.run_daily(front.review_notice, REVIEW_NOTICE_AT, name="review-notice")
    # The retention purge: at start-up, then daily.
    application.job_queue.run_repeating(
        front.retention_purge, interval=PURGE_EVERY, first=0, name="retention-purge"
    )
    return application


def run(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM, with a webhook when WEBHOOK_URL is set and long
    polling otherwise; return the exit code.

    The Bot API is awaited first (``bot.telegram.startup``): an unreachable one raises
    ``BotApiUnreachable`` after ``startup.STARTUP_DEADLINE`` seconds, for the CLI to
    print as one line."""
    configure_logging(settings.log_level_number)
    # Opt in to PTB 23's timedelta durations now (telegram_delivery reads both forms).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    application = build_application(settings)
    # PTB runs on the current event loop (close_loop=False keeps it): set it up here so
    # that waiting for the Bot API and running share it.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(
        startup.wait_for_bot_api(
            application.bot.initialize, settings.api_url, deadline=startup.STARTUP_DEADLINE
        )
    )
    try:
        _run_application(application, settings)
    except NetworkError as exc:  # lost again between the first answer and running
        raise BotApiUnreachable(settings.api_url, exc.message) from None
    return 0


def _run_application(application: App, settings: Settings) -> None:
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    if settings.webhook_url:
        log.info("webhook mode: listening on port %d", settings.listen_port)
        application.run_webhook(
            listen="0.0.0.0",
            port=settings.listen_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            stop_signals=stop_signals,
            close_loop=False,
        )
    else:
        application.run_polling(
            allowed_updates=Update.ALL_TYPES,
            stop_signals=stop_signals,
            close_loop=False,
            bootstrap_retries=BOOTSTRAP_RETRIES,
        )
