"""Translations of the knowledge base: knowledge/da/ and knowledge/sv/ loaded beside the
English files into knowledge bases of the same shape, validated with file:line errors."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

from bot.common.errors import KnowledgeError
from bot.common.languages import Language
from bot.knowledge.base import KnowledgeBase, load_knowledge
from tests.support.kbfactory import (
    DANISH_ENTRIES,
    danish_message,
    write_kb,
    write_translation,
)

pytestmark = pytest.mark.unit


def issues_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(i) for i in caught.value.issues]


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` containing ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_kb(tmp_path)
    write_translation(tmp_path, "da")
    return tmp_path


def test_languages_english_first_and_english_is_itself(folder: Path) -> None:
    kb = load_knowledge(folder)
    assert kb.language is Language.EN
    assert kb.languages == (Language.EN, Language.DA)
    assert kb.translated(Language.EN) is kb
    danish = kb.translated(Language.DA)
    assert danish.language is Language.DA
    assert danish.language_name == "Danish"
    assert danish.languages == kb.languages
    assert danish.translated(Language.EN) is kb
    assert danish.translated(Language.DA) is danish


def test_translated_texts_with_the_english_entry_structure(folder: Path) -> None:
    kb = load_knowledge(folder)
    danish = kb.translated(Language.DA)
    english_entry = kb.entries["massbio-founded"]
    entry = danish.entries["massbio-founded"]
    assert entry.question == "Hvornår blev MassBio grundlagt?"
    assert entry.alternates == tuple(DANISH_ENTRIES["massbio-founded"]["alternates"])
    assert entry.answer == "MassBio blev grundlagt i 1985."
    for same in ("id", "topic", "tags", "follow_ups", "sources", "contact_topic", "subjects"):
        assert getattr(entry, same) == getattr(english_entry, same), same
    assert list(danish.entries) == list(kb.entries)
    translation = folder / "da" / "entries.yaml"
    assert entry.file == str(translation)
    assert entry.answer_line == line_of(translation, "MassBio blev grundlagt i 1985.")
    assert entry.question_lines[0] == line_of(translation, "Hvornår blev MassBio")
    assert len(entry.question_lines) == len(entry.questions)


def test_translated_messages_topics_intents_and_the_english_settings(folder: Path) -> None:
    kb = load_knowledge(folder)
    danish = kb.translated(Language.DA)
    assert danish.message("welcome") == danish_message("welcome")
    assert danish.message("form_too_long", limit=5) == "<form_too_long> tekst 5"
    assert [t.label for t in danish.topics] == ["Noget andet", "Investering"]
    assert [t.id for t in danish.topics] == [t.id for t in kb.topics]
    assert danish.intents.greetings[0].phrases == ("hej", "goddag")
    assert danish.intents.contact_phrases == ("tale med en person", "ring til mig")
    assert danish.synonyms == (("massachusetts biotechnology council", "massbio"),)
    assert danish.start_topics == kb.start_topics
    assert danish.default_topic == kb.default_topic
    assert danish.sources is kb.sources
    assert danish.directory == folder / "da"


def test_no_translation_folder_only_english(tmp_path: Path) -> None:
    kb = load_knowledge(write_kb(tmp_path))
    assert kb.languages == (Language.EN,)
    # A language without a folder is the English knowledge base, which says so.
    assert kb.translated(Language.SV) is kb
    assert kb.translated(Language.SV).language is Language.EN


def test_both_translations_share_one_family_and_survive_pickling(folder: Path) -> None:
    write_translation(folder, "sv")
    kb = load_knowledge(folder)
    assert kb.languages == (Language.EN, Language.DA, Language.SV)
    assert kb.translated(Language.DA).translated(Language.SV) is kb.translated(Language.SV)
    copy: KnowledgeBase = pickle.loads(pickle.dumps(kb))
    assert copy.languages == kb.languages
    assert copy.translated(Language.SV).translated(Language.EN) is copy
    assert copy.translated(Language.DA).entries["ambassador-who"].answer.startswith("Torsten")


def test_a_missing_translation_is_the_english_text_and_is_recorded(tmp_path: Path) -> None:
    write_kb(tmp_path)
    entries = {k: v for k, v in DANISH_ENTRIES.items() if k != "ambassador-who"}
    messages = {"messages": {"welcome": "Velkommen!"}}
    write_translation(tmp_path, entries=entries, replace={"messages.yaml": messages})
    kb = load_knowledge(tmp_path)
    danish = kb.translated(Language.DA)
    assert danish.entries["ambassador-who"] == kb.entries["ambassador-who"]
    assert danish.message("welcome") == "Velkommen!"
    assert danish.message("fallback") == kb.message("fallback")
    missing = {(t.kind, t.key) for t in danish.translations if t.text is None}
    assert ("entry", "ambassador-who") in missing
    assert ("message", "fallback") in missing
    assert ("message", "welcome") not in missing
    assert ("entry", "massbio-founded") not in missing


def test_an_unknown_entry_id_is_an_error_at_its_line(folder: Path) -> None:
    entries = {**DANISH_ENTRIES, "no-such-entry": DANISH_ENTRIES["massbio-founded"]}
    write_translation(folder, entries=entries)
    path = folder / "da" / "entries.yaml"
    assert issues_of(folder) == [
        f"{path}:{line_of(path, 'no-such-entry:')}: "
        "'no-such-entry' is not the id of an English entry"
    ]


def test_what_is_not_text_belongs_to_the_english_files(folder: Path) -> None:
    entries = {
        **DANISH_ENTRIES,
        "massbio-founded": {**DANISH_ENTRIES["massbio-founded"], "follow_ups": []},
    }
    routing = {"topics": [{"id": "other", "label": "Noget andet", "staff_chat_env": "X"}]}
    messages = {"messages": {"welcome": "Hej"}, "start_topics": ["ambassador-who"]}
    write_translation(
        folder,
        entries=entries,
        replace={"routing.yaml": routing, "messages.yaml": messages},
    )
    issues = issues_of(folder)
    assert len(issues) == 3
    for name, key in (
        ("entries.yaml", "follow_ups"),
        ("routing.yaml", "staff_chat_env"),
        ("messages.yaml", "start_topics"),
    ):
        path = folder / "da" / name
        assert (
            f"{path}:{line_of(path, key + ':')}: {key!r} is the English files' to set (it is "
            "not text): remove it from the translation"
        ) in issues


def test_a_translation_has_at_least_six_alternates(folder: Path) -> None:
    short = {**DANISH_ENTRIES["massbio-founded"], "alternates": ["a", "b", "c", "d", "e"]}
    write_translation(folder, entries={**DANISH_ENTRIES, "massbio-founded": short})
    path = folder / "da" / "entries.yaml"
    assert issues_of(folder) == [
        f"{path}:{line_of(path, 'alternates:')}: "
        "entries.massbio-founded.alternates: needs at least 6 items"
    ]


def test_unknown_keys_ids_and_bad_placeholders(folder: Path) -> None:
    messages = {
        "messages": {"form_too_long": "Højst {grænse} tegn", "no_such_key": "x"},
        "stamps": {"welcome": "0123abcd"},
    }
    routing = {"topics": [{"id": "press", "label": "Presse"}]}
    write_translation(folder, replace={"messages.yaml": messages, "routing.yaml": routing})
    text = " | ".join(issues_of(folder))
    assert "message 'form_too_long' must use {limit}" in text
    assert "message 'no_such_key' is not a key in the English file" in text
    assert "stamp of 'welcome', which is not translated" in text
    assert "topic 'press' is not one of the English file" in text


def test_required_files_of_a_translation(folder: Path) -> None:
    (folder / "da" / "intents.yaml").unlink()
    assert issues_of(folder) == [f"{folder / 'da' / 'intents.yaml'}:1: required file is missing"]


def test_a_greeting_replies_with_a_message_key(folder: Path) -> None:
    intents = yaml.safe_load((folder / "da" / "intents.yaml").read_text())
    intents["greetings"][0]["reply"] = "hilsen"
    write_translation(folder, replace={"intents.yaml": intents})
    assert any("reply 'hilsen' is not a key in messages.yaml" in i for i in issues_of(folder))


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("de", "not a language the bot speaks"),
        ("en", "the English files are the ones in the knowledge folder itself"),
    ],
)
def test_a_folder_of_another_language_is_an_error(folder: Path, name: str, why: str) -> None:
    write_translation(folder, name)
    assert issues_of(folder) == [f"{folder / name}:1: {why}: translations go in da/, sv/"]


def test_a_folder_without_yaml_files_is_ignored(folder: Path) -> None:
    (folder / "notes").mkdir()
    (folder / "notes" / "README.txt").write_text("drafts of translations")
    assert load_knowledge(folder).languages == (Language.EN, Language.DA)


def test_reading_vocabulary_per_language(folder: Path) -> None:
    reading = {"reading": {"question_words": ["hvem", "hvad", "hvornår"]}}
    write_translation(folder, replace={"reading.yaml": reading})
    kb = load_knowledge(folder)
    assert kb.reading == {}
    assert kb.translated(Language.DA).reading == {"question_words": ("hvem", "hvad", "hvornår")}
