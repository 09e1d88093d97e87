"""Recognising greetings and requests for a person, from phrases in knowledge/intents.yaml.

A message is a greeting only when it consists entirely of greeting phrases and filler
words ("hi there", "thanks a lot"); "hi, when was MassBio founded?" is a question.
A message asks for a person when it contains one of the contact phrases as whole
words, unstemmed: "contact" must not fire on "contacts across the Atlantic", which
is the ambassador's task, not a request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.common.textnorm import ENGLISH, Analyzer
from bot.knowledge.model import Greeting, Intents

PAIR_WINDOW = 8  # words after a contact verb in which its person must stand

# A letter typed three times or more: "yooo", "hiii", "byeee", "thanksss".
_STRETCHED = re.compile(r"(\w)\1{2,}")


class IntentMatcher:
    """Greetings and requests for a person of one language; ``analyzer`` reads its
    phrases as it reads messages (folding the letters its writers may leave out)."""

    def __init__(self, intents: Intents, analyzer: Analyzer = ENGLISH) -> None:
        words = analyzer.words
        self._filler = frozenset(w for f in intents.filler for w in words(f))
        self._greetings: dict[tuple[str, ...], Greeting] = {}
        for greeting in intents.greetings:
            for phrase in greeting.phrases:
                self._greetings.setdefault(tuple(words(phrase)), greeting)
        self._greeting_words = frozenset(w for key in self._greetings for w in key)
        # Candidates for typo correction: one edit is only allowed from five letters on.
        self._long_greeting_words = sorted(w for w in self._greeting_words if len(w) >= 5)
        # Each long greeting word, and it with one letter left out, to the word's place
        # in that list: a word one edit from it has itself or one of its own such forms
        # here (a symmetric-delete index), so a check looks at a few candidates only.
        self._one_letter_less: dict[str, list[int]] = {}
        for n, word in enumerate(self._long_greeting_words):
            for form in _with_one_letter_less(word):
                self._one_letter_less.setdefault(form, []).append(n)
        self._typo_cache: dict[str, str] = {}
        self._max_greeting = max((len(k) for k in self._greetings), default=1)
        self._contact = [key for p in intents.contact_phrases if (key := tuple(words(p)))]
        # Contact phrases by first word, longest first: a message is scanned once.
        self._contact_by_first = _by_first(sorted(set(self._contact), key=lambda p: (-len(p), p)))
        self.help = next((g for g in intents.greetings if g.name == "help"), None)
        self._cues = frozenset(w for c in intents.contact_cues for w in words(c))
        self._conditionals = _by_first(tuple(words(p)) for p in intents.contact_conditionals)
        self._longest_conditional = max(
            (len(c) for cs in self._conditionals.values() for c in cs), default=0
        )
        self._breaks = frozenset(w for c in intents.contact_breaks for w in words(c))
        # Contact pairs by the first word of their verbs: a message is scanned once.
        # Its targets by their first word too: a message is scanned once.
        self._pairs_by_first: dict[
            str, list[tuple[tuple[str, ...], dict[str, list[tuple[str, ...]]]]]
        ] = {}
        for verbs, targets in intents.contact_pairs:
            person = _by_first(tuple(words(target)) for target in targets)
            for verb in verbs:
                if key := tuple(words(verb)):
                    self._pairs_by_first.setdefault(key[0], []).append((key, person))

    @property
    def vocabulary(self) -> set[str]:
        """Words the intents know, for spelling correction."""
        out = set(self._greeting_words) | set(self._filler)
        for phrase in self._contact:
            out.update(phrase)
        return out

    def lists(self, ws: Sequence[str]) -> bool:
        """Whether ``ws`` is one of the greetings as listed, word for word, letters typed
        over and over aside ("tjaaa")."""
        return tuple(map(self._unstretched, ws)) in self._greetings

    def greeting(self, ws: Sequence[str]) -> Greeting | None:
        """The greeting ``ws`` consists of, or None. Empty input counts as asking for help."""
        if not ws:
            return self.help
        known, filler = self._greeting_words, self._filler
        if any(
            len(w) < 5 and w not in known and w not in filler and self._unstretched(w) == w
            for w in ws
        ):
            return None  # a short word that is neither greeting nor filler: a question
        ws = [self._unstretched(w) for w in ws]
        ws = [self._fix_greeting_typo(w) for w in ws]
        found: Greeting | None = None
        i = 0
        while i < len(ws):
            greeting, n = self._greeting_at(ws, i)
            if greeting is not None:
                # "thx, bye!" is a goodbye: the last greeting wins, help aside.
                found = greeting if found is None or greeting is not self.help else found
                i += n
            else:
                if ws[i] not in self._filler:
                    return None
                i += 1
        return found

    def greeting_in(self, ws: Sequence[str], at_start: bool = False) -> Greeting | None:
        """The last greeting phrase in ``ws`` ("Good morning from Aarhus!", "Thank you for
        your help. Goodbye for now."), or only one opening it, for messages that ask
        nothing."""
        found: Greeting | None = None
        i = 0
        while i < len(ws):
            greeting, n = self._greeting_at(ws, i, skip=self.help)
            if greeting is not None:
                found = greeting
                i += n
            else:
                if at_start and found is None and ws[i] not in self._filler:
                    return None
                i += 1
        return found

    def _greeting_at(
        self, ws: Sequence[str], i: int, skip: Greeting | None = None
    ) -> tuple[Greeting | None, int]:
        """The longest greeting phrase (other than ``skip``) starting at ``ws[i]``, and
        its length in words."""
        for n in range(min(self._max_greeting, len(ws) - i), 0, -1):
            greeting = self._greetings.get(tuple(ws[i : i + n]))
            if greeting is not None and greeting is not skip:
                return greeting, n
        return None, 0

    def contact_request(self, ws: Sequence[str]) -> list[str] | None:
        """If ``ws`` asks for a person, the words left once the contact phrases are
        removed (what the request is about); otherwise None."""
        if self._contact_by_first.keys().isdisjoint(ws):
            return None  # most messages hold no contact phrase's first word
        rest = list(ws)
        found = False
        i = 0
        while i < len(rest):
            for phrase in self._contact_by_first.get(rest[i], ()):
                if tuple(rest[i : i + len(phrase)]) == phrase:
                    if self._after_conditional(rest, i):
                        # "Did he talk with somebody in the region before?": his
                        # talking, not the writer's wish to.
                        continue
                    del rest[i : i + len(phrase)]
                    found = True
                    break
            else:
                i += 1
        return rest if found else None

    def _after_conditional(self, ws: Sequence[str], i: int) -> bool:
        """Whether one of the conditionals ends just before ``ws[i]``."""
        return any(
            tuple(ws[j:i]) == c
            for j in range(max(0, i - self._longest_conditional), i)
            for c in self._conditionals.get(ws[j], ())
        )

    def cued(self, ws: Sequence[str]) -> bool:
        """Whether the words hold a word of asking ("would", "like", "need", "please")."""
        return not self._cues.isdisjoint(ws)

    def pair_in(self, ws: Sequence[str]) -> bool:
        """A contact verb with a person shortly after it ("a short video call with
        Torsten Jepsen", "someone from your team to ring me"). Give it one sentence:
        "... his appointment. Could you ..." is no request."""
        cues, conditionals, breaks = self._cues, self._conditionals, self._breaks
        if self._pairs_by_first.keys().isdisjoint(ws):
            return False  # no contact verb at all
        # A cue word came before: "the notes call Torsten an envoy" asks not. A verb that
        # opens the part is an imperative and asks ("ring mig lige op når i har tid").
        asked = True
        for i, w in enumerate(ws):
            if any(tuple(ws[i : i + len(c)]) == c for c in conditionals.get(w, ())):
                return False  # "... back in an hour if you need to reach me"
            if asked:
                for verb, targets in self._pairs_by_first.get(w, ()):
                    if tuple(ws[i : i + len(verb)]) != verb:
                        continue
                    after = ws[i + len(verb) : i + len(verb) + PAIR_WINDOW]
                    stop = next((k for k, a in enumerate(after) if a in breaks), len(after))
                    after = after[:stop]
                    for j, first in enumerate(after):
                        if any(after[j : j + len(t)] == list(t) for t in targets.get(first, ())):
                            return True
            asked = (asked and i > 0) or not cues or w in cues
        return False

    def _unstretched(self, word: str) -> str:
        """``word`` with a letter typed three times or more once ("yooo": "yo") or twice
        ("goood": "good"), where that makes a greeting or filler word."""
        if _STRETCHED.search(word) is None:
            return word
        for once in (_STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word)):
            if once in self._greeting_words or once in self._filler:
                return once
        return word

    def _fix_greeting_typo(self, word: str) -> str:
        # "helllo", "thnaks": one edit, from five letters on; shorter words are too
        # often other words ("join" is one edit from "moin").
        if len(word) < 5 or word in self._greeting_words or word in self._filler:
            return word
        fixed = self._typo_cache.get(word)
        if fixed is None:
            index = self._one_letter_less
            near = sorted({n for form in _with_one_letter_less(word) for n in index.get(form, ())})
            greeting_words = self._long_greeting_words
            fixed = next(
                (greeting_words[n] for n in near if one_edit_apart(word, greeting_words[n])), word
            )
            if len(self._typo_cache) < 10_000:
                self._typo_cache[word] = fixed
        return fixed


def _by_first(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """The phrases (as words) by their first word, in the order given; empty ones left
    out: a message is scanned once."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            out.setdefault(phrase[0], []).append(phrase)
    return out


def _with_one_letter_less(word: str) -> set[str]:
    """``word`` and each way of leaving one of its letters out."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one edit apart: one letter changed, added or left
    out, or two neighbours swapped ("helo", "thnaks"), the optimal string alignment
    distance 1. A few comparisons in Python: the greeting check runs on every message,
    and importing rapidfuzz for it would cost every start more than all its calls.
    (The first of the greeting words one edit away, the first rapidfuzz's
    ``extractOne`` with the OSA distance and a cutoff of 1 would give.)"""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1 :]
