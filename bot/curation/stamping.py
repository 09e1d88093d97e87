"""``kb check --stamp``: record in each translation the stamp of the English it translates.

A curator who has brought a translation up to date (or checked a new one) runs
``kb check --stamp``: every translated text whose stamp is missing or stale gets the
stamp of its English text (bot/knowledge/stamps.py), written into the translation's
file beside it: ``stamp:`` as the first key of a translated entry, topic, subject or
attribute, and a ``stamps:`` block at the end of messages.yaml, a line per message. The
files are edited as text, so comments and layout stay as the curator wrote them, and a
diff shows one line per stamp.

A translated answer (or message) whose figures or names differ from the English, or
that is not faithful to its sources, is not stamped: it is not a translation of the
English yet. The edited files are loaded again; if they do not load, they are restored
and ``CurationError`` says why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.common.errors import CurationError, KnowledgeError
from bot.common.languages import Language
from bot.common.yamlfile import YamlFile, parse_yaml
from bot.knowledge import faithfulness, stamps
from bot.knowledge.base import KnowledgeBase, Translation, load_knowledge
from bot.knowledge.model import Entry

STAMPS_COMMENT = (
    "# kb check --stamp writes these: each translated message's stamp of the English\n"
    "# message it translates.\n"
)


@dataclass(frozen=True)
class Stamped:
    translation: Translation
    stamp: str


@dataclass(frozen=True)
class StampReport:
    stamped: tuple[Stamped, ...]
    # Stale or unstamped, but their figures or names differ: not stamped.
    refused: tuple[Translation, ...]


def stamp_translations(kb: KnowledgeBase) -> StampReport:
    """Stamp every translation of ``kb`` whose stamp is missing or stale and that says
    what its English says; raise ``CurationError`` when the files cannot be written."""
    english = kb.translated(Language.EN)
    todo: dict[str, list[Stamped]] = defaultdict(list)
    refused: list[Translation] = []
    for lang in english.languages:
        translated = english.translated(lang)
        for translation in stamps.stale(translated):
            if _differs(english, translated, translation):
                refused.append(translation)
                continue
            new = Stamped(translation, stamps.stamp(translation.english))
            todo[translation.file].append(new)
    before = {name: Path(name).read_text(encoding="utf-8") for name in todo}
    after = {name: _stamped_text(name, before[name], todo[name]) for name in todo}
    try:
        for name, text in after.items():
            Path(name).write_text(text, encoding="utf-8")
        reloaded = load_knowledge(english.directory)
    except (OSError, KnowledgeError) as exc:
        for name, text in before.items():
            Path(name).write_text(text, encoding="utf-8")
        raise CurationError(f"could not write the stamps ({exc}); nothing was changed") from exc
    left = {_key(t) for lang in reloaded.languages for t in stamps.stale(reloaded.translated(lang))}
    lost = [s for items in todo.values() for s in items if _key(s.translation) in left]
    if lost:  # a layout the writer did not understand: never leave it half done
        for name, text in before.items():
            Path(name).write_text(text, encoding="utf-8")
        where = ", ".join(f"{s.translation.file}:{s.translation.line}" for s in lost)
        raise CurationError(f"could not write the stamps at {where}; nothing was changed")
    stamped = tuple(s for name in sorted(todo) for s in todo[name])
    return StampReport(stamped, tuple(refused))


def _key(translation: Translation) -> tuple[str, str, str]:
    return (translation.file, translation.kind, translation.key)


def _differs(english: KnowledgeBase, translated: KnowledgeBase, translation: Translation) -> bool:
    """Whether ``translation`` (of ``translated``) says other figures or names than its
    English, or (an answer) is not faithful to its sources."""
    lang = translated.language
    if translation.kind == "message":
        ours = faithfulness.figures(translation.text or "", lang)
        return ours != faithfulness.figures(translation.english)
    if translation.kind != "entry":
        return False
    entry: Entry = translated.entries[translation.key]
    if stamps.entry_differences(english.entries[entry.id], entry, english, translated):
        return True
    problems = faithfulness.answer_problems(
        entry,
        translated.allowed_names,
        faithfulness.ordinary_words(translated),
        translated.names,
        lang,
    )
    return any(True for _ in problems)


def _stamped_text(name: str, text: str, items: list[Stamped]) -> str:
    parsed, issues = parse_yaml(text, name)
    if parsed is None or issues:
        raise CurationError(f"{name} does not parse; fix it, then stamp")
    lines = text.split("\n")
    edits: dict[int, str] = {}  # 0-based line -> its new text
    inserts: dict[int, list[str]] = defaultdict(list)  # lines to put before a line
    messages: dict[str, str] = {}
    for item in items:
        translation = item.translation
        if translation.kind == "message":
            messages[translation.key] = item.stamp
            continue
        _stamp_mapping(parsed, lines, translation.path, item.stamp, edits, inserts)
    for index, line in edits.items():
        lines[index] = line
    out: list[str] = []
    for index, line in enumerate(lines):
        out.extend(inserts.get(index, ()))
        out.append(line)
    text = "\n".join(out)
    if messages:
        text = _stamps_block(parsed, text, messages)
    return text


def _stamp_mapping(
    parsed: YamlFile,
    lines: list[str],
    path: tuple[str | int, ...],
    value: str,
    edits: dict[int, str],
    inserts: dict[int, list[str]],
) -> None:
    """Set ``stamp:`` in the block mapping at ``path``: replace its value, or make it the
    mapping's first key."""
    if (*path, "stamp") in parsed.lines:
        index = parsed.lines[(*path, "stamp")] - 1
        edits[index] = re.sub(r"(stamp:\s*)\S+", rf'\g<1>"{value}"', lines[index], count=1)
        return
    children = [
        line
        for key, line in parsed.lines.items()
        if len(key) == len(path) + 1 and key[: len(path)] == path
    ]
    first = min(children) - 1
    line = lines[first]
    indent = len(line) - len(line.lstrip())
    if line.lstrip().startswith("- "):  # "- id: other": the key after the dash
        indent += 2 + len(line.lstrip()[2:]) - len(line.lstrip()[2:].lstrip())
        inserts[first + 1].append(" " * indent + f'stamp: "{value}"')
    else:
        inserts[first].append(" " * indent + f'stamp: "{value}"')


def _stamps_block(parsed: YamlFile, text: str, new: dict[str, str]) -> str:
    """``text`` with its ``stamps:`` block (a line per message, in the order of the
    messages) holding the old stamps updated with ``new``."""
    old = dict(parsed.data.get("stamps") or {})
    old.update(new)
    order = [key for key in parsed.data["messages"] if key in old]
    # Quoted: YAML reads a stamp of digits as a number ("12345678", "1e100000").
    block = "stamps:\n" + "".join(f'  {key}: "{old[key]}"\n' for key in order)
    lines = text.split("\n")
    if ("stamps",) in parsed.lines:
        start = parsed.lines[("stamps",)] - 1
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        # Comments and blank lines after the block belong to what follows it.
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        return "\n".join([*lines[:start], *block.rstrip("\n").split("\n"), *lines[end:]])
    return text.rstrip("\n") + "\n\n" + STAMPS_COMMENT + block
