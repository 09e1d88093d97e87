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
    "contact",
    "contact_pending",
    "greeting_hello",
    "greeting_thanks",
    "greeting_help",
    "greeting_bye",
    "non_text",
    "cancel",
    "feedback_thanks",
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
)

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": r"\S"}
_TEXT_LIST: dict[str, Any] = {"type": "array", "items": _TEXT}

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
        "alternates": {**_TEXT_LIST, "minItems": MIN_ALTERNATES},
        "answer": _TEXT,
        "topic": {"type": "string", "pattern": ID_PATTERN},
        # Curators write years as tags ("1985"); YAML reads them as numbers.
        "tags": {"type": "array", "items": {"type": ["string", "number"]}},
        "follow_ups": {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
        "source": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "date"],
            "properties": {
                "title": _TEXT,
                "publisher": _TEXT,
                "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            },
        },
        "contact_topic": {"type": "string", "pattern": ID_PATTERN},
    },
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
            "properties": {"phrases": {**_TEXT_LIST, "minItems": 1}},
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
                    "id": {"type": "string", "pattern": ID_PATTERN},
                    "label": _TEXT,
                },
            },
        },
        "default_topic": {"type": "string", "pattern": ID_PATTERN},
    },
}

# Files with these names have their own schema; every other *.yaml holds entries.
SPECIAL_FILES: dict[str, dict[str, Any]] = {
    "synonyms.yaml": SYNONYMS_FILE,
    "intents.yaml": INTENTS_FILE,
    "messages.yaml": MESSAGES_FILE,
    "routing.yaml": ROUTING_FILE,
}
