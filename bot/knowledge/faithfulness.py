"""Faithfulness of answers to the sources they cite: part of ``kb check``.

A confident wrong answer is the worst thing the bot can say, so every answer is held to
the texts of its cited sources (knowledge/sources/):

- every number, percentage, year and date in it occurs in a cited source ("4 July 2011"
  is the source's 04.07.2011; "16.5" its "16.5 percent"; decimal commas and thousands
  separators are read as numbers);
- every capitalised word occurs in a cited source, in its title or publisher, or in
  allowed_names.yaml; a word starting a sentence only when it is no ordinary word of
  the knowledge base;
- an answer with figures says the year it is from (a cited source's year);
- no link, e-mail address or phone number unless a cited source has it (bot messages:
  unless some source has it).

Every language's answers are held to the sources (``check_all``): month names are known
in English, Danish and Swedish; words are Unicode words, so names such as Skåne or
Øresund are read whole; a Danish or Swedish genitive ("MassBios", "Medicon Valleys")
is its name; a translation's names.yaml says which of its words are a source's names
written its own way ("USA" is "US", "Atlanten" the "Atlantic"); in Danish and Swedish
"1.000" is a thousand. Each finding names the offending word and the line of the
answer it is on.

``figures`` and ``names`` are what ``kb check`` compares between an English answer and
its translations (bot/knowledge/stamps.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

from bot.common.errors import KbIssue
from bot.common.languages import Language
from bot.common.scrubbing import EMAIL, phones
from bot.knowledge.base import Entry, KnowledgeBase
from bot.knowledge.model import Source

# Month names in English, Danish and Swedish, to their numbers.
MONTHS: dict[str, int] = {
    name: number
    for names in (
        "january february march april may june july august september october november december",
        "januar februar marts april maj juni juli august september oktober november december",
        "januari februari mars april maj juni juli augusti september oktober november december",
    )
    for number, name in enumerate(names.split(), start=1)
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_PATTERNS = (
    # 4 July 2011, 4. juli 2011
    (re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH})\s+(\d{{4}})\b", re.IGNORECASE), "dmy"),
    # July 4, 2011
    (re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE), "mdy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    # 04.07.2011 (the European order)
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), "dmy"),
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_URL_END = r"[^\s<>\"'.,;:!?)\]]"
LINK = re.compile(
    rf"https?://\S*{_URL_END}|www\.\S*{_URL_END}|\b[\w.-]+\.(?:com|org|dk|se|net|io|eu)\b",
    re.IGNORECASE,
)
# After a number: it is a percentage ("60%", "60 percent", "60 procent").
PERCENT = re.compile(r"\s?(?:%|percent\b|per cent\b|procent\w*|pct\b)", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?:^|[.!?:]\s+|\n\s*)[\"“‘'(]*$")
_OPENING_MARKS = "\"“‘'("


def starts_sentence(text: str, index: int) -> bool:
    """Whether the word at ``index`` of ``text`` opens a sentence: only opening marks
    stand between it and the start of the text, a line break, or a full stop (or ! ? :)
    and a space. ``SENTENCE_END.search(text[:index])``, without scanning all of
    ``text[:index]`` for every word of a long text."""
    j = index
    while j and text[j - 1] in _OPENING_MARKS:
        j -= 1
    if not j:
        return True
    k = j
    while k and text[k - 1].isspace():
        k -= 1
    if "\n" in text[k:j]:
        return True
    return k < j and k > 0 and text[k - 1] in ".!?:"


def check_all(kb: KnowledgeBase) -> list[KbIssue]:
    """``check`` of the knowledge base in every language it is in."""
    return [issue for lang in kb.languages for issue in check(kb.translated(lang))]


def check(kb: KnowledgeBase) -> list[KbIssue]:
    """Every unfaithful word of every answer, as ``file:line`` errors."""
    ordinary = ordinary_words(kb)
    lines = Lines()
    issues: list[KbIssue] = []
    for entry in kb:
        if kb.language != Language.EN and entry is kb.translated(Language.EN).entries[entry.id]:
            continue  # not translated (kb check says so): the English text, checked there
        problems = answer_problems(entry, kb.allowed_names, ordinary, kb.names, kb.language)
        for word, message in problems:
            issues.append(KbIssue(entry.file, lines.find(entry, word), message))
    every_source = tuple(kb.sources.values())
    for key, text in kb.messages.items():
        for found, kind in _contacts(text):
            if not _in_sources(found, every_source):
                issues.append(
                    KbIssue(
                        str(kb.directory / "messages.yaml"),
                        1,
                        f"message {key!r} has the {kind} {found!r}, which no source has",
                    )
                )
    return issues


def answer_problems(
    entry: Entry,
    allowed: frozenset[str] = frozenset(),
    ordinary: frozenset[str] = frozenset(),
    names: Mapping[str, tuple[str, ...]] | None = None,
    lang: Language = Language.EN,
) -> Iterator[tuple[str, str]]:
    """(offending word, message) for each unfaithful part of ``entry``'s answer, an
    answer in ``lang`` whose own spellings of names ``names`` maps to the source's."""
    cited = entry.sources
    ids = ", ".join(s.id for s in cited)
    its = f"its source {ids}" if len(cited) == 1 else f"its sources {ids}"
    answer = entry.answer
    source_dates = {d for s in cited for d in _source_dates(s)}
    rest = answer
    for found, when in _dates(answer):
        if when not in source_dates:
            yield found, f"answer of {entry.id!r} has the date {found!r}, which {its} lacks"
        rest = rest.replace(found, " " * len(found), 1)
    known_numbers = {n for s in cited for n in _source_numbers(s)}
    years = {s.year for s in cited}
    figures = []
    for match in NUMBER.finditer(rest):
        number = _number(match.group(0), lang)
        if number not in known_numbers:
            yield (
                match.group(0),
                f"answer of {entry.id!r} has the number {match.group(0)!r}, which {its} lacks",
            )
        if not _is_year(number):
            figures.append(match.group(0))
    mentions_year = any(y in {_number(m, lang) for m in NUMBER.findall(answer)} for y in years)
    if figures and not mentions_year:
        yield (
            figures[0],
            f"answer of {entry.id!r} has the figure {figures[0]!r} but does not say the "
            f"year it is from ({' or '.join(sorted(years))})",
        )
    known_words = {w for s in cited for w in _source_words(s)}
    date_words = {w.casefold() for found, _ in _dates(answer) for w in WORD.findall(found)}
    for match in WORD.finditer(answer):
        word = match.group(0)
        if not word[0].isupper() or len(word) == 1:
            continue
        bare = re.sub(r"['’]s$", "", word)
        folded = bare.casefold()
        readings = _readings(folded, names or {}, lang)
        if bare in allowed or folded in date_words or any(_known(r, known_words) for r in readings):
            continue
        if starts_sentence(answer, match.start()) and _ordinary(folded, ordinary, lang):
            continue  # "The", "According": an ordinary word starting a sentence
        yield word, f"answer of {entry.id!r} names {word!r}, which {its} does not"
    for found, kind in _contacts(answer):
        if not _in_sources(found, cited):
            yield found, f"answer of {entry.id!r} has the {kind} {found!r}, which {its} lacks"


def _contacts(text: str) -> Iterator[tuple[str, str]]:
    emails = EMAIL.findall(text)
    yield from ((e, "e-mail address") for e in emails)
    without = EMAIL.sub(" ", text)
    yield from ((link, "link") for link in LINK.findall(without))
    yield from ((number, "phone number") for number in phones(without))


def figures(text: str, lang: Language = Language.EN) -> set[str]:
    """The numbers, percentages, years and dates of ``text``, one spelling each: "4 July
    2011" and "4. juli 2011" are 2011-07-04, "16,5 procent" and "16.5 percent" 16.5%."""
    found = {when.isoformat() for _, when in _dates(text)}
    rest = text
    for written, _ in _dates(text):
        rest = rest.replace(written, " " * len(written), 1)
    for match in NUMBER.finditer(rest):
        percent = PERCENT.match(rest, match.end())
        found.add(_number(match.group(0), lang) + ("%" if percent else ""))
    return found


def names(text: str, kb: KnowledgeBase) -> dict[str, str]:
    """The names ``text`` (in ``kb``'s language) gives, casefolded, to the first way it
    writes each: a capitalised word that is no month and no allowed name (a button
    label), within a sentence one the language never writes in lowercase in its
    answers and messages, at the start of a sentence one it capitalises within one."""
    lowercase, capitalised = _words_of(kb)
    found: dict[str, str] = {}
    for match in WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or len(word) == 1 or word in kb.allowed_names:
            continue
        bare = re.sub(r"['’]s$", "", word)
        folded = bare.casefold()
        if folded in MONTHS or _ordinary(folded, lowercase, kb.language):
            continue
        if starts_sentence(text, match.start()) and not (
            _readings(folded, {}, kb.language) & capitalised
        ):
            continue
        found.setdefault(folded, bare)
    return found


def has_name(name: str, text: str, kb: KnowledgeBase) -> bool:
    """Whether ``text`` (in ``kb``'s language) has the name ``name`` (casefolded, as the
    source writes it), in any case or inflection names.yaml and the genitive allow."""
    written = {re.sub(r"['’]s$", "", w.casefold()) for w in WORD.findall(text)}
    written |= {part for w in written for part in re.split(r"[-'’]", w) if part}
    readings = {r for w in written for r in _readings(w, kb.names, kb.language)}
    readings |= {part for r in readings for part in r.split()}
    return name in readings


def readings(folded: str, kb: KnowledgeBase) -> set[str]:
    """What a casefolded word of ``kb``'s language may be in the source."""
    return _readings(folded, kb.names, kb.language)


def _readings(folded: str, names: Mapping[str, tuple[str, ...]], lang: Language) -> set[str]:
    """What a word of ``lang`` may be in the source: itself, the name names.yaml gives it
    (each word of a name of several), and in Danish and Swedish without a genitive -s."""
    out = {folded}
    if lang != Language.EN and len(folded) > 2 and folded.endswith("s"):
        out.add(folded[:-1])
    mapped = {name for r in out for name in names.get(r, ())}
    out |= {m.casefold() for m in mapped}
    out |= {part.casefold() for m in mapped for part in m.split()}
    return out


def _ordinary(folded: str, ordinary: frozenset[str], lang: Language) -> bool:
    if folded in ordinary:
        return True
    return lang != Language.EN and folded.endswith("s") and folded[:-1] in ordinary


def _in_sources(found: str, sources: Iterable[Source]) -> bool:
    return any(found in s.text or found == s.url for s in sources)


def _dates(text: str) -> list[tuple[str, date]]:
    """(as written, the date) for each full date in ``text``."""
    out: list[tuple[str, date]] = []
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.group(0) in found for found, _ in out):
                continue
            parts = match.groups()
            if order == "dmy":
                day, month, year = parts
            elif order == "mdy":
                month, day, year = parts
            else:
                year, month, day = parts
            month_number = MONTHS.get(month.casefold()) if not month.isdigit() else int(month)
            try:
                out.append((match.group(0), date(int(year), month_number or 0, int(day))))
            except ValueError:
                continue
    return out


def _source_dates(source: Source) -> set[date]:
    found = {when for _, when in _dates(source.text)}
    found.add(date.fromisoformat(source.date))
    return found


def _source_numbers(source: Source) -> set[str]:
    text = source.text
    for found, _ in _dates(text):
        text = text.replace(found, " ")
    numbers = {_number(n) for n in NUMBER.findall(text)}
    numbers |= {str(when.year) for when in _source_dates(source)}
    return numbers


def _source_words(source: Source) -> set[str]:
    """The source's words, casefolded, with and without a possessive 's, and the parts of
    hyphenated ones ("Boston-Cambridge" has "Boston")."""
    text = " ".join((source.text, source.title, source.publisher))
    found = {re.sub(r"['’]s$", "", w.casefold()) for w in WORD.findall(text)}
    return found | {part for w in found for part in re.split(r"[-'’]", w) if part}


def _known(folded: str, known_words: set[str]) -> bool:
    if folded in known_words:
        return True
    parts = [p for p in re.split(r"[-'’]", folded) if p]
    return len(parts) > 1 and all(p in known_words for p in parts)


def _number(text: str, lang: Language = Language.EN) -> str:
    """One spelling per number: '16,5' is 16.5, '1,000' and '1.000.000' are whole, and in
    Danish and Swedish '1.000' too."""
    if lang == Language.EN and re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return text.replace(",", "")
    thousands = r"\d{1,3}(?:\.\d{3}){2,}" if lang == Language.EN else r"\d{1,3}(?:\.\d{3})+"
    if re.fullmatch(thousands, text):
        return text.replace(".", "")
    return text.replace(",", ".")


def _is_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and 1800 <= int(number) <= 2100


def ordinary_words(kb: KnowledgeBase) -> frozenset[str]:
    """Words the knowledge base writes in lowercase somewhere: not names."""
    texts = [e.answer for e in kb] + [q for e in kb for q in e.questions]
    texts += list(kb.messages.values())
    return frozenset(w for text in texts for w in WORD.findall(text) if w.islower())


# The words of the last few knowledge bases ``names`` read: kb check reads the names of
# every answer of every language, each against the words of its whole knowledge base.
_WORDS_KEPT = 4
_words_cache: dict[int, tuple[KnowledgeBase, frozenset[str], frozenset[str]]] = {}


def _words_of(kb: KnowledgeBase) -> tuple[frozenset[str], frozenset[str]]:
    """``_lowercase_words(kb)`` and ``_capitalised_words(kb)``, worked out once per kb."""
    kept = _words_cache.get(id(kb))
    if kept is not None and kept[0] is kb:
        return kept[1], kept[2]
    if len(_words_cache) >= _WORDS_KEPT:
        _words_cache.clear()
    lowercase, capitalised = _lowercase_words(kb), _capitalised_words(kb)
    _words_cache[id(kb)] = (kb, lowercase, capitalised)
    return lowercase, capitalised


def _lowercase_words(kb: KnowledgeBase) -> frozenset[str]:
    """Words the knowledge base's answers or messages write in lowercase: a word that
    enquirers type in lowercase ("massbio") may still be a name, one the curators write
    so is none."""
    texts = [e.answer for e in kb] + list(kb.messages.values())
    return frozenset(w for text in texts for w in WORD.findall(text) if w.islower())


def _capitalised_words(kb: KnowledgeBase) -> frozenset[str]:
    """Words, casefolded, that the answers, the messages or the sources capitalise within
    a sentence: names, also where a sentence starts with one."""
    texts = [e.answer for e in kb] + list(kb.messages.values())
    texts += [s.text for s in kb.sources.values()]
    found: set[str] = set()
    for text in texts:
        for match in WORD.finditer(text):
            word = match.group(0)
            if word[0].isupper() and not starts_sentence(text, match.start()):
                found.add(re.sub(r"['’]s$", "", word).casefold())
    return frozenset(found)


class Lines:
    """The line of a word inside an entry's answer block (answers span several lines)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def find(self, entry: Entry, word: str) -> int:
        if entry.file not in self._files:
            try:
                self._files[entry.file] = Path(entry.file).read_text(encoding="utf-8").split("\n")
            except OSError:
                self._files[entry.file] = []
        lines = self._files[entry.file]
        start = entry.answer_line - 1
        if not 0 <= start < len(lines):
            return entry.answer_line
        indent = len(lines[start]) - len(lines[start].lstrip())
        for i in range(start, len(lines)):
            line = lines[i]
            if i > start and line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            if word in line:
                return i + 1
        return entry.answer_line
