"""A translation of the knowledge base: knowledge/<code>/, read into a knowledge base of
the English one's shape.

The folder mirrors the English files, with their texts only: ``entries.yaml`` maps each
English entry id to its question, alternates and answer (and the ``stamp`` of the English
answer it translates); ``messages.yaml`` has the messages (and their ``stamps``);
``routing.yaml`` and ``subjects.yaml`` the labels (and terms) by id; ``intents.yaml``,
``synonyms.yaml``, ``shorthand.yaml`` and ``reading.yaml`` are the language's own, in the
English files' form. ``names.yaml`` maps names the language writes its own way to the
source's ("Danmark": "Denmark"), ``allowed_names.yaml`` adds names answers may use.

Whatever is not text (topics, tags, follow-ups, sources, subjects and attributes of the
entries, staff chats, start topics) is the English files'; a translation that sets it is
an error. An entry, message, topic, subject or attribute the translation lacks is the
English one in the translated knowledge base, so the bot keeps working; ``kb check``
reports it (bot/knowledge/stamps.py), with stale and unfaithful translations.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.common.errors import KbIssue, KnowledgeError
from bot.common.languages import Language
from bot.common.yamlfile import YamlFile
from bot.knowledge import parsing
from bot.knowledge import schema as kb_schema
from bot.knowledge.model import (
    Aboutness,
    Attribute,
    Entry,
    KnowledgeBase,
    Subject,
    Topic,
    Translation,
)

ENTRIES_FILE = "entries.yaml"


def load_translation(english: KnowledgeBase, folder: Path, lang: Language) -> KnowledgeBase:
    """The knowledge base ``english`` in ``lang``, from ``folder``; raise ``KnowledgeError``."""
    optional = set(kb_schema.OPTIONAL_TRANSLATED_FILES)
    if english.aboutness.subjects:
        optional.discard("subjects.yaml")
    files, issues = parsing.read_folder(
        folder,
        kb_schema.TRANSLATED_FILES,
        kb_schema.TRANSLATED_ENTRIES_FILE,
        optional,
        prepare=_english_only_keys,
    )
    if issues:
        raise KnowledgeError(issues)
    reader = _Reader(english, folder, lang)
    entries = reader.entries(files)
    messages = reader.messages(files["messages.yaml"])
    topics = reader.topics(files["routing.yaml"])
    aboutness = reader.aboutness(files.get("subjects.yaml"))
    issues = reader.issues
    intents = parsing.intents(files["intents.yaml"], messages, issues)
    synonyms = parsing.synonyms(files["synonyms.yaml"], issues)
    shorthand = parsing.shorthand(files.get("shorthand.yaml"), issues)
    if issues:
        raise KnowledgeError(issues)
    allowed = files.get("allowed_names.yaml")
    names = files.get("names.yaml")
    return KnowledgeBase(
        entries=entries,
        synonyms=synonyms,
        intents=intents,
        messages=messages,
        start_topics=english.start_topics,
        topics=topics,
        default_topic=english.default_topic,
        directory=folder,
        shorthand=shorthand,
        aboutness=aboutness,
        sources=english.sources,
        allowed_names=english.allowed_names
        | (frozenset(allowed.data["names"]) if allowed else frozenset()),
        language=lang,
        reading=parsing.reading(files.get("reading.yaml")),
        translations=tuple(reader.translations),
        names=_names(names),
        by_language=english.by_language,  # one dict for every language
    )


class _Reader:
    """Reads the translated texts of one folder beside the English ones, collecting the
    translations (for kb check) and the issues (for load_knowledge)."""

    def __init__(self, english: KnowledgeBase, folder: Path, lang: Language) -> None:
        self.english = english
        self.folder = folder
        self.lang = lang
        self.issues: list[KbIssue] = []
        self.translations: list[Translation] = []

    def _file(self, name: str) -> str:
        return parsing.display_name(self.folder / name)

    def _missing(self, kind: str, key: str, english: tuple[str, str, int], name: str) -> None:
        """Record that ``kind`` ``key`` has no translation; ``english`` is the English
        (text, file, line), ``name`` the file of the folder it belongs in."""
        text, english_file, english_line = english
        self.translations.append(
            Translation(
                kind=kind,
                key=key,
                english=text,
                text=None,
                stamp=None,
                file=self._file(name),
                line=1,
                english_file=english_file,
                english_line=english_line,
            )
        )

    def _found(
        self,
        kind: str,
        key: str,
        english: tuple[str, str, int],
        text: str,
        parsed: YamlFile,
        path: tuple[str | int, ...],
        stamp_path: tuple[str | int, ...],
    ) -> None:
        """Record the translation ``text`` at ``path`` of ``parsed``, its stamp (if it has
        one) at ``stamp_path``."""
        english_text, english_file, english_line = english
        stamp = _at(parsed.data, stamp_path)
        self.translations.append(
            Translation(
                kind=kind,
                key=key,
                english=english_text,
                text=text,
                stamp=stamp if isinstance(stamp, str) else None,
                file=parsed.name,
                line=parsed.line_of(stamp_path if stamp is not None else path),
                english_file=english_file,
                english_line=english_line,
                path=path,
            )
        )

    def entries(self, files: dict[str, YamlFile]) -> dict[str, Entry]:
        found: dict[str, tuple[YamlFile, dict[str, Any]]] = {}
        for name, parsed in files.items():
            if name in kb_schema.TRANSLATED_FILES:
                continue
            for entry_id, raw in parsed.data["entries"].items():
                if entry_id not in self.english.entries:
                    self.issues.append(
                        parsed.issue(
                            ("entries", entry_id),
                            f"{entry_id!r} is not the id of an English entry",
                        )
                    )
                elif entry_id in found:
                    other = found[entry_id][0]
                    self.issues.append(
                        parsed.issue(
                            ("entries", entry_id),
                            f"entry {entry_id!r} is translated twice (first at "
                            f"{other.name}:{other.line_of(('entries', entry_id))})",
                        )
                    )
                else:
                    found[entry_id] = (parsed, raw)
        default = next((p.name for n, p in files.items() if n == ENTRIES_FILE), ENTRIES_FILE)
        entries: dict[str, Entry] = {}
        for entry_id, entry in self.english.entries.items():
            english = (entry.answer, entry.file, entry.answer_line)
            if entry_id not in found:
                entries[entry_id] = entry
                self._missing("entry", entry_id, english, Path(default).name)
                continue
            parsed, raw = found[entry_id]
            path = ("entries", entry_id)
            alternates = tuple(a.strip() for a in raw["alternates"])
            entries[entry_id] = replace(
                entry,
                question=raw["question"].strip(),
                alternates=alternates,
                answer=raw["answer"].strip(),
                file=parsed.name,
                line=parsed.line_of(path),
                question_lines=(
                    parsed.line_of((*path, "question")),
                    *(parsed.line_of((*path, "alternates", j)) for j in range(len(alternates))),
                ),
                answer_line=parsed.line_of((*path, "answer")),
            )
            answer = entries[entry_id].answer
            self._found("entry", entry_id, english, answer, parsed, path, (*path, "stamp"))
        return entries

    def messages(self, parsed: YamlFile) -> dict[str, str]:
        english = self.english.messages
        translated = dict(parsed.data["messages"])
        stamps = dict(parsed.data.get("stamps") or {})
        for key in translated:
            if key not in english:
                self.issues.append(
                    parsed.issue(
                        ("messages", key), f"message {key!r} is not a key in the English file"
                    )
                )
        for key in stamps:
            if key not in translated:
                self.issues.append(
                    parsed.issue(("stamps", key), f"stamp of {key!r}, which is not translated")
                )
        self.issues.extend(parsing.placeholder_issues(parsed, translated))
        english_file = parsing.display_name(self.english.directory / "messages.yaml")
        out: dict[str, str] = {}
        for key, text in english.items():
            where = (text, english_file, self.english.lines.get(("message", key), 1))
            if key not in translated:
                out[key] = text
                self._missing("message", key, where, "messages.yaml")
                continue
            out[key] = translated[key]
            path = ("messages", key)
            self._found("message", key, where, translated[key], parsed, path, ("stamps", key))
        return out

    def topics(self, parsed: YamlFile) -> tuple[Topic, ...]:
        labels = self._labels(parsed, "topics", {t.id for t in self.english.topics}, "topic")
        english_file = parsing.display_name(self.english.directory / "routing.yaml")
        out = []
        for topic in self.english.topics:
            where = (topic.label, english_file, self.english.lines.get(("topic", topic.id), 1))
            if topic.id not in labels:
                out.append(topic)
                self._missing("topic", topic.id, where, "routing.yaml")
                continue
            raw, path = labels[topic.id]
            out.append(replace(topic, label=raw["label"]))
            self._found("topic", topic.id, where, raw["label"], parsed, path, (*path, "stamp"))
        return tuple(out)

    def aboutness(self, parsed: YamlFile | None) -> Aboutness:
        english = self.english.aboutness
        if parsed is None:
            return english
        english_file = parsing.display_name(self.english.directory / "subjects.yaml")
        subjects = self._labels(parsed, "subjects", {s.id for s in english.subjects}, "subject")
        attributes = self._labels(
            parsed, "attributes", {a.id for a in english.attributes}, "attribute"
        )
        out_subjects: list[Subject] = []
        for subject in english.subjects:
            line = self.english.lines.get(("subject", subject.id), 1)
            where = (subject.label, english_file, line)
            if subject.id not in subjects:
                out_subjects.append(subject)
                self._missing("subject", subject.id, where, "subjects.yaml")
                continue
            raw, path = subjects[subject.id]
            out_subjects.append(
                replace(
                    subject,
                    label=raw["label"],
                    terms=tuple(raw["terms"]),
                    pronouns=tuple(raw["pronouns"]),
                )
            )
            self._found("subject", subject.id, where, raw["label"], parsed, path, (*path, "stamp"))
        out_attributes: list[Attribute] = []
        for attribute in english.attributes:
            line = self.english.lines.get(("attribute", attribute.id), 1)
            where = (attribute.label, english_file, line)
            if attribute.id not in attributes:
                out_attributes.append(attribute)
                self._missing("attribute", attribute.id, where, "subjects.yaml")
                continue
            raw, path = attributes[attribute.id]
            out_attributes.append(replace(attribute, label=raw["label"], terms=tuple(raw["terms"])))
            self._found(
                "attribute", attribute.id, where, raw["label"], parsed, path, (*path, "stamp")
            )
        parsing.check_subject_terms(parsed, tuple(out_subjects), tuple(out_attributes), self.issues)
        data = parsed.data
        return Aboutness(
            subjects=tuple(out_subjects),
            attributes=tuple(out_attributes),
            known_places=tuple(data["places"]["known"]),
            other_places=tuple(data["places"]["other"]),
            from_other_places=tuple(data["places"].get("from_other", {}).items()),
            now_words=tuple(data["times"]["now"]),
            future_words=tuple(data["times"].get("future", ())),
            **parsing.sectors(data),
        )

    def _labels(
        self, parsed: YamlFile, key: str, known: set[str], kind: str
    ) -> dict[str, tuple[dict[str, Any], tuple[str | int, ...]]]:
        """The items of list ``key`` by id (each with its path), ids checked against
        the English file's."""
        out: dict[str, tuple[dict[str, Any], tuple[str | int, ...]]] = {}
        for j, raw in enumerate(parsed.data[key]):
            path: tuple[str | int, ...] = (key, j)
            if raw["id"] not in known:
                self.issues.append(
                    parsed.issue(
                        (*path, "id"), f"{kind} {raw['id']!r} is not one of the English file"
                    )
                )
            elif raw["id"] in out:
                self.issues.append(parsed.issue((*path, "id"), f"{kind} {raw['id']!r} twice"))
            else:
                out[raw["id"]] = (raw, path)
        return out


def _english_only_keys(parsed: YamlFile) -> list[KbIssue]:
    """Keys a translation sets that only the English files may: they are not text."""
    name = Path(parsed.name).name
    data = parsed.data
    if not isinstance(data, dict):
        return []
    found: list[tuple[tuple[str | int, ...], str]] = []
    if name not in kb_schema.TRANSLATED_FILES and isinstance(data.get("entries"), dict):
        for entry_id, raw in data["entries"].items():
            if isinstance(raw, dict):
                found += [
                    (("entries", entry_id, k), k)
                    for k in kb_schema.ENGLISH_ONLY["entries"]
                    if k in raw
                ]
    for key in kb_schema.ENGLISH_ONLY.get(name, ()):
        if key in data:
            found.append(((key,), key))
        for list_key in ("topics", "subjects", "attributes"):
            for j, item in enumerate(data.get(list_key) or ()):
                if isinstance(item, dict) and key in item:
                    found.append(((list_key, j, key), key))
    return [
        parsed.issue(
            path,
            f"{key!r} is the English files' to set (it is not text): remove it from the "
            "translation",
        )
        for path, key in found
    ]


def _names(parsed: YamlFile | None) -> dict[str, tuple[str, ...]]:
    if parsed is None:
        return {}
    return {
        str(word).casefold(): (value,) if isinstance(value, str) else tuple(value)
        for word, value in parsed.data["names"].items()
    }


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` in ``data``, or None."""
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data
