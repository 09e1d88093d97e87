"""Incoming Telegram updates for tests, as Bot API JSON and as PTB objects bound to a bot.

The ``*_dict`` builders produce the JSON Telegram would send; :mod:`botapi_server` queues them
for ``getUpdates``. The ``make_*_update`` helpers turn the same JSON into :class:`telegram.Update`
objects bound to a bot, for ``Application.process_update`` in handler tests::

    update = make_text_update(app.bot, "/start")
    await app.process_update(update)

Texts get the entities Telegram adds: ``bot_command`` for ``/commands`` (so ``CommandHandler``
recognises them) and ``mention`` for ``@usernames``. Offsets are in UTF-16 code units.

The bot's own identity (:data:`BOT_USER`, :data:`TOKEN`) lives here too, shared by the fakes.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from telegram import Bot, Update

from .telegram_rules import utf16_length

TOKEN = "123456:TEST-token_for_the_fake_bot_api"
BOT_ID = 999
BOT_USERNAME = "mva_enquiry_bot"
BOT_USER: dict[str, Any] = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "MVA Enquiry Bot",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

DEFAULT_USER_ID = 1001
DEFAULT_FIRST_NAME = "Alice"
DEFAULT_GROUP_ID = -1001234567890
DEFAULT_GROUP_TITLE = "MVA test group"

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}(?![A-Za-z0-9_])")
_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_file_ids = itertools.count(1)


def user_dict(
    user_id: int, first_name: str, username: str | None = None, language_code: str | None = "en"
) -> dict[str, Any]:
    """A human Telegram user; ``language_code`` is their client's language (None: the
    client sends none)."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:
        user["language_code"] = language_code
    if username:
        user["username"] = username
    return user


def private_chat_dict(user: dict[str, Any]) -> dict[str, Any]:
    """The private chat between the bot and ``user``."""
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


def group_chat_dict(chat_id: int, title: str, chat_type: str = "supergroup") -> dict[str, Any]:
    """A group chat (negative id; supergroup ids start with -100)."""
    return {"id": chat_id, "type": chat_type, "title": title}


def chat_full_info_dict(chat: dict[str, Any]) -> dict[str, Any]:
    """What ``getChat`` answers for ``chat``: the chat plus the fields ChatFullInfo requires."""
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def chat_member_dict(user: dict[str, Any], status: str = "member") -> dict[str, Any]:
    """What ``getChatMember`` answers: status "creator", "administrator", "member" or "left"."""
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            dict.fromkeys(
                (
                    "is_anonymous",
                    "can_be_edited",
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                ),
                False,
            )
        )
    return member


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram detects in a user's text: ``/commands`` and ``@mentions``."""
    found: list[tuple[int, int, str]] = []
    for match in _COMMAND_RE.finditer(text):
        found.append((match.start(), match.end(), "bot_command"))
    for match in _MENTION_RE.finditer(text):
        if not any(start <= match.start() < end for start, end, _ in found):
            found.append((match.start(), match.end(), "mention"))
    return [
        {
            "type": kind,
            "offset": utf16_length(text[:start]),
            "length": utf16_length(text[start:end]),
        }
        for start, end, kind in sorted(found)
    ]


def new_file_ids(prefix: str) -> dict[str, str]:
    """A fresh ``file_id`` / ``file_unique_id`` pair."""
    number = next(_file_ids)
    return {"file_id": f"{prefix}-{number:06d}", "file_unique_id": f"u{prefix}{number:06d}"}


def text_content(text: str) -> dict[str, Any]:
    """Message fields for a text message typed by a user."""
    content: dict[str, Any] = {"text": text}
    entities = text_entities(text)
    if entities:
        content["entities"] = entities
    return content


def sticker_content(emoji: str = "👍") -> dict[str, Any]:
    """Message fields for a sticker."""
    sticker = {
        **new_file_ids("sticker"),
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return {"sticker": sticker}


def photo_content(caption: str | None = None) -> dict[str, Any]:
    """Message fields for a photo (two sizes, as Telegram sends)."""
    ids = new_file_ids("photo")
    sizes = [
        {
            "file_id": f"{ids['file_id']}-{side}",
            "file_unique_id": f"{ids['file_unique_id']}{side}",
            "width": side,
            "height": side * 3 // 4,
            "file_size": side * 40,
        }
        for side in (90, 1280)
    ]
    content: dict[str, Any] = {"photo": sizes}
    if caption:
        content["caption"] = caption
    return content


def voice_content(duration: int = 3) -> dict[str, Any]:
    """Message fields for a voice note."""
    voice = {
        **new_file_ids("voice"),
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": 4000 * duration,
    }
    return {"voice": voice}


def document_content(
    file_name: str = "notes.pdf",
    mime_type: str = "application/pdf",
    file_size: int = 1024,
    caption: str | None = None,
) -> dict[str, Any]:
    """Message fields for a document sent by a user."""
    document = {
        **new_file_ids("document"),
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }
    content: dict[str, Any] = {"document": document}
    if caption:
        content["caption"] = caption
    return content


def location_content(latitude: float = 51.5246, longitude: float = -0.1340) -> dict[str, Any]:
    """Message fields for a shared location."""
    return {"location": {"latitude": latitude, "longitude": longitude}}


def message_dict(
    message_id: int,
    sender: dict[str, Any],
    chat: dict[str, Any],
    content: dict[str, Any],
    *,
    date: int | None = None,
    edit_date: int | None = None,
    reply_to_message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Message object: ``content`` holds the text / sticker / photo / ... fields."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": sender,
        "chat": chat,
        "date": date if date is not None else int(time.time()),
        **content,
    }
    if edit_date is not None:
        message["edit_date"] = edit_date
    if reply_to_message is not None:
        message["reply_to_message"] = reply_to_message
    return message


def _chat_for(user: dict[str, Any], chat_id: int | None, chat_type: str) -> dict[str, Any]:
    if chat_type == "private":
        return {**private_chat_dict(user), "id": chat_id if chat_id is not None else user["id"]}
    return group_chat_dict(
        chat_id if chat_id is not None else DEFAULT_GROUP_ID, DEFAULT_GROUP_TITLE, chat_type
    )


def _message_update(
    bot: Bot,
    content: dict[str, Any],
    *,
    user_id: int,
    first_name: str,
    username: str | None,
    chat_id: int | None,
    chat_type: str,
    message_id: int | None,
    update_id: int | None,
    kind: str = "message",
    reply_to_message_id: int | None = None,
    reply_to_text: str | None = None,
    reply_to_caption: str | None = None,
    language_code: str | None = "en",
) -> Update:
    user = user_dict(user_id, first_name, username, language_code)
    chat = _chat_for(user, chat_id, chat_type)
    reply_to = None
    if reply_to_message_id is not None:
        reply_content = {"text": reply_to_text} if reply_to_text is not None else {}
        if reply_to_caption is not None:  # a reply to a bot's photo, captioned
            reply_content = photo_content(reply_to_caption)
        reply_to = message_dict(reply_to_message_id, BOT_USER, chat, reply_content)
    message = message_dict(
        message_id if message_id is not None else next(_message_ids),
        user,
        chat,
        content,
        edit_date=int(time.time()) if kind == "edited_message" else None,
        reply_to_message=reply_to,
    )
    data = {"update_id": update_id if update_id is not None else next(_update_ids), kind: message}
    return Update.de_json(data, bot)


def make_text_update(
    bot: Bot,
    text: str,
    *,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    username: str | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    message_id: int | None = None,
    update_id: int | None = None,
    reply_to_message_id: int | None = None,
    reply_to_text: str | None = None,
    language_code: str | None = "en",
) -> Update:
    """A user's text message. ``chat_type="supergroup"`` puts it in a group (default id
    :data:`DEFAULT_GROUP_ID`); ``reply_to_message_id`` makes it a reply to a bot message;
    ``language_code`` is the client's language."""
    return _message_update(
        bot,
        text_content(text),
        user_id=user_id,
        first_name=first_name,
        username=username,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
        update_id=update_id,
        reply_to_message_id=reply_to_message_id,
        reply_to_text=reply_to_text,
        language_code=language_code,
    )


def make_edited_message_update(
    bot: Bot,
    text: str,
    *,
    message_id: int,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    username: str | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
) -> Update:
    """A user edited their earlier message ``message_id`` to ``text`` (``edited_message``)."""
    return _message_update(
        bot,
        text_content(text),
        user_id=user_id,
        first_name=first_name,
        username=username,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
        update_id=update_id,
        kind="edited_message",
    )


def make_sticker_update(
    bot: Bot,
    *,
    emoji: str = "👍",
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    chat_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
) -> Update:
    """A user sent a sticker."""
    return _message_update(
        bot,
        sticker_content(emoji),
        user_id=user_id,
        first_name=first_name,
        username=None,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=None,
        update_id=update_id,
    )


def make_photo_update(
    bot: Bot,
    *,
    caption: str | None = None,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    chat_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
    message_id: int | None = None,
    reply_to_message_id: int | None = None,
    reply_to_caption: str | None = None,
) -> Update:
    """A user sent a photo, optionally with a caption; ``reply_to_caption`` makes it a
    reply to a photo of the bot's with that caption."""
    return _message_update(
        bot,
        photo_content(caption),
        user_id=user_id,
        first_name=first_name,
        username=None,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
        update_id=update_id,
        reply_to_message_id=reply_to_message_id,
        reply_to_caption=reply_to_caption,
    )


def make_voice_update(
    bot: Bot,
    *,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    chat_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
    message_id: int | None = None,
    reply_to_message_id: int | None = None,
) -> Update:
    """A user sent a voice note."""
    return _message_update(
        bot,
        voice_content(),
        user_id=user_id,
        first_name=first_name,
        username=None,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
        update_id=update_id,
        reply_to_message_id=reply_to_message_id,
    )


def make_document_update(
    bot: Bot,
    *,
    file_name: str = "notes.pdf",
    mime_type: str = "application/pdf",
    caption: str | None = None,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    chat_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
) -> Update:
    """A user sent a document."""
    return _message_update(
        bot,
        document_content(file_name, mime_type, caption=caption),
        user_id=user_id,
        first_name=first_name,
        username=None,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=None,
        update_id=update_id,
    )


def make_location_update(
    bot: Bot,
    *,
    latitude: float = 51.5246,
    longitude: float = -0.1340,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    chat_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
) -> Update:
    """A user shared a location."""
    return _message_update(
        bot,
        location_content(latitude, longitude),
        user_id=user_id,
        first_name=first_name,
        username=None,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=None,
        update_id=update_id,
    )


def callback_query_dict(
    query_id: str,
    user: dict[str, Any],
    message: dict[str, Any],
    data: str,
) -> dict[str, Any]:
    """A CallbackQuery: ``user`` pressed a button carrying ``data`` on the bot's ``message``."""
    return {
        "id": query_id,
        "from": user,
        "message": message,
        "chat_instance": f"instance-{message['chat']['id']}",
        "data": data,
    }


def make_callback_update(
    bot: Bot,
    data: str,
    *,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_FIRST_NAME,
    username: str | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    message_id: int = 1,
    message_text: str = "Choose an option",
    reply_markup: dict[str, Any] | None = None,
    update_id: int | None = None,
    language_code: str | None = "en",
) -> Update:
    """A user pressed an inline button with ``data`` under the bot's message ``message_id``.

    The query id is the update id as a string; answer it with ``answerCallbackQuery``.
    """
    update_id = update_id if update_id is not None else next(_update_ids)
    user = user_dict(user_id, first_name, username, language_code)
    chat = _chat_for(user, chat_id, chat_type)
    content: dict[str, Any] = {"text": message_text}
    if reply_markup is not None:
        content["reply_markup"] = reply_markup
    message = message_dict(message_id, BOT_USER, chat, content)
    query = callback_query_dict(str(update_id), user, message, data)
    return Update.de_json({"update_id": update_id, "callback_query": query}, bot)
