"""The knowledge base: entries, their sources, synonyms, intents, bot messages and routing
topics.

Loaded from a folder of YAML files and its sources/ (see knowledge/README.md) and
validated on load. Every problem is collected with its file and line, then raised
together as one ``KnowledgeError`` so a curator sees all of them at once.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.common.errors import KbIssue, KnowledgeError
from bot.common.textnorm import words
from bot.common.yamlfile import YamlFile, read_yaml
from bot.knowledge import schema as kb_schema
from bot.knowledge.sources import Source, load_sources, sources_dir

if TYPE_CHECKING:
    import jsonschema

# The knowledge/ folder beside bot/ in a checkout (this file is bot/knowledge/base.py).
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    topic: str
    tags: tuple[str, ...]
    follow_ups: tuple[str, ...]
    sources: tuple[Source, ...]  # the cited sources, the first the main one
    contact_topic: str
    file: str
    line: int
    question_lines: tuple[int, ...] = ()  # line of each of ``questions``
    answer_line: int = 0
    subjects: tuple[str, ...] = ()  # ids in subjects.yaml, the main one first
    attributes: tuple[str, ...] = ()
    not_in_source: bool = False  # says what the source does not say: a fallback
    review_by: str | None = None  # its own, else the earliest of its sources'
    owner: str | None = None
    review_line: int = 0  # where review_by is set: the entry, or its source's file
    todo: str | None = None  # what a curator still has to do (kb accept writes one)

    @property
    def source(self) -> Source:
        return self.sources[0]

    @property
    def questions(self) -> tuple[str, ...]:
        """The canonical question followed by its alternates."""
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class Greeting:
    name: str
    phrases: tuple[str, ...]
    reply: str  # a message key


@dataclass(frozen=True)
class Intents:
    greetings: tuple[Greeting, ...]
    filler: frozenset[str]
    contact_phrases: tuple[str, ...]
    # (verbs, targets): a verb followed closely by a person asks for one
    contact_pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    contact_cues: frozenset[str] = frozenset()  # one must come before a pair's verb


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    staff_chat_env: str | None = None


@dataclass(frozen=True)
class Subject:
    """Something entries are about (MassBio, the ambassador), and how messages name it."""

    id: str
    label: str
    terms: tuple[str, ...]
    pronouns: tuple[str, ...] = ()
    place_bound: bool = False  # its facts hold for Boston-Cambridge only
    # A region of its own (Medicon Valley): no figure of the knowledge base describes it.
    region: bool = False


@dataclass(frozen=True)
class Attribute:
    """Something a question can ask of a subject (its founding, its cost)."""

    id: str
    label: str
    terms: tuple[str, ...]
    replaces: tuple[str, ...] = ()  # narrower readings win: "who founded" over "founded"


@dataclass(frozen=True)
class Aboutness:
    """subjects.yaml: subjects, attributes, places and times (see that file)."""

    subjects: tuple[Subject, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    known_places: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    now_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    entries: Mapping[str, Entry]
    synonyms: tuple[tuple[str, ...], ...]
    intents: Intents
    messages: Mapping[str, str]
    start_topics: tuple[str, ...]
    topics: tuple[Topic, ...]
    default_topic: str
    directory: Path
    shorthand: Mapping[str, str] = field(default_factory=dict)
    aboutness: Aboutness = field(default_factory=Aboutness)
    sources: Mapping[str, Source] = field(default_factory=dict)
    # Capitalised words answers may use that no source has (allowed_names.yaml).
    allowed_names: frozenset[str] = frozenset()

    def message(self, key: str, **values: object) -> str:
        """A bot message; placeholders are filled with ``values`` (checked on load)."""
        text = self.messages[key]
        return text.format(**values) if values else text

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def load_knowledge(directory: Path | str = DEFAULT_KNOWLEDGE_DIR) -> KnowledgeBase:
    """Load and validate the knowledge base in ``directory``; raise ``KnowledgeError``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeError([KbIssue(str(directory), 1, "not a folder")])
    issues: list[KbIssue] = []
    files: dict[str, YamlFile] = {}
    for path in sorted(directory.glob("*.yaml")):
        parsed, problems = read_yaml(path, _display_name(path))
        issues.extend(problems)
        if parsed is None:
            continue
        schema = kb_schema.SPECIAL_FILES.get(path.name, kb_schema.ENTRIES_FILE)
        schema_problems = _schema_issues(parsed, schema)
        issues.extend(schema_problems)
        if not schema_problems:
            files[path.name] = parsed
    for name in kb_schema.SPECIAL_FILES:
        if name not in kb_schema.OPTIONAL_FILES and not (directory / name).exists():
            issues.append(KbIssue(str(directory / name), 1, "required file is missing"))
    sources, source_issues = load_sources(
        sources_dir(directory), _display_name(sources_dir(directory))
    )
    issues.extend(source_issues)
    issues.extend(_source_date_issues(sources))
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
    for key, text in messages.items():
        problem = _placeholder_problem(key, text)
        if problem:
            issues.append(messages_file.issue(("messages", key), problem))
    start_topics = tuple(messages_file.data["start_topics"])
    for j, target in enumerate(start_topics):
        if target not in entries:
            issues.append(
                messages_file.issue(("start_topics", j), f"start topic {target!r} does not exist")
            )

    intents_file = files["intents.yaml"]
    greetings = tuple(
        Greeting(g["name"], tuple(g["phrases"]), g["reply"]) for g in intents_file.data["greetings"]
    )
    for j, greeting in enumerate(greetings):
        if greeting.reply not in messages:
            issues.append(
                intents_file.issue(
                    ("greetings", j, "reply"),
                    f"reply {greeting.reply!r} is not a key in messages.yaml",
                )
            )
    intents = Intents(
        greetings=greetings,
        filler=frozenset(intents_file.data["filler"]),
        contact_phrases=tuple(intents_file.data["contact"]["phrases"]),
        contact_pairs=tuple(
            (tuple(pair["verbs"]), tuple(pair["targets"]))
            for pair in intents_file.data["contact"].get("pairs", [])
        ),
        contact_cues=frozenset(intents_file.data["contact"].get("cues", [])),
    )

    synonyms_file = files["synonyms.yaml"]
    synonyms = tuple(tuple(g) for g in synonyms_file.data["synonyms"])
    seen_terms: dict[str, int] = {}
    for j, group in enumerate(synonyms):
        for k, term in enumerate(group):
            key = " ".join(term.casefold().split())
            if key in seen_terms:
                issues.append(
                    synonyms_file.issue(
                        ("synonyms", j, k),
                        f"term {term!r} is already in synonym group {seen_terms[key] + 1}",
                    )
                )
            seen_terms[key] = j

    shorthand = _shorthand(files.get("shorthand.yaml"), issues)
    aboutness = _aboutness(files.get("subjects.yaml"), issues)
    _check_aboutness(entries, files, aboutness, "subjects.yaml" in files, issues)

    if issues:
        raise KnowledgeError(issues)
    return KnowledgeBase(
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
    )


MAX_SHORTHAND_WORDS = 2


def _shorthand(parsed: YamlFile | None, issues: list[KbIssue]) -> dict[str, str]:
    """shorthand.yaml: typed words (one, or a contraction's pieces: "y all" for
    "y'all") to what they stand for."""
    if parsed is None:
        return {}
    out: dict[str, str] = {}
    for key, value in parsed.data["shorthand"].items():
        typed = words(str(key))
        if not 1 <= len(typed) <= MAX_SHORTHAND_WORDS or " ".join(typed) != str(key).casefold():
            issues.append(
                parsed.issue(
                    ("shorthand", key),
                    f"shorthand {key!r} must be one or two lowercase words without punctuation",
                )
            )
            continue
        joined = " ".join(typed)
        if joined in out:
            issues.append(parsed.issue(("shorthand", key), f"shorthand {key!r} is listed twice"))
            continue
        out[joined] = " ".join(words(value))
    return out


def _aboutness(parsed: YamlFile | None, issues: list[KbIssue]) -> Aboutness:
    if parsed is None:
        return Aboutness()
    data = parsed.data
    subjects = tuple(
        Subject(
            s["id"],
            s["label"],
            tuple(s["terms"]),
            tuple(s["pronouns"]),
            bool(s.get("place_bound", False)),
            bool(s.get("region", False)),
        )
        for s in data["subjects"]
    )
    attributes = tuple(
        Attribute(a["id"], a["label"], tuple(a["terms"]), tuple(a.get("replaces", ())))
        for a in data["attributes"]
    )
    groups: tuple[tuple[str, tuple[Subject | Attribute, ...]], ...] = (
        ("subjects", subjects),
        ("attributes", attributes),
    )
    for key, items in groups:
        seen: set[str] = set()
        for j, item in enumerate(items):
            if item.id in seen:
                issues.append(parsed.issue((key, j, "id"), f"{key[:-1]} id {item.id!r} twice"))
            seen.add(item.id)
            for k, term in enumerate(item.terms):
                if not all(words(part) for part in term.split(" + ")):
                    issues.append(
                        parsed.issue((key, j, "terms", k), f"term {term!r} has an empty part")
                    )
    attribute_ids = {a.id for a in attributes}
    for j, attribute in enumerate(attributes):
        for k, replaced in enumerate(attribute.replaces):
            if replaced not in attribute_ids:
                issues.append(
                    parsed.issue(
                        ("attributes", j, "replaces", k), f"attribute {replaced!r} is not defined"
                    )
                )
    return Aboutness(
        subjects=subjects,
        attributes=attributes,
        known_places=tuple(data["places"]["known"]),
        other_places=tuple(data["places"]["other"]),
        now_words=tuple(data["times"]["now"]),
    )


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


def _placeholder_problem(key: str, text: str) -> str | None:
    """Why ``text`` cannot be filled in as message ``key``, or None if it can."""
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        return f"message {key!r}: {exc} (write {{{{ and }}}} for literal braces)"
    expected = kb_schema.MESSAGE_PLACEHOLDERS.get(key, frozenset())
    if used != expected:
        want = ", ".join(f"{{{n}}}" for n in sorted(expected)) or "no placeholders"
        return f"message {key!r} must use {want}; it uses {sorted(used) or 'none'}"
    return None


def _display_name(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _schema_issues(parsed: YamlFile, schema: dict[str, Any]) -> list[KbIssue]:
    import jsonschema  # imported here: a cached knowledge base is never validated again

    validator = jsonschema.Draft202012Validator(schema)
    issues = []
    for error in validator.iter_errors(parsed.data):
        path = tuple(error.absolute_path)
        issues.append(parsed.issue(path, _describe(error, path)))
    return issues


def _describe(error: jsonschema.ValidationError, path: tuple[str | int, ...]) -> str:
    """Turn a schema error into a sentence a curator understands."""
    where = ".".join(str(p) for p in path) or "file"
    kind = error.validator
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
        return f"{where}: missing key {missing!r}"
    if kind == "additionalProperties":
        return f"{where}: {error.message}"
    if kind == "minItems":
        return f"{where}: needs at least {error.validator_value} items"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind in ("minLength", "pattern") and schema.get("pattern") == r"\S":
        return f"{where}: must not be empty"
    if kind == "pattern":
        return f"{where}: {error.instance!r} does not match {error.validator_value}"
    if kind == "type":
        got = type(error.instance).__name__
        return f"{where}: must be of type {error.validator_value}, got {got}"
    return f"{where}: {error.message}"


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
