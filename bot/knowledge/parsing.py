"""Reading the YAML files of one knowledge folder, English or a translation.

A folder's files are parsed with their lines, checked against their JSON Schemas
(``schema``) and turned into the knowledge base's parts: intents, synonyms, shorthand,
subjects, the reading vocabulary. Every problem is an issue with its file and line;
``base`` and ``translations`` collect them and raise them together.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.common.errors import KbIssue
from bot.common.textnorm import words
from bot.common.yamlfile import YamlFile, read_yaml
from bot.knowledge import schema as kb_schema
from bot.knowledge.model import Aboutness, Attribute, Greeting, Intents, Subject

if TYPE_CHECKING:
    import jsonschema

MAX_SHORTHAND_WORDS = 2


def read_folder(
    directory: Path,
    special: Mapping[str, dict[str, Any]],
    entries_schema: dict[str, Any],
    optional: Collection[str],
    prepare: Callable[[YamlFile], list[KbIssue]] | None = None,
) -> tuple[dict[str, YamlFile], list[KbIssue]]:
    """Every ``*.yaml`` file of ``directory`` that parses and fits its schema (a special
    name's, else ``entries_schema``), and the issues of the others and of a missing one.
    ``prepare`` sees each parsed file before its schema does, and says what is wrong in
    words the schema has not."""
    issues: list[KbIssue] = []
    files: dict[str, YamlFile] = {}
    for path in sorted(directory.glob("*.yaml")):
        parsed, problems = read_yaml(path, display_name(path))
        issues.extend(problems)
        if parsed is None:
            continue
        if prepare is not None and (prepared := prepare(parsed)):
            issues.extend(prepared)
            continue
        schema_problems = schema_issues(parsed, special.get(path.name, entries_schema))
        issues.extend(schema_problems)
        if not schema_problems:
            files[path.name] = parsed
    for name in special:
        if name not in optional and not (directory / name).exists():
            issues.append(KbIssue(display_name(directory / name), 1, "required file is missing"))
    return files, issues


def intents(parsed: YamlFile, messages: Collection[str], issues: list[KbIssue]) -> Intents:
    """intents.yaml; a greeting's reply must be a key of ``messages``."""
    data = parsed.data
    greetings = tuple(
        Greeting(g["name"], tuple(g["phrases"]), g["reply"]) for g in data["greetings"]
    )
    for j, greeting in enumerate(greetings):
        if greeting.reply not in messages:
            issues.append(
                parsed.issue(
                    ("greetings", j, "reply"),
                    f"reply {greeting.reply!r} is not a key in messages.yaml",
                )
            )
    return Intents(
        greetings=greetings,
        filler=frozenset(data["filler"]),
        contact_phrases=tuple(data["contact"]["phrases"]),
        contact_pairs=tuple(
            (tuple(pair["verbs"]), tuple(pair["targets"]))
            for pair in data["contact"].get("pairs", [])
        ),
        contact_cues=frozenset(data["contact"].get("cues", [])),
        contact_conditionals=frozenset(data["contact"].get("conditionals", [])),
        contact_breaks=frozenset(data["contact"].get("breaks", [])),
    )


def synonyms(parsed: YamlFile, issues: list[KbIssue]) -> tuple[tuple[str, ...], ...]:
    """synonyms.yaml; a term may be in one group only."""
    groups = tuple(tuple(g) for g in parsed.data["synonyms"])
    seen_terms: dict[str, int] = {}
    for j, group in enumerate(groups):
        for k, term in enumerate(group):
            key = " ".join(term.casefold().split())
            if key in seen_terms:
                issues.append(
                    parsed.issue(
                        ("synonyms", j, k),
                        f"term {term!r} is already in synonym group {seen_terms[key] + 1}",
                    )
                )
            seen_terms[key] = j
    return groups


def shorthand(parsed: YamlFile | None, issues: list[KbIssue]) -> dict[str, str]:
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


def reading(parsed: YamlFile | None) -> dict[str, tuple[str, ...]]:
    """reading.yaml: named lists of reading vocabulary; empty without the file."""
    if parsed is None:
        return {}
    return {str(name): tuple(items) for name, items in parsed.data["reading"].items()}


def aboutness(parsed: YamlFile | None, issues: list[KbIssue]) -> Aboutness:
    """subjects.yaml of the English knowledge base."""
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
        Attribute(
            a["id"],
            a["label"],
            tuple(a["terms"]),
            tuple(a.get("replaces", ())),
            bool(a.get("of_people", False)),
        )
        for a in data["attributes"]
    )
    check_subject_terms(parsed, subjects, attributes, issues)
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
        from_other_places=tuple(data["places"].get("from_other", {}).items()),
        now_words=tuple(data["times"]["now"]),
        future_words=tuple(data["times"].get("future", ())),
        **sectors(data),
    )


def sectors(data: dict[str, Any]) -> dict[str, Any]:
    """The ``sectors`` of a subjects.yaml (optional) as ``Aboutness`` fields."""
    found = data.get("sectors") or {}
    return {
        "known_sectors": tuple(found.get("known", ())),
        "other_sectors": tuple(
            (str(label), tuple(terms)) for label, terms in (found.get("other") or {}).items()
        ),
    }


def check_subject_terms(
    parsed: YamlFile,
    subjects: tuple[Subject, ...],
    attributes: tuple[Attribute, ...],
    issues: list[KbIssue],
) -> None:
    """Ids appear once; every part of a term ("a + b") has a word."""
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


def placeholder_issues(parsed: YamlFile, messages: Mapping[str, str]) -> list[KbIssue]:
    """Each message of ``messages`` (read from ``parsed``) that cannot be filled in."""
    return [
        parsed.issue(("messages", key), problem)
        for key, text in messages.items()
        if (problem := placeholder_problem(key, text))
    ]


def placeholder_problem(key: str, text: str) -> str | None:
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


def display_name(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def schema_issues(parsed: YamlFile, schema: dict[str, Any]) -> list[KbIssue]:
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
