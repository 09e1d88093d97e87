"""Evaluation sets: YAML lists of cases scored against the answering core.

A case is ``{ask, expect, contains, context, tag, voice, lang}``: ``contains`` lists
substrings an answer must hold (one fact from each part of a several-question case);
``context`` lists earlier messages of the same chat, asked first, so that ``ask`` is a
follow-up; ``tag`` and ``voice`` describe the case for reports; ``lang`` (en, da, sv) is
the language the reply must be in, else the language detected in the question. A reply
in another language fails the case, whatever it says.

A reply is **confidently wrong** when it is an answer and the case fails: an answer
where a fallback (or a person, or a greeting) was right, or one missing an expected
fact. That is the worst thing the bot can do, and it is counted on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.answering.answerer import Kind, Reply
from bot.common.errors import KnowledgeError
from bot.common.languages import Language
from bot.understanding.followups import Context

EXPECTABLE_ORDER = (Kind.ANSWER, Kind.FALLBACK, Kind.CONTACT, Kind.GREETING)
EXPECTABLE = frozenset(EXPECTABLE_ORDER)


@dataclass(frozen=True)
class Case:
    ask: str
    expect: Kind
    contains: tuple[str, ...] = ()
    line: int = 0
    context: tuple[str, ...] = ()
    tag: str = ""
    lang: Language | None = None  # the language the reply must be in


@dataclass(frozen=True)
class Failure:
    case: Case
    reply: Reply

    def as_dict(self) -> dict[str, str]:
        return {
            "ask": self.case.ask,
            "expect": self.case.expect.value,
            "kind": self.reply.kind.value,
            "reply": self.reply.text,
            "lang": self.reply.lang.value,
        }


@dataclass
class Report:
    total: int = 0
    passed: int = 0
    failures: list[Failure] = field(default_factory=list)
    confidently_wrong: int = 0
    # (expected kind, got kind) -> count, over every case
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    # tag -> [passed, total]
    by_tag: dict[str, list[int]] = field(default_factory=dict)
    # Replies in the language the case expects (``Case.lang`` or the detected one), of
    # the cases whose language is known.
    in_language: int = 0
    with_language: int = 0

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def confidently_wrong_share(self) -> float:
        return self.confidently_wrong / self.total if self.total else 0.0

    @property
    def in_language_share(self) -> float:
        return self.in_language / self.with_language if self.with_language else 1.0

    def language_summary(self) -> str:
        return (
            f"in the question's language: {self.in_language_share:.3f} "
            f"({self.in_language}/{self.with_language})"
        )

    def summary(self) -> str:
        return f"accuracy: {self.accuracy:.3f} ({self.passed}/{self.total})"

    def wrong_summary(self) -> str:
        return (
            f"confidently wrong: {self.confidently_wrong_share:.3f} "
            f"({self.confidently_wrong}/{self.total})"
        )

    def table(self) -> str:
        """The confusion table of expected against got kinds, and accuracy per tag."""
        kinds = [k.value for k in (*EXPECTABLE_ORDER, Kind.AMBIGUOUS)]
        width = max(len(k) for k in kinds) + 2
        lines = ["expected \\ got".ljust(width + 6) + "".join(k.rjust(width) for k in kinds)]
        for expected in (k.value for k in EXPECTABLE_ORDER):
            row = [str(self.confusion[(expected, got)]) for got in kinds]
            lines.append(expected.ljust(width + 6) + "".join(c.rjust(width) for c in row))
        if self.by_tag:
            lines.append("")
            for tag, (passed, total) in sorted(self.by_tag.items()):
                lines.append(f"{tag:<12} {passed / total:.3f} ({passed}/{total})")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "passed": self.passed,
            "accuracy": round(self.accuracy, 4),
            "confidently_wrong": self.confidently_wrong,
            "in_language": self.in_language,
            "with_language": self.with_language,
            "confusion": {f"{e}->{g}": n for (e, g), n in sorted(self.confusion.items())},
            "failures": [f.as_dict() for f in self.failures],
        }


def load_cases(path: Path | str) -> list[Case]:
    """Read an eval file; problems raise ``KnowledgeError`` with file:line issues."""
    # Imported here: ``ask --context`` (``ask_in_context``) reads no YAML.
    from bot.common.yamlfile import read_yaml

    parsed, issues = read_yaml(Path(path))
    if parsed is None:
        raise KnowledgeError(issues)
    if not isinstance(parsed.data, list):
        raise KnowledgeError([parsed.issue((), "an eval file is a list of cases")])
    cases: list[Case] = []
    for i, raw in enumerate(parsed.data):
        where = (i,)
        if not isinstance(raw, dict) or not isinstance(raw.get("ask"), str):
            issues.append(parsed.issue(where, "a case needs 'ask' (text)"))
            continue
        try:
            expect = Kind(str(raw.get("expect")))
        except ValueError:
            expect = Kind.AMBIGUOUS
        if expect not in EXPECTABLE:
            issues.append(
                parsed.issue((i, "expect"), "expect must be answer, fallback, contact or greeting")
            )
            continue
        contains = raw.get("contains") or []
        if not isinstance(contains, list) or not all(isinstance(c, str) for c in contains):
            issues.append(parsed.issue((i, "contains"), "contains must be a list of strings"))
            continue
        context = raw.get("context") or []
        if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
            issues.append(parsed.issue((i, "context"), "context must be a list of messages"))
            continue
        lang = None
        if raw.get("lang") is not None:
            try:
                lang = Language(str(raw["lang"]))
            except ValueError:
                codes = ", ".join(lang.value for lang in Language)
                issues.append(parsed.issue((i, "lang"), f"lang must be one of {codes}"))
                continue
        cases.append(
            Case(
                raw["ask"],
                expect,
                tuple(contains),
                parsed.line_of(where),
                tuple(context),
                str(raw.get("tag") or ""),
                lang,
            )
        )
    if issues:
        raise KnowledgeError(issues)
    return cases


def passes(case: Case, reply: Reply, lang: Language | None = None) -> bool:
    """Whether ``reply`` is what ``case`` expects, in ``lang`` when that is given."""
    if lang is not None and reply.lang is not lang:
        return False
    if reply.kind != case.expect:
        return False
    if case.expect is Kind.ANSWER:
        text = _decimals(reply.text.casefold())
        return all(_decimals(c.casefold()) in text for c in case.contains)
    return True


_DECIMAL = re.compile(r"(?<=\d),(?=\d)")


def _decimals(text: str) -> str:
    """``text`` with every decimal comma a point: Danish and Swedish replies write 16,5
    where the article (and a case written from it) has 16.5, the same fact."""
    return _DECIMAL.sub(".", text)


Ask = Callable[[str, Context | None], Reply]
Detect = Callable[[str], Language]


def ask_in_context(ask: Ask, messages: Sequence[str]) -> Reply:
    """Ask ``messages`` in order in one conversation; the reply to the last one. The
    context is the last answer so far, as the dialogue keeps it."""
    context: Context | None = None
    reply: Reply | None = None
    for message in messages:
        reply = ask(message, context)
        context = reply.context or context
    assert reply is not None
    return reply


def evaluate(cases: Sequence[Case], ask: Ask, detect: Detect | None = None) -> Report:
    """Score ``cases``; ``detect`` gives the language a case without ``lang`` expects
    (without it, only cases with ``lang`` are held to a language)."""
    report = Report()
    for case in cases:
        reply = ask_in_context(ask, [*case.context, case.ask])
        report.total += 1
        report.confusion[(case.expect.value, reply.kind.value)] += 1
        tally = report.by_tag.setdefault(case.tag, [0, 0]) if case.tag else [0, 0]
        tally[1] += 1
        lang = case.lang or (detect(case.ask) if detect is not None else None)
        if lang is not None:
            report.with_language += 1
            report.in_language += reply.lang is lang
        if passes(case, reply, lang):
            report.passed += 1
            tally[0] += 1
        else:
            report.failures.append(Failure(case, reply))
            if reply.kind is Kind.ANSWER:
                report.confidently_wrong += 1
    return report
