"""The knowledge base: entries, their sources, synonyms, intents, bot messages and routing
topics, in English and in every language it is translated into.

Loaded from a folder of YAML files, its sources/ and a folder per translation
(knowledge/da/, knowledge/sv/: see knowledge/README.md), and validated on load. Every
problem is collected with its file and line, then raised together as one
``KnowledgeError`` so a curator sees all of them at once. The types are in ``model``
(imported from here too), the reading of one folder's files in ``parsing``, and a
translation in ``translations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from bot.common.errors import KbIssue, KnowledgeError
from bot.common.languages import Language
from bot.common.yamlfile import YamlFile
from bot.knowledge import parsing, translations
from bot.knowledge import schema as kb_schema
from bot.knowledge.model import (
    DEFAULT_KNOWLEDGE_DIR,
    Aboutness,
    Attribute,
    Entry,
    Greeting,
    Intents,
    KnowledgeBase,
    Source,
    Subject,
    Topic,
    Translation,
)
from bot.knowledge.sources import load_sources, sources_dir

__all__ = [
    "DEFAULT_KNOWLEDGE_DIR",
    "Aboutness",
    "Attribute",
    "Entry",
    "Greeting",
    "Intents",
    "KnowledgeBase",
    "Subject",
    "Topic",
    "Translation",
    "load_knowledge",
]

# The knowledge/ folder beside bot/ in a checkout (this file is bot/knowledge/base.py).


def load_knowledge(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> KnowledgeBase:
    """Load and validate the knowledge base in ``directory`` and its translations (its
    folders da/ and sv/); raise ``KnowledgeError``. The English knowledge base comes
    back; ``kb.translated(lang)`` is the same in another language."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeError([KbIssue(str(directory), 1, "not a folder")])
    files, issues = parsing.read_folder(
        directory, kb_schema.SPECIAL_FILES, kb_schema.ENTRIES_FILE, kb_schema.OPTIONAL_FILES
    )
    sources, source_issues = load_sources(
        sources_dir(directory), parsing.display_name(sources_dir(directory))
    )
    issues.extend(source_issues)
    issues.extend(_source_date_issues(sources))
    folders, folder_issues = _language_folders(directory)
    issues.extend(folder_issues)
    if issues:
        raise KnowledgeError(issues)

    entries: dict[str, Entry] = {}
    for name, parsed in files.items():
        if name in kb_schema.SPECIAL_FILES:
            continue
        for i, raw in enumerate(parsed.data["entries"]):
            entry = _entry(raw, parsed, i, sources, issues)
            if entry is None:
                continue
            if entry.id in entries:
                other = entries[entry.id]
                issues.append(
                    parsed.issue(
                        ("entries", i, "id"),
                        f"duplicate id {entry.id!r} (first at {other.file}:{other.line})",
                    )
                )
                continue
            entries[entry.id] = entry
    if not entries:
        issues.append(KbIssue(str(directory), 1, "no entries found"))

    routing = files["routing.yaml"]
    topics = tuple(
        Topic(t["id"], t["label"], t.get("staff_chat_env")) for t in routing.data["topics"]
    )
    topic_ids = {t.id for t in topics}
    default_topic = routing.data["default_topic"]
    if default_topic not in topic_ids:
        issues.append(routing.issue(("default_topic",), f"unknown topic {default_topic!r}"))

    for entry in entries.values():
        where = files[Path(entry.file).name]
        index = _entry_index(where, entry.id)
        for j, target in enumerate(entry.follow_ups):
            if target not in entries:
                issues.append(
                    where.issue(
                        ("entries", index, "follow_ups", j), f"follow-up {target!r} does not exist"
                    )
                )
            elif target == entry.id:
                issues.append(
                    where.issue(("entries", index, "follow_ups", j), "entry follows up itself")
                )
        if entry.contact_topic not in topic_ids:
            issues.append(
                where.issue(
                    ("entries", index, "contact_topic"),
                    f"contact_topic {entry.contact_topic!r} is not a topic in routing.yaml",
                )
            )

    messages_file = files["messages.yaml"]
    messages = dict(messages_file.data["messages"])
    issues.extend(parsing.placeholder_issues(messages_file, messages))
    start_topics = tuple(messages_file.data["start_topics"])
    for j, target in enumerate(start_topics):
        if target not in entries:
            issues.append(
                messages_file.issue(("start_topics", j), f"start topic {target!r} does not exist")
            )

    intents = parsing.intents(files["intents.yaml"], messages, issues)
    synonyms = parsing.synonyms(files["synonyms.yaml"], issues)
    shorthand = parsing.shorthand(files.get("shorthand.yaml"), issues)
    aboutness = parsing.aboutness(files.get("subjects.yaml"), issues)
    _check_aboutness(entries, files, aboutness, "subjects.yaml" in files, issues)

    if issues:
        raise KnowledgeError(issues)
    by_language: dict[Language, KnowledgeBase] = {}  # the dict every language shares
    english = KnowledgeBase(
        entries=entries,
        synonyms=synonyms,
        intents=intents,
        messages=messages,
        start_topics=start_topics,
        topics=topics,
        default_topic=default_topic,
        directory=directory,
        shorthand=shorthand,
        aboutness=aboutness,
        sources=sources,
        allowed_names=frozenset(files["allowed_names.yaml"].data["names"])
        if "allowed_names.yaml" in files
        else frozenset(),
        reading=parsing.reading(files.get("reading.yaml")),
        lines=_text_lines(files),
        by_language=by_language,
    )
    by_language[Language.EN] = english
    for lang, folder in folders:
        try:
            translated = translations.load_translation(english, folder, lang)
        except KnowledgeError as exc:
            issues.extend(exc.issues)
            continue
        by_language[lang] = translated
    if issues:
        raise KnowledgeError(issues)
    return english


def _text_lines(files: Mapping[str, YamlFile]) -> dict[tuple[str, str], int]:
    """The line of each message, topic, subject and attribute (``KnowledgeBase.lines``)."""
    lines = {
        ("message", str(key)): files["messages.yaml"].line_of(("messages", key))
        for key in files["messages.yaml"].data["messages"]
    }
    lists = [("routing.yaml", "topics", "topic")]
    lists += [
        ("subjects.yaml", "subjects", "subject"),
        ("subjects.yaml", "attributes", "attribute"),
    ]
    for name, key, kind in lists:
        if name in files:
            for j, item in enumerate(files[name].data[key]):
                lines[(kind, item["id"])] = files[name].line_of((key, j))
    return lines


def _language_folders(directory: Path) -> tuple[list[tuple[Language, Path]], list[KbIssue]]:
    """The translation folders of ``directory`` (da/, sv/), in ``Language`` order; a
    folder of YAML files named after no language the bot speaks is an issue."""
    found: dict[Language, Path] = {}
    issues: list[KbIssue] = []
    others = sorted(p for p in directory.iterdir() if p.is_dir() and p != sources_dir(directory))
    for folder in others:
        if not any(folder.glob("*.yaml")):
            continue
        try:
            lang = Language(folder.name)
        except ValueError:
            lang = None
        if lang is None or lang == Language.EN:
            spoken = ", ".join(f"{x.value}/" for x in Language if x != Language.EN)
            why = (
                "the English files are the ones in the knowledge folder itself"
                if lang == Language.EN
                else "not a language the bot speaks"
            )
            issues.append(
                KbIssue(parsing.display_name(folder), 1, f"{why}: translations go in {spoken}")
            )
            continue
        found[lang] = folder
    return [(lang, found[lang]) for lang in Language if lang in found], issues


def _check_aboutness(
    entries: Mapping[str, Entry],
    files: Mapping[str, YamlFile],
    aboutness: Aboutness,
    required: bool,
    issues: list[KbIssue],
) -> None:
    """Entries name subjects and attributes that subjects.yaml defines; with that file
    present, every entry names its subject."""
    subject_ids = {s.id for s in aboutness.subjects}
    attribute_ids = {a.id for a in aboutness.attributes}
    for entry in entries.values():
        where = files[Path(entry.file).name]
        index = _entry_index(where, entry.id)
        if required and not entry.subjects:
            issues.append(where.issue(("entries", index), f"entry {entry.id!r} has no subject"))
        for key, used, known in (
            ("subject", entry.subjects, subject_ids),
            ("attribute", entry.attributes, attribute_ids),
        ):
            for name in used:
                if name not in known:
                    issues.append(
                        where.issue(
                            ("entries", index, key),
                            f"{key} {name!r} of {entry.id!r} is not defined in subjects.yaml",
                        )
                    )


def _entry(
    raw: dict[str, Any],
    parsed: YamlFile,
    index: int,
    sources: Mapping[str, Source],
    issues: list[KbIssue],
) -> Entry | None:
    """The entry at ``index``, its citations resolved; None (with issues) when it cites
    an unknown source or has no review date or owner."""
    cited: list[Source] = []
    for source_id in _ids(raw["source"]):
        if source_id in sources:
            cited.append(sources[source_id])
        else:
            issues.append(
                parsed.issue(
                    ("entries", index, "source"),
                    f"source {source_id!r} of {raw['id']!r} is not a file in "
                    f"knowledge/sources/ ({source_id}.txt)",
                )
            )
    if not cited:
        return None
    review_by, review_line = raw.get("review_by"), parsed.line_of(("entries", index, "review_by"))
    if review_by is None:
        dated = sorted((s for s in cited if s.review_by), key=lambda s: s.review_by or "")
        if dated:  # inherited: warnings point at the entry
            review_by, review_line = dated[0].review_by, parsed.line_of(("entries", index))
    elif _bad_date(review_by):
        issues.append(
            parsed.issue(("entries", index, "review_by"), f"review_by {review_by!r} is no date")
        )
    owner = raw.get("owner") or next((s.owner for s in cited if s.owner), None)
    if review_by is None or owner is None:
        missing = " and ".join(
            key for key, value in (("review_by", review_by), ("owner", owner)) if value is None
        )
        issues.append(
            parsed.issue(
                ("entries", index),
                f"entry {raw['id']!r} has no {missing}: set it on the entry or on its source",
            )
        )
        return None
    return Entry(
        id=raw["id"],
        question=raw["question"].strip(),
        alternates=tuple(a.strip() for a in raw["alternates"]),
        answer=raw["answer"].strip(),
        topic=raw["topic"],
        tags=tuple(str(t) for t in raw["tags"]),
        follow_ups=tuple(raw["follow_ups"]),
        sources=tuple(cited),
        contact_topic=raw["contact_topic"],
        file=parsed.name,
        line=parsed.line_of(("entries", index)),
        question_lines=(
            parsed.line_of(("entries", index, "question")),
            *(
                parsed.line_of(("entries", index, "alternates", j))
                for j in range(len(raw["alternates"]))
            ),
        ),
        answer_line=parsed.line_of(("entries", index, "answer")),
        subjects=_ids(raw.get("subject")),
        attributes=_ids(raw.get("attribute")),
        not_in_source=bool(raw.get("not_in_source", False)),
        review_by=review_by,
        owner=owner,
        review_line=review_line,
        todo=raw.get("todo"),
    )


def _bad_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return True
    return False


def _source_date_issues(sources: Mapping[str, Source]) -> list[KbIssue]:
    return [
        KbIssue(source.file, source.line, f"{key} {value!r} of source {source.id!r} is no date")
        for source in sources.values()
        for key, value in (("date", source.date), ("review_by", source.review_by))
        if value is not None and _bad_date(value)
    ]


def _ids(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _entry_index(parsed: YamlFile, entry_id: str) -> int:
    for i, raw in enumerate(parsed.data["entries"]):
        if raw["id"] == entry_id:
            return i
    return 0
