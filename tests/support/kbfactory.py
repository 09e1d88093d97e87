"""Builds small, valid knowledge folders in a temporary directory for unit tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR
from bot.knowledge.schema import MESSAGE_PLACEHOLDERS, REQUIRED_MESSAGES

SOURCE_ID = "test-article"
# The source every factory entry cites, written to sources/test-article.txt: it holds the
# facts of DEFAULT_ENTRIES, and is due for review long after any test runs.
SOURCE_HEADER = {
    "id": SOURCE_ID,
    "kind": "article",
    "title": "Test article",
    "publisher": "Test publisher",
    "date": "2011-07-04",
    "review_by": "2099-01-01",
    "owner": "programme staff",
}
SOURCE_TEXT = (
    "Torsten Jepsen is the ambassador in Boston-Cambridge.\n"
    "MassBio was founded in 1985.\n"
    "Boston-Cambridge has more than 480 biotechnology companies.\n"
)


def source_file(header: dict[str, Any] | None = None, text: str = SOURCE_TEXT) -> str:
    """The text of a source file: front matter, then the text."""
    front = yaml.safe_dump(header or SOURCE_HEADER, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{text}"


def entry(
    entry_id: str, question: str, alternates: list[str], answer: str, **extra: Any
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "question": question,
        "alternates": alternates,
        "answer": answer,
        "topic": "programme",
        "tags": extra.pop("tags", []),
        "follow_ups": extra.pop("follow_ups", []),
        "source": extra.pop("source", SOURCE_ID),
        "contact_topic": extra.pop("contact_topic", "other"),
        **extra,
    }


DEFAULT_ENTRIES = [
    entry(
        "massbio-founded",
        "When was MassBio founded?",
        [
            "massbio founding year",
            "how old is massbio",
            "since when does massbio exist",
            "year massbio started",
        ],
        "MassBio was founded in 1985.",
        follow_ups=["ambassador-who"],
    ),
    entry(
        "ambassador-who",
        "Who is the ambassador in Boston?",
        [
            "who represents the programme in boston",
            "name of the boston ambassador",
            "who is torsten jepsen",
            "boston envoy",
        ],
        "Torsten Jepsen is the ambassador in Boston-Cambridge.",
    ),
    entry(
        "cluster-companies",
        "How many biotech companies are in the cluster?",
        [
            "number of biotech firms",
            "how big is the cluster",
            "count of companies",
            "biotechnology companies in boston",
        ],
        "More than 480 biotechnology companies (2011).",
    ),
]


def message_text(key: str) -> str:
    """A recognisable stand-in for message ``key``, with the placeholders it needs."""
    names = sorted(MESSAGE_PLACEHOLDERS.get(key, ()))
    return " ".join([f"<{key}> text", *(f"{{{name}}}" for name in names)])


def messages_file(start_topics: list[str]) -> dict[str, Any]:
    return {
        "messages": {key: message_text(key) for key in REQUIRED_MESSAGES},
        "start_topics": start_topics,
    }


def write_kb(
    directory: Path,
    entries: list[dict[str, Any]] | None = None,
    replace: dict[str, Any] | None = None,
) -> Path:
    """Write a complete knowledge folder; ``replace`` maps file names to other contents
    (``sources/<id>.txt`` to the text of a source file)."""
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {
        "entries.yaml": {"entries": DEFAULT_ENTRIES if entries is None else entries},
        "synonyms.yaml": {
            "synonyms": [
                ["massachusetts biotechnology council", "massbio"],
                ["biotechnology", "biotech"],
                ["ambassador", "envoy"],
            ]
        },
        "intents.yaml": {
            "greetings": [
                {
                    "name": "hello",
                    "phrases": ["hi", "hello", "good morning"],
                    "reply": "greeting_hello",
                },
                {"name": "thanks", "phrases": ["thanks", "thank you"], "reply": "greeting_thanks"},
                {"name": "help", "phrases": ["help", "what can you do"], "reply": "greeting_help"},
                {"name": "bye", "phrases": ["bye"], "reply": "greeting_bye"},
            ],
            "filler": ["there", "a", "lot", "very", "much", "bot"],
            "contact": {"phrases": ["contact", "call me", "talk to a person", "get in touch"]},
        },
        "messages.yaml": messages_file(["ambassador-who"]),
        f"sources/{SOURCE_ID}.txt": source_file(),
        "routing.yaml": {
            "topics": [
                {"id": "other", "label": "Something else"},
                {"id": "investment", "label": "Investment"},
            ],
            "default_topic": "other",
        },
    }
    files.update(replace or {})
    for name, data in files.items():
        if name.startswith("sources/"):
            (directory / "sources").mkdir(exist_ok=True)
            (directory / name).write_text(data)
        else:
            (directory / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return directory


# A Danish translation of the factory's knowledge folder (knowledge/da/).
DANISH_ENTRIES = {
    "massbio-founded": {
        "question": "Hvornår blev MassBio grundlagt?",
        "alternates": [
            "hvornar blev massbio grundlagt",
            "massbio grundlagt",
            "hvor gammel er massbio",
            "massbio stiftet",
            "siden hvornår findes massbio",
            "massbio stiftelsesår",
        ],
        "answer": "MassBio blev grundlagt i 1985.",
    },
    "ambassador-who": {
        "question": "Hvem er ambassadør i Boston?",
        "alternates": [
            "hvem er ambassadoren",
            "hvem er ambassadøren i boston",
            "ambassadør boston navn",
            "hvem er torsten jepsen",
            "hvem repræsenterer programmet i boston",
            "boston udsending",
        ],
        "answer": "Torsten Jepsen er ambassadør i Boston-Cambridge.",
    },
    "cluster-companies": {
        "question": "Hvor mange biotekvirksomheder er der i klyngen?",
        "alternates": [
            "antal biotekvirksomheder",
            "hvor stor er klyngen",
            "hvor mange virksomheder",
            "biotekfirmaer i boston",
            "antal firmaer i klyngen",
            "hvor mange biotek firmaer er der",
        ],
        "answer": "Klyngen har mere end 480 bioteknologivirksomheder (2011).",
    },
}


def danish_message(key: str) -> str:
    """A recognisable Danish stand-in for message ``key``, with its placeholders."""
    return message_text(key).replace(" text", " tekst")


def write_translation(
    directory: Path,
    lang: str = "da",
    entries: dict[str, Any] | None = None,
    replace: dict[str, Any] | None = None,
) -> Path:
    """Write a complete translation folder ``directory/lang`` of the factory's knowledge
    folder (Danish texts whatever ``lang``); ``replace`` maps file names to contents."""
    folder = directory / lang
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {
        "entries.yaml": {"entries": DANISH_ENTRIES if entries is None else entries},
        "synonyms.yaml": {"synonyms": [["massachusetts biotechnology council", "massbio"]]},
        "intents.yaml": {
            "greetings": [
                {"name": "hello", "phrases": ["hej", "goddag"], "reply": "greeting_hello"},
                {"name": "thanks", "phrases": ["tak"], "reply": "greeting_thanks"},
            ],
            "filler": ["der", "mange"],
            "contact": {"phrases": ["tale med en person", "ring til mig"]},
        },
        "messages.yaml": {"messages": {key: danish_message(key) for key in REQUIRED_MESSAGES}},
        "routing.yaml": {
            "topics": [
                {"id": "other", "label": "Noget andet"},
                {"id": "investment", "label": "Investering"},
            ]
        },
    }
    # The reading vocabulary is the shipped one of the language (Danish for any other).
    shipped = DEFAULT_KNOWLEDGE_DIR / (lang if (DEFAULT_KNOWLEDGE_DIR / lang).is_dir() else "da")
    files["reading.yaml"] = (shipped / "reading.yaml").read_text(encoding="utf-8")
    files.update(replace or {})
    for name, data in files.items():
        text = (
            data
            if isinstance(data, str)
            else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        )
        (folder / name).write_text(text)
    return folder
