"""Translations kept in step with the English knowledge base: part of ``kb check``.

Every translated text records the ``stamp`` of the English text it translates: the first
8 hex digits of the SHA-256 of that text with its whitespace collapsed (an entry: of its
answer; a message, a topic's, a subject's or an attribute's label: of that text), which
``kb check --stamp`` writes (bot/curation/stamping.py) once a curator has checked the
translation. Errors, each at the translation's file and line:

- a missing translation (an entry, message, topic, subject or attribute the English
  files have and the translation lacks); of an English entry that is still a draft (it
  has a ``todo``), a warning: it is translated once it is finished;
- a translation without a stamp, or whose stamp is not the English text's: the English
  changed since (stale);
- a translated answer whose numbers, percentages, years, dates or names differ from the
  English answer's, and a translated message whose figures do.
"""

from __future__ import annotations

import hashlib

from bot.common.errors import KbIssue
from bot.common.languages import LANGUAGE_NAMES, Language
from bot.knowledge import faithfulness
from bot.knowledge.model import Entry, KnowledgeBase, Translation


def stamp(text: str) -> str:
    """The stamp of an English text: re-wrapping it changes nothing, any edit does."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def check(kb: KnowledgeBase) -> tuple[list[KbIssue], list[KbIssue]]:
    """(errors, warnings): every translation of ``kb`` that is missing, stale or
    unfaithful to the English."""
    english = kb.translated(Language.EN)
    errors: list[KbIssue] = []
    warnings: list[KbIssue] = []
    for lang in english.languages:
        if lang == Language.EN:
            continue
        translated = english.translated(lang)
        for translation in translated.translations:
            problem = _stamp_problem(translation, LANGUAGE_NAMES[lang])
            if problem is None:
                continue
            draft = translation.kind == "entry" and english.entries[translation.key].todo
            if draft and translation.text is None:
                problem += ": it is a draft, translate it once it is finished"
                warnings.append(KbIssue(translation.file, translation.line, problem))
            else:
                errors.append(KbIssue(translation.file, translation.line, problem))
        errors.extend(_figures_and_names(english, translated))
    return errors, warnings


def stale(kb: KnowledgeBase) -> list[Translation]:
    """The translations of ``kb``, one language (none in English), whose stamp is missing
    or not the English text's: what ``kb check --stamp`` stamps."""
    return [t for t in kb.translations if t.text is not None and t.stamp != stamp(t.english)]


def _stamp_problem(translation: Translation, language: str) -> str | None:
    where = f"{translation.english_file}:{translation.english_line}"
    what = translation.what
    if translation.text is None:
        return f"{what} has no {language} translation (the English is at {where})"
    if translation.stamp is None:
        return (
            f"{what} has no stamp: check the translation against the English at {where}, "
            "then run kb check --stamp"
        )
    if translation.stamp != stamp(translation.english):
        text = "answer" if translation.kind == "entry" else "text"
        return (
            f"{what} is stale: its English {text} ({where}) changed since it was translated; "
            "bring the translation up to date, then run kb check --stamp"
        )
    return None


def _figures_and_names(english: KnowledgeBase, translated: KnowledgeBase) -> list[KbIssue]:
    lang = translated.language
    language = LANGUAGE_NAMES[lang]
    lines = faithfulness.Lines()
    issues: list[KbIssue] = []
    for entry in translated:
        source = english.entries[entry.id]
        if entry is source:
            continue  # not translated: reported as missing
        for word, message in entry_differences(source, entry, english, translated):
            issues.append(KbIssue(entry.file, lines.find(entry, word), message))
    messages = {t.key: t for t in translated.translations if t.kind == "message" and t.text}
    for key, translation in messages.items():
        ours = faithfulness.figures(translation.text or "", lang)
        theirs = faithfulness.figures(translation.english)
        for figure in sorted(ours ^ theirs):
            how = "has" if figure in ours else "lacks"
            whose = ", which the English lacks" if figure in ours else " of the English"
            issues.append(
                KbIssue(
                    translation.file,
                    translation.line,
                    f"message {key!r} ({language}) {how} the figure {figure!r}{whose}",
                )
            )
    return issues


def entry_differences(
    source: Entry, entry: Entry, english: KnowledgeBase, translated: KnowledgeBase
) -> list[tuple[str, str]]:
    """(word to locate, message) for each figure or name in which the translated
    answer ``entry`` differs from the English one, ``source``."""
    language = LANGUAGE_NAMES[translated.language]
    out: list[tuple[str, str]] = []
    ours = faithfulness.figures(entry.answer, translated.language)
    theirs = faithfulness.figures(source.answer)
    what = f"answer of {entry.id!r} ({language})"
    for figure in sorted(theirs - ours):
        out.append(("", f"{what} lacks the figure {figure!r} of the English answer"))
    for figure in sorted(ours - theirs):
        out.append((_written(figure), f"{what} has the figure {figure!r}, which the English lacks"))
    for name, written in sorted(faithfulness.names(source.answer, english).items()):
        if not faithfulness.has_name(name, entry.answer, translated):
            out.append(("", f"{what} lacks the name {written!r} of the English answer"))
    for name, written in sorted(faithfulness.names(entry.answer, translated).items()):
        if not any(
            faithfulness.has_name(reading, source.answer, english)
            for reading in faithfulness.readings(name, translated)
        ):
            out.append((written, f"{what} names {written!r}, which the English answer does not"))
    return out


def _written(figure: str) -> str:
    """A figure as the answer may write it, to find its line: its digits."""
    return figure.rstrip("%").split("-")[0].split(".")[0]
