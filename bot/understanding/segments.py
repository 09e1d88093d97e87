"""Splitting a message into sentences and clauses, and telling which ask something.

"Hello, my name is Sofie and I run a medtech start-up in Aarhus. ... What exactly does
the ambassador do for companies like ours?" has one question and two sentences of
context; "Who is the ambassador and where can I read his interview?" has two
questions. Each part gets a role:

- ``question``: ends with "?", starts with a question word or auxiliary ("who",
  "does", "can"), or asks in other words ("tell me", "I'd like to know");
- ``fragment``: a few keywords ("massbio founded", "ambassador tasks pls");
- ``context``: introductions, background, pleasantries, thanks and sign-offs.

Questions and fragments are answered; context is left out of retrieval so that its
words neither sink nor steer the match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.common.textnorm import words


class Role(StrEnum):
    QUESTION = "question"
    FRAGMENT = "fragment"
    CONTEXT = "context"


@dataclass(frozen=True)
class Part:
    text: str
    role: Role
    label: bool = False  # it ends at a colon: "MassBio: ...", "Two figures needed: ..."
    # The context sentence before a question that points back at it ("how big a share
    # was it?"), tried with the question when it answers something.
    lead: str = ""


QUESTION_STARTS = frozenset(
    "who whos what whats wat when where wheres why how hows which whose whom whether "
    "is are was were do does did can could will would should may might has have had "
    "wondering".split()
)
# Phrases that ask without a question word: "tell me about", "I'd like to know".
REQUEST_MARKERS = tuple(
    tuple(m.split())
    for m in (
        "tell me",
        "tell us",
        "explain",
        "describe",
        "give me",
        "let me know",
        "like to know",
        "want to know",
        "need to know",
        "like to learn",
        "like to understand",
        "i wonder",
        "wondering",
        # "curious about ...", not "my boss got curious" or "a curious reporter"
        "curious about",
        "curious to",
        "curious whether",
        "curious if",
        "curious what",
        "curious how",
        "curious who",
        "curious when",
        "curious where",
        "curious which",
        "interested in",
        "looking for",
        "information about",
        "information on",
        "info about",
        "info on",
        "details on",
        "details about",
        "remind me",
        "can you",
        "could you",
        "would you",
        "do you know",
        "any idea",
        "please share",
        "help me understand",
        "clarify",
        "confirm",
        "what about",
        "how about",
        "my question is",
        "our question is",
        "the question is",
        "grateful to receive",
        "grateful to learn",
        "grateful to know",
        "grateful for information",
        "be obliged",
        "would appreciate",
        "appreciate it if",
        "uncertain whether",
        "unsure whether",
        "not sure whether",
        "not sure if",
        "unclear whether",
        "unclear if",
        "clarification",
        "what i need",
        "what we need",
        "i need to know",
        "request that",  # "I therefore request that a meeting be arranged"
        "i request",
        "we request",
        "we need to know",
    )
)
# Openings of context: greetings, introductions, background, thanks and sign-offs.
CONTEXT_OPENERS = tuple(
    tuple(m.split())
    for m in (
        "hi",
        "hello",
        "hey",
        "dear",
        "good morning",
        "good afternoon",
        "good evening",
        "good day",
        "greetings",
        "thanks",
        "thank you",
        "many thanks",
        "thx",
        "cheers",
        "best",
        "regards",
        "kind regards",
        "best regards",
        "warm regards",
        "sincerely",
        "yours",
        "all the best",
        "my name",
        "i am",
        "i m",
        "im",
        "i work",
        "i run",
        "i lead",
        "i head",
        "i manage",
        "i represent",
        "i recently",
        "i was",
        "i ve",
        "we ve",
        "i have",
        "i read",
        "i saw",
        "i heard",
        "i came",
        "i stumbled",
        "i found",
        "i retired",
        "i spent",
        "i study",
        "i m writing",
        "i write",
        "we are",
        "we re",
        "we have",
        "we run",
        "we develop",
        "we plan",
        "we re planning",
        "we are planning",
        "we make",
        "we work",
        "our",
        "a colleague",
        "my colleague",
        "my company",
        "my team",
        "my background",
        "my thesis",
        "my supervisor",
        "as a",
        "as part",
        "sorry",
        "apologies",
        "hope",
        "i hope",
        "looking forward",
        "have a",
        "excuse",
        "for context",
        "other context",
        "context",
        "background",
        "some background",
        "quick intro",
        "quick one",
        "quick ones",
        "quick qs",
        "quick question",
        "one more thing",
        "two questions",
        "three questions",
        "a few questions",
        "a couple of questions",
        "ok",
        "okay",
        "fine",
        "alright",
        "all right",
        "got it",
        "i see",
        "understood",
        "noted",
        "great",
        "lovely",
        "perfect",
        "brilliant",
        "wonderful",
        "excellent",
        "nice",
        "cool",
        "interesting",
        "fantastic",
        "two points",
        "two things",
        "a few things",
        "quick questions",
        "sounds good",
        "appreciate",
        "much appreciated",
        "english is not",
        "in advance",
        "respectfully",
        "yours faithfully",
        "yours sincerely",
        "faithfully",
        "with thanks",
        "with best",
        "with kind",
        "with warm",
        "with many",
        "best wishes",
        "warm wishes",
        "good luck",
    )
)
LEADING_FILLER = frozenset("and also plus so but then ok okay well oh please pls kindly".split())
# Requests in the imperative: "Please state the number of ...", "Describe ...".
IMPERATIVES = frozenset(
    "provide give tell confirm state list explain describe share send name summarise "
    "summarize outline clarify inform advise indicate specify need want "
    # "ring me when u get a sec, 617-...": asking to be contacted
    "ring call phone email contact text".split()
)
# "need to know", "want to find out" ask; "need to put it in the budget" does not.
WANTING = frozenset(("need", "want"))
WANTED_TO = frozenset("know find learn understand get see check confirm hear ask read".split())
# A request turned down: "I know roughly what they do, no need to explain."
DECLINED = (("no", "need"), ("don", "t", "need"), ("dont", "need"), ("not", "necessary"))
DECLINED_LAST = frozenset(phrase[-1] for phrase in DECLINED)  # one of them is in every one
# Question words that open a relative clause after a comma ("..., which is great") and
# the words after which a question word asks directly ("what is", "how many"), not
# inside a statement ("... and how they spend their money.").
RELATIVE_STARTS = frozenset("which who whose whom".split())
WH_STARTS = frozenset("what whats wat when where wheres why how hows whether".split())
DIRECT_AFTER_WH = frozenset(
    "is are was were do does did can could will would should has have had s re "
    "many much long big large old often far exactly".split()
)
# An auxiliary followed by a bare verb has no subject: a statement without "I"
# ("Will use it to size the list", "Would appreciate a short answer"), not a question.
AUXILIARIES = frozenset("will would can could should shall may might must".split())
BARE_VERBS = frozenset(
    "use be need appreciate try keep share send pass forward circulate cite quote include "
    "report put follow check come go get take make let love like".split()
)
SALUTATION = "to whom it may concern".split()
ABBREVIATIONS = frozenset("mr mrs ms dr st prof vs etc approx eg ie inc ltd no".split())
ENDING_ABBREVIATIONS = frozenset(("etc",))  # may end a sentence: "... etc. Need the"
FRAGMENT_MAX_WORDS = 8
# In a sentence ending with "?", a clause this long asks ("grand, and when ...?" aside).
ASKING_MIN_WORDS = 3
# Words opening a short lead-in of a question: "In absolute terms, how many ...?"
LEAD_INS = frozenset("in for on at by according as regarding concerning apart besides".split())
# "With which organisation ...?", "In what year ...?"
PREPOSITIONS = frozenset("with in on at to for from by of about since until".split())
# An item of a list: "(1) biotech's share ...", "b) the year ..."
_ENUMERATED = re.compile(r"^\s*(?:\(?[1-9a-e]\)|[-*•])\s+")

# A sentence ends at . ! ? or ; followed by space, at a newline, or at a dash or colon
# between spaces ("quick one - % biotech of MA public cos?").
_TRAILING_AND = re.compile(r"\s+(?:and|or|plus)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"([.!?;]+)(?:\s+|$)|\n+|\s[-–—]+\s|:\s+")
# A clause starts at "and"/"also"/"plus"/"but" or a comma followed by a question word:
# "who is the ambassador and where can I read his interview".
# A comma followed by "and" always starts one: "growth rate 2000-2009, and employment?".
# Every alternative starts with a comma, a space or "(" (whitespace is collapsed to one
# space first), so the regular expression engine only tries the places where one
# stands: splitting a long message costs a fifth as much.
_CLAUSE_ALWAYS = (
    r",\s*and\s+(?:also\s+)?| and\s+(?=of\b)|,\s+as well as\s+| \s*as well as\s+|"
    # "(a) ... and (b) ...", "where is he based + whats his email", "... and provide":
    # enumerations, plus signs and requests in the imperative start clauses too.
    r" \s*\(?\b[b-e2-5]\)\s+|\(\b[b-e2-5]\)\s+| [+&]\s+|"
    r" and\s+(?=(?:provide|give|tell|confirm|state|list|explain|describe|share|send)\b)|"
    # A trailing "..., thx v much" or ", please" is a sign-off of its own.
    r",\s*(?=(?:thx|thanks|thank you|ty|cheers|pls|please|plz)\b)|"
    r",\s*(?=or\s+(?:is|are|was|were|does|do|did|can|will|would|should|has|have)\b)|"
)
_CLAUSE_START = (
    r",\s*(?:also\s+|plus\s+|but\s+)?(?={starts})|"
    r" (?:and|n|also|plus|but)\s+(?:also\s+)?(?={starts})"
)
_SPACES = re.compile(r"\s+")
_ASIDE = re.compile(
    r", ?(?:if you (?:happen to )?know|if known|if possible|if i may (?:ask|say so)|"
    r"if you (?:do not|don't) mind|please|pray|by the way|out of (?:interest|curiosity)|"
    r"i wonder|i suppose|roughly|approximately),",
    re.IGNORECASE,
)
# An enumeration's item at the start of a sentence (the others start after a space).
_FIRST_ITEM = re.compile(r"^\(?[b-e2-5]\)\s+", re.IGNORECASE)


def _clauses_before(starts: Iterable[str]) -> re.Pattern[str]:
    words_group = r"(?:" + "|".join(sorted(starts)) + r")\b"
    return re.compile(
        _CLAUSE_ALWAYS + _CLAUSE_START.replace("{starts}", words_group), re.IGNORECASE
    )


_CLAUSE = _clauses_before(QUESTION_STARTS)
# In a sentence that asks nothing ("What I am missing, though, is the figure:"), a
# comma before "is" or "can" continues it; only question words start a clause there.
_CLAUSE_STATEMENT = _clauses_before(
    "who whos what whats wat when where wheres why how hows which whose whom whether".split()
)


# Formulas of politeness that say nothing of what is asked; they are dropped from a
# question before its words are read ("Would you be good enough to tell me the name").
_POLITENESS = re.compile(
    r"\b(?:would|could|will|can) you (?:please |kindly )?be (?:so )?(?:good|kind)"
    r"(?: enough)?(?: as)? to\b|"
    r"\bi (?:would|should|'d) be (?:very |most )?grateful if you (?:could|would)\b|"
    r"\b(?:may|might|could|can) i (?:please )?(?:ask|enquire|inquire)(?: you)?\b|"
    r"\bif i may (?:also )?ask\b|\bif you (?:do not|don't) mind\b|"
    r"\bi (?:would|'d) (?:like|love) to (?:ask|know)\b|"
    r"\bi (?:was|am) wondering (?:if|whether) you (?:could|would|might)\b|"
    # "per your information", "to your knowledge": where the answer comes from, not
    # something asked about the bot.
    r"\b(?:per|according to|from|to|in) your (?:information|knowledge|records|data)\b|"
    r"\bas far as you know\b|"
    # "Am I right that ...?", "..., if I have understood it correctly?": a request to
    # confirm asks the same as the plain question.
    r"\b(?:am i right|is it (?:true|correct|right)|(?:can|could) you confirm|"
    r"would it be (?:correct|right) to say)(?: in thinking)?(?: that)?\b|"
    r"\bif i (?:have understood|understand|understood)(?: (?:it|that|this))? (?:correctly|right)\b|"
    r"\bif i(?: a|')m not mistaken\b|\bcorrect me if i(?: a|')m wrong\b",
    re.IGNORECASE,
)

# Every formula above holds one of these: a part without any holds no formula.
_POLITENESS_HINTS = (
    "good", "kind", "grateful", "ask", "enquire", "inquire", "mind", "like to", "love to",
    "wondering", "your information", "your knowledge", "your records", "your data",
    "as far as", "right", "true", "correct", "confirm", "understand", "understood",
    "mistaken", "wrong",
)  # fmt: skip


LEAD_IN_MAX_WORDS = 4


def _is_lead_in(clause: str) -> bool:
    ws = words(clause)
    while ws and ws[0] in LEADING_FILLER:
        ws = ws[1:]  # "And in Skåne, how many is it?"
    return 0 < len(ws) <= LEAD_IN_MAX_WORDS and ws[0] in LEAD_INS


def without_politeness(text: str) -> str:
    """``text`` without formulas such as "would you be so kind as to" or "may I ask"."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _POLITENESS_HINTS):
        return text  # most parts hold none: a few substring scans instead of the pattern
    return _POLITENESS.sub(" ", text)


def split_message(text: str) -> list[Part]:
    """The parts of ``text`` in order, each with its role."""
    parts: list[Part] = []
    announced = False  # the sentence before ended at a colon: "Two figures, please: ..."
    for sentence, colon in _sentences(text):
        asking = sentence.rstrip().endswith("?") or announced
        # "Two figures, please:" announces questions; "Other context:" does not.
        announced = colon and role_of(sentence) is not Role.CONTEXT
        # "In which year, if you know, was MVA founded?": an aside splits nothing.
        plain = _SPACES.sub(" ", _ASIDE.sub(" ", sentence))
        pieces = (_CLAUSE if asking else _CLAUSE_STATEMENT).split(plain)
        pieces[0] = _FIRST_ITEM.sub("", pieces[0], count=1)  # "2) How many drugs ...?"
        clauses = [
            c for raw in pieces if (c := _TRAILING_AND.sub("", raw.strip(" ,"))) and words(c)
        ]
        # "In absolute terms, how many ...?", "According to your figures, what ...?": a
        # short lead-in is part of the question after it.
        merged: list[str] = []
        for clause in clauses:
            if merged and _is_lead_in(merged[-1]):
                merged[-1] = f"{merged[-1]}, {clause}"
            else:
                merged.append(clause)
        for n, clause in enumerate(merged):
            label = colon and n == len(merged) - 1
            role = role_of(clause, asking)
            if (
                n
                and not asking
                and role is Role.QUESTION
                and parts[-1].role is Role.CONTEXT
                and _embedded(clause)
            ):
                role = Role.CONTEXT
            parts.append(Part(clause, role, label))
    return parts


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The sentences of ``text``, each with whether it ended at a colon (which ends one
    too: "MassBio: founding year?")."""
    out: list[tuple[str, bool]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(1) if match.group(1) else match.start()
        before = words(text[start:end])
        if match.group(1) and match.group(1).startswith(".") and before:
            last = before[-1]
            follows = text[match.end() : match.end() + 1]
            if (
                last in ABBREVIATIONS and not (last in ENDING_ABBREVIATIONS and follows.isupper())
            ) or len(last) == 1:
                continue  # "U.S. venture capital", "Mr. Jepsen"; "... etc. Need the" ends
        out.append((text[start:end].strip(), match.group(0).startswith(":")))
        start = match.end()
    out.append((text[start:].strip(), False))
    return [(s, colon) for s, colon in out if s]


def role_of(clause: str, asking: bool = False) -> Role:
    """The role of one clause; ``asking`` when its sentence ends with a question mark
    ("With which organisation did MVA sign the agreement, and ...?")."""
    ws = words(clause)
    while ws and ws[0] in LEADING_FILLER:
        ws = ws[1:]
    if not ws:
        return Role.CONTEXT
    if ws[:5] == SALUTATION:
        return Role.CONTEXT  # not "to whom" asking
    asks = clause.rstrip().endswith("?")
    if not asks and not DECLINED_LAST.isdisjoint(ws) and any(_has_phrase(ws, p) for p in DECLINED):
        return Role.CONTEXT
    if ws[:2] == ["have", "a"] and not asks:
        return Role.CONTEXT  # "Have a lovely day!", not "Have a look at ..."
    if len(ws) > 1 and ws[0] in AUXILIARIES and ws[1] in BARE_VERBS and not asks:
        return Role.CONTEXT  # "Will use it to size the outreach list."
    if len(ws) > 1 and ws[1] in ("not", "t") and not clause.rstrip().endswith("?"):
        return Role.CONTEXT  # "cant find it anywhere": a remark, not a question
    opens_context = any(
        tuple(ws[: len(opener)]) == opener for opener in _OPENERS_BY_FIRST.get(ws[0], ())
    )
    imperative = ws[0] in IMPERATIVES and not (
        ws[0] in WANTING and ws[1:2] == ["to"] and ws[2:3] and ws[2] not in WANTED_TO
    )
    if (
        asks
        or ws[0] in QUESTION_STARTS
        or imperative
        or (len(ws) > 1 and ws[0] in PREPOSITIONS and ws[1] in QUESTION_STARTS)
        or _ENUMERATED.match(clause)
        or _contains(ws, _REQUESTS_BY_FIRST)
        or (asking and not opens_context and len(ws) >= ASKING_MIN_WORDS)
    ):
        return Role.QUESTION
    if opens_context:
        return Role.CONTEXT
    return Role.FRAGMENT if len(ws) <= FRAGMENT_MAX_WORDS else Role.CONTEXT


def _has_phrase(ws: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(ws[i : i + n]) == phrase for i in range(len(ws) - n + 1))


def _embedded(clause: str) -> bool:
    """Whether a clause that follows context in a statement is part of that statement:
    a relative clause ("..., which is great") or a question word without the order of
    a question ("I'm writing about cluster organisations and how they spend money.")."""
    ws = words(clause)
    while ws and ws[0] in LEADING_FILLER:
        ws = ws[1:]
    if len(ws) < 2:
        return False
    if ws[0] in RELATIVE_STARTS:
        return True
    return ws[0] in WH_STARTS and ws[1] not in DIRECT_AFTER_WH


def _by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(found) for first, found in out.items()}


_REQUESTS_BY_FIRST = _by_first_word(REQUEST_MARKERS)
_OPENERS_BY_FIRST = _by_first_word(CONTEXT_OPENERS)


def _contains(ws: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    for i, w in enumerate(ws):
        for phrase in phrases.get(w, ()):
            if tuple(ws[i : i + len(phrase)]) == phrase:
                return True
    return False
