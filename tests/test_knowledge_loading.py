"""Loading and validating knowledge folders: errors carry file and line, never tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.common.errors import KnowledgeError
from bot.knowledge.base import load_knowledge
from tests.support.kbfactory import DEFAULT_ENTRIES, entry, write_kb

pytestmark = pytest.mark.unit


def issues_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(i) for i in caught.value.issues]


def test_valid_folder_loads(tmp_path: Path) -> None:
    kb = load_knowledge(write_kb(tmp_path))
    assert list(kb.entries) == ["massbio-founded", "ambassador-who", "cluster-companies"]
    found = kb.entries["massbio-founded"]
    assert found.questions[0] == "When was MassBio founded?"
    assert found.follow_ups == ("ambassador-who",)
    assert found.line == 2
    assert kb.start_topics == ("ambassador-who",)
    assert kb.default_topic == "other"


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    write_kb(tmp_path)
    (tmp_path / "broken.yaml").write_text("entries:\n  - id: x\n    question: [unclosed\n")
    issues = issues_of(tmp_path)
    assert len(issues) == 1
    assert issues[0].startswith(f"{tmp_path / 'broken.yaml'}:")
    assert "YAML syntax error" in issues[0]
    line = int(issues[0].split(":")[1])
    assert line in (3, 4)


def test_schema_errors_point_at_the_offending_line(tmp_path: Path) -> None:
    bad = entry("too-few", "Short?", ["one", "two"], "Answer.")
    write_kb(tmp_path, [*DEFAULT_ENTRIES, bad])
    text = (tmp_path / "entries.yaml").read_text().splitlines()
    issues = issues_of(tmp_path)
    assert len(issues) == 1
    _, line, message = issues[0].split(":", 2)
    assert "alternates" in message and "at least 4" in message
    assert text[int(line) - 1].strip() == "alternates:"


def test_empty_answer_and_missing_key(tmp_path: Path) -> None:
    empty = entry("empty-answer", "Q?", ["a b", "c d", "e f", "g h"], "   ")
    missing = entry("no-topic", "Q2?", ["a b c", "c d e", "e f g", "g h i"], "A.")
    del missing["contact_topic"]
    write_kb(tmp_path, [*DEFAULT_ENTRIES, empty, missing])
    messages = " | ".join(issues_of(tmp_path))
    assert "entries.3.answer: must not be empty" in messages
    assert "missing key 'contact_topic'" in messages


def test_duplicate_ids_and_dangling_follow_ups(tmp_path: Path) -> None:
    dup = entry("massbio-founded", "Other?", ["a", "b", "c", "d"], "X.")
    dangling = entry("lonely", "Lonely?", ["e", "f", "g", "h"], "Y.", follow_ups=["nowhere"])
    write_kb(tmp_path, [*DEFAULT_ENTRIES, dup, dangling])
    messages = " | ".join(issues_of(tmp_path))
    assert "duplicate id 'massbio-founded' (first at" in messages
    assert "follow-up 'nowhere' does not exist" in messages


def test_duplicate_yaml_keys_are_reported(tmp_path: Path) -> None:
    write_kb(tmp_path)
    (tmp_path / "extra.yaml").write_text("entries: []\nentries: []\n")
    assert any("extra.yaml:2: duplicate key 'entries'" in i for i in issues_of(tmp_path))


def test_unknown_contact_topic_and_start_topic(tmp_path: Path) -> None:
    odd = entry("odd", "Odd?", ["a", "b", "c", "d"], "Z.", contact_topic="nowhere")
    write_kb(tmp_path, [*DEFAULT_ENTRIES, odd])
    messages = " | ".join(issues_of(tmp_path))
    assert "contact_topic 'nowhere' is not a topic in routing.yaml" in messages


def test_missing_special_file_and_binary_file(tmp_path: Path) -> None:
    write_kb(tmp_path)
    (tmp_path / "synonyms.yaml").unlink()
    (tmp_path / "garbage.yaml").write_bytes(b"\xff\xfe\x00bad")
    messages = " | ".join(issues_of(tmp_path))
    assert "synonyms.yaml:1: required file is missing" in messages
    assert "garbage.yaml:1: not valid UTF-8" in messages


def test_not_a_folder(tmp_path: Path) -> None:
    assert "not a folder" in issues_of(tmp_path / "missing")[0]
