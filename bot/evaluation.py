"""Evaluation sets: YAML lists of ``{ask, expect, contains}`` cases scored against the core."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.answering import Kind, Reply
from bot.errors import KnowledgeError
from bot.yamlfile import read_yaml

EXPECTABLE = frozenset({Kind.ANSWER, Kind.FALLBACK, Kind.CONTACT, Kind.GREETING})


@dataclass(frozen=True)
class Case:
    ask: str
    expect: Kind
    contains: tuple[str, ...] = ()
    line: int = 0


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
        }


@dataclass
class Report:
    total: int = 0
    passed: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def summary(self) -> str:
        return f"accuracy: {self.accuracy:.3f} ({self.passed}/{self.total})"

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "passed": self.passed,
            "accuracy": round(self.accuracy, 4),
            "failures": [f.as_dict() for f in self.failures],
        }


def load_cases(path: Path | str) -> list[Case]:
    """Read an eval file; problems raise ``KnowledgeError`` with file:line issues."""
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
        cases.append(Case(raw["ask"], expect, tuple(contains), parsed.line_of(where)))
    if issues:
        raise KnowledgeError(issues)
    return cases


def passes(case: Case, reply: Reply) -> bool:
    if reply.kind != case.expect:
        return False
    if case.expect is Kind.ANSWER:
        text = reply.text.casefold()
        return all(c.casefold() in text for c in case.contains)
    return True


def evaluate(cases: Sequence[Case], ask: Callable[[str], Reply]) -> Report:
    report = Report()
    for case in cases:
        reply = ask(case.ask)
        report.total += 1
        if passes(case, reply):
            report.passed += 1
        else:
            report.failures.append(Failure(case, reply))
    return report
