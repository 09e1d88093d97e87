"""JSON Schemas of the knowledge files (documented for curators in knowledge/README.md)."""

from __future__ import annotations

from typing import Any

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MIN_ALTERNATES = 4

# Message keys the adapters use. A knowledge base without one of them cannot run.
REQUIRED_MESSAGES = (
    "welcome",
    "help",
    "about",
    "fallback",
    "ambiguous",
    "near_miss_attribute",
    "near_miss_attribute_only",
    "near_miss_subject",
    "near_miss_place",
    "near_miss_time",
    "near_miss_sector",
    "near_miss_offer",
    "near_miss_no_entry",
    "button_we_know",
    "part_unknown",
    "dated_figure",
    "contact",
    "greeting_hello",
    "greeting_thanks",
    "greeting_help",
    "greeting_bye",
    "non_text",
    "cancel",
    "feedback_thanks",
    "button_unknown",
    "button_talk_to_person",
    "button_helpful",
    "button_not_helpful",
    "error",
    # Descriptions of the commands in Telegram's menu.
    "command_start",
    "command_help",
    "command_about",
    "command_contact",
    "command_cancel",
    "command_close",
    "command_language",
    # Languages (/language), weekdays and kinds of attachment in each language.
    "language_name",
    "language_prompt",
    "button_language_auto",
    "language_chosen",
    "language_automatic",
    "weekdays",
    "attachment_photo",
    "attachment_document",
    "attachment_voice",
    "attachment_video",
    "attachment_audio",
    # Contact requests.
    "contact_privacy",
    "contact_declined",
    "form_name",
    "form_organisation",
    "form_reply_via",
    "form_email",
    "form_topic",
    "form_message",
    "form_summary",
    "form_edit_which",
    "form_too_long",
    "form_empty",
    "form_bad_email",
    "form_use_buttons",
    "form_resume",
    "form_cancelled",
    "reply_in_telegram",
    "reply_by_email",
    "ticket_received",
    "ticket_expect_open",
    "ticket_expect_closed",
    "ticket_forwarded",
    "attachment_forwarded",
    "ticket_answered_note",
    "ticket_still_open",
    "form_ended",
    "opens_today",
    "opens_tomorrow",
    "opens_on",
    "help_commands",
    "ticket_already_open",
    "ticket_closed",
    "ticket_none_open",
    "staff_reply_header",
    "staff_reply_header_team",
    "staff_reply_header_anonymous",
    "staff_signature_default",
    "staff_only",
    "button_agree",
    "button_decline",
    "button_reply_telegram",
    "button_reply_email",
    "button_send",
    "button_edit",
    "button_cancel",
    "field_name",
    "field_organisation",
    "field_reply_via",
    "field_topic",
    "field_message",
    # Staff side.
    "staff_card",
    "staff_card_no_questions",
    "staff_status_open",
    "staff_status_claimed",
    "staff_status_resolved",
    "staff_status_blocked",
    "staff_enquirer_message",
    "staff_enquirer_closed",
    "staff_enquirer_answered",
    "staff_enquirer_attachment",
    "staff_reply_unsupported",
    "staff_status_closed_by_enquirer",
    "staff_reply_delivered",
    "staff_reply_blocked",
    "staff_reply_erased",
    "staff_reply_unknown",
    "staff_ticket_not_found",
    "staff_no_open",
    "staff_error_notice",
    "staff_user_blocked",
    "staff_status_erased",
    "staff_data_erased",
    "staff_reloaded",
    "staff_reload_failed",
    "command_privacy",
    "command_mydata",
    "command_forget",
    "privacy",
    "mydata_none",
    "mydata_intro",
    "mydata_questions",
    "mydata_feedback",
    "mydata_requests",
    "mydata_form",
    "mydata_blocked",
    "mydata_language",
    "mydata_file",
    "mydata_file_caption",
    "forget_confirm",
    "forget_kept",
    "button_erase",
    "button_keep",
    "forget_done",
    "button_claim",
    "button_resolve",
    "button_reopen",
    # The curation loop.
    "button_save_answer",
    "staff_draft_saved",
    "staff_draft_exists",
    "staff_draft_unavailable",
    "staff_drafts",
    "staff_review_due",
)

# Placeholders a message must contain, and the only ones it may use: the bot fills them.
MESSAGE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "contact_privacy": frozenset({"retention_days"}),
    "near_miss_attribute": frozenset({"attribute", "subject"}),
    "near_miss_attribute_only": frozenset({"attribute"}),
    "near_miss_subject": frozenset({"subject"}),
    "near_miss_place": frozenset({"place"}),
    "near_miss_time": frozenset({"time"}),
    "near_miss_sector": frozenset({"sector"}),
    "button_we_know": frozenset({"question"}),
    "part_unknown": frozenset({"question"}),
    "dated_figure": frozenset({"year"}),
    "form_too_long": frozenset({"limit"}),
    "form_summary": frozenset({"name", "organisation", "reply", "topic", "message"}),
    "reply_by_email": frozenset({"email"}),
    "ticket_received": frozenset({"name", "ref", "expectation"}),
    "ticket_expect_closed": frozenset({"copenhagen", "new_york"}),
    "ticket_forwarded": frozenset({"ref"}),
    "attachment_forwarded": frozenset({"kind", "ref"}),
    "ticket_answered_note": frozenset({"ref"}),
    "ticket_still_open": frozenset({"ref"}),
    "opens_today": frozenset({"time"}),
    "opens_tomorrow": frozenset({"time"}),
    "opens_on": frozenset({"day", "time"}),
    "ticket_already_open": frozenset({"ref"}),
    "ticket_closed": frozenset({"ref"}),
    "staff_reply_header": frozenset({"signature", "ref"}),
    "staff_reply_header_team": frozenset({"signature", "ref"}),
    "staff_reply_header_anonymous": frozenset({"ref"}),
    "staff_card": frozenset(
        {
            "ref",
            "topic",
            "status",
            "name",
            "organisation",
            "language",
            "reply",
            "message",
            "questions",
        }
    ),
    "staff_status_claimed": frozenset({"who"}),
    "staff_status_resolved": frozenset({"who"}),
    "staff_enquirer_message": frozenset({"ref", "name", "text"}),
    "staff_enquirer_closed": frozenset({"ref"}),
    "staff_enquirer_answered": frozenset({"ref", "name", "text", "answer"}),
    "staff_enquirer_attachment": frozenset({"ref", "name", "kind"}),
    "staff_reply_unsupported": frozenset({"ref"}),
    "mydata_questions": frozenset({"count", "last"}),
    "mydata_feedback": frozenset({"count"}),
    "mydata_requests": frozenset({"refs"}),
    "mydata_blocked": frozenset({"time"}),
    "forget_confirm": frozenset({"what"}),
    "staff_reply_delivered": frozenset({"ref"}),
    "staff_reply_blocked": frozenset({"ref"}),
    "staff_reply_erased": frozenset({"ref"}),
    "staff_ticket_not_found": frozenset({"ref"}),
    "staff_error_notice": frozenset({"who", "error"}),
    "staff_user_blocked": frozenset({"user_id"}),
    "staff_data_erased": frozenset({"ref"}),
    "staff_reloaded": frozenset({"entries"}),
    "staff_reload_failed": frozenset({"errors"}),
    "privacy": frozenset({"retention_days"}),
    "staff_draft_saved": frozenset({"draft"}),
    "staff_draft_exists": frozenset({"draft"}),
    "staff_drafts": frozenset({"count"}),
    "staff_review_due": frozenset({"days", "count", "entries"}),
}

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": r"\S"}
_TEXT_LIST: dict[str, Any] = {"type": "array", "items": _TEXT}
_ID: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}
# Quoted in YAML ("2011-07-04"): unquoted, YAML reads a date, not a string.
_DATE: dict[str, Any] = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_ID_OR_IDS: dict[str, Any] = {
    "oneOf": [_ID, {"type": "array", "minItems": 1, "items": _ID}],
}

ENTRY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "question",
        "alternates",
        "answer",
        "topic",
        "tags",
        "follow_ups",
        "source",
        "contact_topic",
    ],
    "properties": {
        # Ids travel in Telegram callback data (64 bytes with a 2-byte prefix).
        "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 60},
        "question": _TEXT,
        # At least MIN_ALTERNATES, unless the entry still has its ``todo`` (below).
        "alternates": {**_TEXT_LIST, "minItems": 1},
        "answer": _TEXT,
        "topic": {"type": "string", "pattern": ID_PATTERN},
        # Curators write years as tags ("1985"); YAML reads them as numbers.
        "tags": {"type": "array", "items": {"type": ["string", "number"]}},
        "follow_ups": {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
        # The id(s) of the source(s) in knowledge/sources/ the answer is faithful to.
        "source": _ID_OR_IDS,
        "contact_topic": {"type": "string", "pattern": ID_PATTERN},
        # What the entry is about (ids in subjects.yaml): its subject(s), the first the
        # main one, and the attribute(s) of the subject it gives.
        "subject": _ID_OR_IDS,
        "attribute": _ID_OR_IDS,
        # The entry exists to say what the source does not say (how to join MassBio):
        # to the enquirer that is a fallback, and it is classified as one.
        "not_in_source": {"type": "boolean"},
        # When the entry's facts are to be checked again, and who does it; without
        # them, the entry inherits those of its source.
        "review_by": _DATE,
        "owner": _TEXT,
        # What a curator still has to do (``kb accept`` writes one): a warning in
        # ``kb check`` until it is done and the line removed.
        "todo": _TEXT,
    },
    "if": {"not": {"required": ["todo"]}},
    "then": {"properties": {"alternates": {"minItems": MIN_ALTERNATES}}},
}

SOURCE_KINDS = ("article", "staff")

# The front matter of a file in knowledge/sources/ (bot/knowledge/sources.py).
SOURCE_HEADER: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "date"],
    "properties": {
        "id": {**_ID, "maxLength": 60},
        "kind": {"enum": list(SOURCE_KINDS)},
        "title": _TEXT,
        "publisher": _TEXT,
        "date": _DATE,
        "url": {"type": "string", "pattern": r"^https?://\S+$"},
        "ticket": {"type": "string", "pattern": r"^#A-\d{4,}$"},
        "staff": _TEXT,
        "review_by": _DATE,
        "owner": _TEXT,
    },
    "if": {"properties": {"kind": {"const": "staff"}}, "required": ["kind"]},
    "then": {"required": ["ticket", "staff"]},
}

ENTRIES_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entries"],
    "properties": {"entries": {"type": "array", "items": ENTRY}},
}

SYNONYMS_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["synonyms"],
    "properties": {
        "synonyms": {"type": "array", "items": {**_TEXT_LIST, "minItems": 2}},
    },
}

INTENTS_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["greetings", "filler", "contact"],
    "properties": {
        "greetings": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "phrases", "reply"],
                "properties": {
                    "name": {"type": "string", "pattern": r"^[a-z_]+$"},
                    "phrases": {**_TEXT_LIST, "minItems": 1},
                    "reply": {"type": "string"},
                },
            },
        },
        "filler": _TEXT_LIST,
        "contact": {
            "type": "object",
            "additionalProperties": False,
            "required": ["phrases"],
            "properties": {
                "phrases": {**_TEXT_LIST, "minItems": 1},
                # A verb followed within a few words by a person: "set up a short
                # video call with Torsten", "could someone from your team ring me".
                "pairs": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["verbs", "targets"],
                        "properties": {"verbs": _TEXT_LIST, "targets": _TEXT_LIST},
                    },
                },
                # Words of asking one of which must come before a pair's verb: "could
                # someone call me", not "the notes call Torsten Jepsen an envoy".
                "cues": _TEXT_LIST,
                # Phrases after which no pair asks ("... if you need to reach me"), and
                # words a pair's person may not lie beyond ("meet partners, how can the
                # ambassador help": a clause of its own).
                "conditionals": _TEXT_LIST,
                "breaks": _TEXT_LIST,
            },
        },
    },
}

MESSAGES_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["messages", "start_topics"],
    "properties": {
        "messages": {
            "type": "object",
            "required": list(REQUIRED_MESSAGES),
            "additionalProperties": _TEXT,
        },
        "start_topics": {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
    },
}

ROUTING_FILE: dict[str, Any] = {
    "type": "object",
    "required": ["topics", "default_topic"],
    "properties": {
        "topics": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "label"],
                "properties": {
                    # Topic ids travel in callback data ("k:topic:<id>", 64 bytes).
                    "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 40},
                    "label": _TEXT,
                    # The environment variable holding this topic's staff chat id;
                    # unset, the topic goes to STAFF_CHAT_ID.
                    "staff_chat_env": {"type": "string", "pattern": r"^[A-Z][A-Z0-9_]*$"},
                },
            },
        },
        "default_topic": {"type": "string", "pattern": ID_PATTERN},
    },
}

SHORTHAND_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["shorthand"],
    "properties": {
        "shorthand": {"type": "object", "additionalProperties": _TEXT},
    },
}

_TERMS: dict[str, Any] = {**_TEXT_LIST, "minItems": 1}

SUBJECTS_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["subjects", "attributes", "places", "times"],
    "properties": {
        "subjects": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "label", "terms", "pronouns"],
                "properties": {
                    "id": _ID,
                    "label": _TEXT,
                    "terms": _TERMS,
                    "pronouns": _TEXT_LIST,
                    "place_bound": {"type": "boolean"},
                    "region": {"type": "boolean"},
                },
            },
        },
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "label", "terms"],
                "properties": {
                    "id": _ID,
                    "label": _TEXT,
                    "terms": _TERMS,
                    # Attributes this one is a narrower reading of: "who founded it" is
                    # not asking when.
                    "replaces": {"type": "array", "items": _ID},
                    # What it gives is a person or people: a pronoun after a question
                    # for it may mean them ("who runs MassBio, and where is he based?").
                    "of_people": {"type": "boolean"},
                },
            },
        },
        "places": {
            "type": "object",
            "additionalProperties": False,
            "required": ["known", "other"],
            "properties": {
                "known": _TEXT_LIST,
                "other": _TEXT_LIST,
                # "danish": Denmark. A word saying where something is from counts as
                # another place only in a question for a figure.
                "from_other": {"type": "object", "additionalProperties": _TEXT},
            },
        },
        "times": {
            "type": "object",
            "additionalProperties": False,
            "required": ["now"],
            # future: words that ask about a time after the source ("next year").
            "properties": {"now": _TEXT_LIST, "future": _TEXT_LIST},
        },
        "sectors": {
            "type": "object",
            "additionalProperties": False,
            "required": ["known", "other"],
            "properties": {
                "known": _TEXT_LIST,
                "other": {"type": "object", "additionalProperties": _TERMS},
            },
        },
    },
}

# Capitalised words answers may use although no source has them: the bot's own button
# labels quoted in answers, the publisher's acronym.
ALLOWED_NAMES_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["names"],
    "properties": {"names": _TEXT_LIST},
}

# A language's reading vocabulary for message understanding, named lists of words and
# phrases (question words, request markers, context openers...).
READING_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reading"],
    "properties": {
        "reading": {
            "type": "object",
            "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*$"},
            "additionalProperties": _TEXT_LIST,
        },
    },
}

# Files with these names have their own schema; every other *.yaml holds entries.
SPECIAL_FILES: dict[str, dict[str, Any]] = {
    "allowed_names.yaml": ALLOWED_NAMES_FILE,
    "synonyms.yaml": SYNONYMS_FILE,
    "intents.yaml": INTENTS_FILE,
    "messages.yaml": MESSAGES_FILE,
    "routing.yaml": ROUTING_FILE,
    "shorthand.yaml": SHORTHAND_FILE,
    "subjects.yaml": SUBJECTS_FILE,
    "reading.yaml": READING_FILE,
}
# Special files a knowledge folder may leave out (then no shorthand, no subject checks,
# no names allowed beyond those of the sources, no reading vocabulary).
OPTIONAL_FILES = frozenset(
    {"shorthand.yaml", "subjects.yaml", "allowed_names.yaml", "reading.yaml"}
)

# --- Translations (knowledge/da/, knowledge/sv/) ------------------------------------
# A translation has the texts of the English files, and only them: what is not text
# (topics, sources, follow-ups, staff chats...) is the English files'.

# kb check --stamp writes it: the first 8 hex digits of the SHA-256 of the English text.
STAMP: dict[str, Any] = {"type": "string", "pattern": r"^[0-9a-f]{8}$"}
# Enquirers type a language more variously than a curator can guess: more alternates.
MIN_TRANSLATED_ALTERNATES = 6

TRANSLATED_ENTRY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["question", "alternates", "answer"],
    "properties": {
        # The stamp of the English answer this translates.
        "stamp": STAMP,
        "question": _TEXT,
        "alternates": {**_TEXT_LIST, "minItems": MIN_TRANSLATED_ALTERNATES},
        "answer": _TEXT,
    },
}

TRANSLATED_ENTRIES_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entries"],
    "properties": {
        # English entry id -> its translation.
        "entries": {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": TRANSLATED_ENTRY,
        },
    },
}

TRANSLATED_MESSAGES_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["messages"],
    "properties": {
        "messages": {"type": "object", "additionalProperties": _TEXT},
        # Message key -> the stamp of the English message its translation translates.
        "stamps": {"type": "object", "additionalProperties": STAMP},
    },
}

_TRANSLATED_LABEL: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "label"],
    "properties": {"id": _ID, "label": _TEXT, "stamp": STAMP},
}

TRANSLATED_ROUTING_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["topics"],
    "properties": {"topics": {"type": "array", "minItems": 1, "items": _TRANSLATED_LABEL}},
}

TRANSLATED_SUBJECTS_FILE: dict[str, Any] = {
    **SUBJECTS_FILE,
    "properties": {
        **SUBJECTS_FILE["properties"],
        "subjects": {
            "type": "array",
            "items": {
                **_TRANSLATED_LABEL,
                "required": ["id", "label", "terms", "pronouns"],
                "properties": {
                    **_TRANSLATED_LABEL["properties"],
                    "terms": _TERMS,
                    "pronouns": _TEXT_LIST,
                },
            },
        },
        "attributes": {
            "type": "array",
            "items": {
                **_TRANSLATED_LABEL,
                "required": ["id", "label", "terms"],
                "properties": {**_TRANSLATED_LABEL["properties"], "terms": _TERMS},
            },
        },
    },
}

# Names a translation writes in its own language, each to the source's: "Danmark" is
# "Denmark", "Atlanten" the "Atlantic". Faithfulness reads the translation's names as the
# source's, and kb check compares them with the English answer's.
NAMES_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["names"],
    "properties": {
        "names": {
            "type": "object",
            "additionalProperties": {"oneOf": [_TEXT, {**_TEXT_LIST, "minItems": 1}]},
        },
    },
}

TRANSLATED_FILES: dict[str, dict[str, Any]] = {
    "allowed_names.yaml": ALLOWED_NAMES_FILE,
    "names.yaml": NAMES_FILE,
    "synonyms.yaml": SYNONYMS_FILE,
    "intents.yaml": INTENTS_FILE,
    "messages.yaml": TRANSLATED_MESSAGES_FILE,
    "routing.yaml": TRANSLATED_ROUTING_FILE,
    "shorthand.yaml": SHORTHAND_FILE,
    "subjects.yaml": TRANSLATED_SUBJECTS_FILE,
    "reading.yaml": READING_FILE,
}
# A translation needs subjects.yaml only when the English knowledge base has one.
OPTIONAL_TRANSLATED_FILES = frozenset(
    {"allowed_names.yaml", "names.yaml", "shorthand.yaml", "subjects.yaml", "reading.yaml"}
)
# Keys of the English files a translation must not set, by file: they are not text.
ENGLISH_ONLY: dict[str, tuple[str, ...]] = {
    "entries": (
        "id",
        "topic",
        "tags",
        "follow_ups",
        "source",
        "contact_topic",
        "subject",
        "attribute",
        "not_in_source",
        "review_by",
        "owner",
        "todo",
    ),
    "messages.yaml": ("start_topics",),
    "routing.yaml": ("default_topic", "staff_chat_env"),
    "subjects.yaml": ("place_bound", "region", "replaces", "of_people"),
}
