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
words neither sink nor steer the match. A ``Segmenter`` reads one language, with its
``ReadingRules`` (bot/knowledge/reading.py); ``split_message`` is English's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import pairwise

from bot.common.patterns import LazyPattern
from bot.knowledge.reading import ENGLISH_READING, ReadingRules, loose


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
    # was it?"), or what "that level" is as a part before names it ("platform level"),
    # tried with the question when it answers something.
    lead: str = ""


FRAGMENT_MAX_WORDS = 8
# "anything you can tell me": words between a free choice and the request after it.
FREE_CHOICE_GAP = 4
# Words before a verb of telling within which the writer and a modal make it their own
# telling ("jag vill gärna berätta om programmet"), not a request.
OWN_TELLING_GAP = 3
# In a sentence ending with "?", a clause this long asks ("grand, and when ...?" aside).
ASKING_MIN_WORDS = 3
# "hi, what is MassBio": a question word and two more words after a greeting.
GREETED_QUESTION_MIN_WORDS = 3
# An item of a list: "(1) biotech's share ...", "b) the year ..."
_ENUMERATED = re.compile(r"^\s*(?:\(?[1-9a-e]\)|[-*•])\s+")

# A sentence ends at . ! ? or ; followed by space, at a newline, or at a dash or colon
# between spaces ("quick one - % biotech of MA public cos?"), or at an emoji before a
# space ("... the comments are brutal 💀 so what % of ...").
# An arrow ends one too: "hvem er ambassadøren → hvilken delstat sidder han i → ...".
_SENTENCE_END = re.compile(
    r"([.!?;]+)(?:\s+|$)|\n+|\s[-–—]+\s|:\s+|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+\s+(?=\S)"
    r"|\s*[→⇒➔➜]\s*|\s+(?:->|=>)\s+"
)
_SPACES = re.compile(r"\s+")
# An enumeration's item at the start of a sentence (the others start after a space).
_FIRST_ITEM = re.compile(r"^\(?[b-e2-5]\)\s+", re.IGNORECASE)
# Any item's mark opening a sentence, the first's too: "1) Who is the ambassador ...?".
_ANY_ITEM = re.compile(r"^\(?(?:[a-e]|[1-9])\)\s+", re.IGNORECASE)
# A point's number opening it: "3. Innan jag rekommenderar ...".
_NUMBERED = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
# A sentence listing items: "Please provide (a) ... and (b) ...", "om 1) ... samt 2) ...".
_LISTS_ITEMS = re.compile(r"(?:^|\s)\(?[b-e2-5]\)\s", re.IGNORECASE)
# An item's mark, wherever it stands ("(a)", "b)", "1)"): no word of the question.
_ITEM_MARK = re.compile(r"(?:^|(?<=\s))\(?[1-9a-e]\)\s+", re.IGNORECASE)
# Question words that start a clause in a sentence that asks nothing.
_STATEMENT_STARTS = (
    "who whos what whats wat when where wheres why how hows which whose whom whether"
)


def _clauses_before(rules: ReadingRules, starts: Iterable[str]) -> LazyPattern:
    """Where a clause starts: "and"/"also"/"plus"/"but" or a comma followed by a
    question word ("who is the ambassador and where can I read his interview"); a
    comma followed by "and" always starts one ("growth rate 2000-2009, and
    employment?"). Every alternative starts with a comma, a space or "(" (whitespace
    is collapsed to one space first), so the regular expression engine only tries the
    places where one stands: splitting a long message costs a fifth as much."""
    words_group = r"(?:" + "|".join(sorted(starts)) + r")\b"
    return LazyPattern(
        rules.clause_always_pattern + rules.clause_start_pattern.replace("{starts}", words_group),
        re.IGNORECASE,
    )


LEAD_IN_MAX_WORDS = 4
RELATIVE_HEAD_WORDS = 3  # words of "My niece" before ", who lives in Malmo, ..."
# Enough characters after an abbreviation's period to hold the next word.
NEXT_WORD_CHARS = 16
# Words before a question that no punctuation marks off from them.
UNMARKED_MIN_WORDS = 3
SIGN_OFF_MAX_WORDS = 8  # words of thanks at the end of a question no punctuation marks
# Words between a verb reporting a question and the question ("asked me at breakfast").
REPORTED_GAP = 3
_NOT_REPORTED = "to|by|att|at|av|af"  # infinitive markers and agents, in the three languages


class Segmenter:
    """Splits messages of one language into parts and gives each its role."""

    def __init__(self, rules: ReadingRules = ENGLISH_READING, times: Iterable[str] = ()) -> None:
        self.rules = rules
        self.words = rules.analyzer.words
        # Words for now ("this year", "i dag"; subjects.yaml's times): after a repeated
        # preposition they name a time, no second item ("... in Boston today, in this
        # year?" asks once).
        self._times = frozenset(tuple(self.words(t)) for t in times)
        self._clause = _clauses_before(
            rules, sorted(_loose_starts(rules.written_starts or rules.question_starts))
        )
        # In a sentence that asks nothing ("What I am missing, though, is the figure:"),
        # a comma before "is" or "can" continues it; only question words start a clause.
        statement_starts = (
            _STATEMENT_STARTS.split()
            if rules is ENGLISH_READING
            else sorted(_loose_starts(rules.written_wh))
        )
        self._clause_statement = _clauses_before(rules, statement_starts)
        # "frågade mig vid frukosten hur mycket ...": a reported question starts a clause.
        self._reported = (
            re.compile(
                r"(\b(?:" + "|".join(sorted(_loose_starts(rules.asking_verbs))) + r")\b"
                # Not "I've been asked to look into what ..." nor "asked by ... who":
                # an infinitive or an agent is no reported question.
                rf"(?:\s+(?!(?:{_NOT_REPORTED})\b)[^\s,.;:!?]+){{0,{REPORTED_GAP}}}?)\s+"
                r"(?=(?:" + "|".join(statement_starts) + r")\b)",
                re.IGNORECASE,
            )
            if rules.asking_verbs
            else None
        )
        # "who is the ambassador in boston what is mass bio": a question word and the
        # word after it, where a question may start that no punctuation marks.
        self._unmarked_start = re.compile(
            r"\s(?=(?:" + "|".join(statement_starts) + r")\s+(\w+)\s+\S)", re.IGNORECASE
        )
        self._unmarked_statement = (
            re.compile(
                r"\s(?=(?:"
                + "|".join(sorted(_loose_starts(rules.first_person)))
                + r")\s+(\w+)\s+\S)",
                re.IGNORECASE,
            )
            if rules.first_person and rules.unmarked_statements
            else None
        )
        # "... i saw the name torsten jepsen so my question is what is his job title":
        # a request before a question word starts the question no punctuation marks,
        # when it has no subject before it ("can you tell me", "my question is"; not
        # "the lads want to know", "nu skulle jag vilja veta").
        yes_no, bidding = rules.yes_no_starts, rules.imperatives - rules.wanting
        announcing = sorted(
            (
                r"\s+".join(map(re.escape, phrase))
                for phrase in rules.request_markers
                if len(phrase) >= 2
                and (phrase[0] in yes_no or phrase[0] in bidding or phrase[-1] in yes_no)
            ),
            key=len,
            reverse=True,
        )
        self._unmarked_request = (
            re.compile(
                # a word or two may come between ("kan du fortælle mig hvem")
                r"\s(?=(?:"
                + "|".join(announcing)
                + r")(?:\s+[^\s,.;:!?]+){0,2}?\s+(?:"
                + "|".join(map(re.escape, sorted(rules.question_words)))
                + r")\b)",
                re.IGNORECASE,
            )
            if announcing and rules.question_words
            else None
        )
        # Not after a question word: "massbio members how many thanks" asks how many.
        after_wh = "".join(rf"(?<!\b{re.escape(w)})" for w in sorted(rules.wh_starts))
        self._unmarked_sign_off = (
            re.compile(
                after_wh
                + r"\s(?=(?:"
                + "|".join(r"\s+".join(map(re.escape, phrase)) for phrase in rules.sign_offs)
                + r")\b)",
                re.IGNORECASE,
            )
            if rules.sign_offs
            else None
        )
        self._embedding = (
            rules.knowing_verbs
            | rules.asking_verbs
            | rules.wanting
            | {w for phrase in rules.request_markers for w in phrase}
        )
        self._trailing_and = LazyPattern(rules.trailing_and_pattern, re.IGNORECASE)
        self._distributed = LazyPattern(rules.distributed_pattern, re.IGNORECASE)
        # "... av riskkapitalet, av FoU-utgifterna och av börsvärdet": a preposition again
        # after a comma or "and" before each item shares the head before the first.
        ands = sorted(rules.and_words - {"&", "+", "n", "o"}) or ["and"]
        self._and_alternation = "(?:" + "|".join(map(re.escape, ands)) + ")"
        preps = sorted(rules.prepositions)
        self._repeated = (
            re.compile(
                r"\b(?P<prep>" + "|".join(map(re.escape, preps)) + r")\s+[^,.;:!?]+?"
                r"(?:,\s*(?:(?P<and>"
                + self._and_alternation
                + r")\s+)?|\s+"
                + self._and_alternation
                # Not "... in Boston and in which year ...": a question word starts a
                # question of its own.
                # Nor "... in Boston right now, in 2026": a year is a time, no item.
                + r"\s+)(?P=prep)\s(?!\d)(?!(?:"
                + "|".join(sorted(_loose_starts(rules.written_wh or rules.question_words)))
                + r")\b)",
                re.IGNORECASE,
            )
            if preps
            else None
        )
        # One group per word said, in the order tried (longest first); the group that
        # matched gives the mark, however the word is spelt ("spoergsmaalstegn").
        said = sorted(rules.dictated_marks, key=lambda w: -len(w))
        self._dictated_marks = [rules.dictated_marks[w] for w in said]
        self._dictated = (
            re.compile(
                r"\s*\b(?:" + "|".join(f"({loose(w)})" for w in said) + r")\b", re.IGNORECASE
            )
            if said
            else None
        )
        self._aside = LazyPattern(rules.aside_pattern, re.IGNORECASE)
        self._politeness = LazyPattern(rules.politeness_pattern, re.IGNORECASE)
        self._requests_by_first = _by_first_word(rules.request_markers)
        self._longest_request = max(map(len, rules.request_markers), default=0)
        self._openers_by_first = _by_first_word(rules.context_openers)
        self._declined_by_first = _by_first_word(rules.declined)
        self._farewells_by_first = _by_first_word(rules.farewell_openers)

    def _words_after_filler(self, clause: str) -> list[str]:
        """The words of ``clause`` from the first that is not filler ("and", "so", "ok",
        "please"): "And in Skåne, how many is it?" opens with "in"."""
        ws = self.words(clause)
        leading = self.rules.leading_filler
        start = 0
        while start < len(ws) and ws[start] in leading:
            start += 1
        return ws[start:]

    def _parallel(self, clause: str) -> list[str]:
        """The items of a list of questions of the same head ("share of public companies,
        share of market cap, and share of the world drug pipeline?"), else ``clause``."""
        items = [item.strip() for item in clause.split(",")]
        if len(items) < 2:
            return [clause]
        heads = [self._words_after_filler(item)[:2] for item in items]
        if all(len(head) == 2 for head in heads) and len({head[0] for head in heads}) == 1:
            return items
        return [clause]

    def punctuated(self, text: str) -> str:
        """``text`` with punctuation said to dictation written as marks: "hvilket år
        blev mass bio grundlagt spørgsmålstegn tusind tak" asks, then thanks."""
        if self._dictated is None:
            return text
        marks = self._dictated_marks
        return self._dictated.sub(lambda found: marks[(found.lastindex or 1) - 1], text)

    def _distribute(self, sentence: str) -> str:
        """``sentence`` with a head shared by two items written out for each: "Hvor
        stor en andel af henholdsvis R&D-udgifterne og markedsværdien?" asks "Hvor stor
        en andel af R&D-udgifterne, og hvor stor en andel af markedsværdien?"."""
        found = self._distributed.search(sentence)
        if found is None:
            return self._distribute_repeated(sentence)
        head = found["head"]
        return f"{head} {found['first']}, {found['and']} {head} {found['second']}"

    def _distribute_repeated(self, sentence: str) -> str:
        """``sentence`` with a head before a repeated preposition written out for each
        item: "Hur stor andel av riskkapitalet, av FoU-utgifterna och av börsvärdet står
        biotek för?" asks the share of each."""
        found = self._repeated.search(sentence) if self._repeated is not None else None
        if found is None:
            return sentence
        head, prep = sentence[: found.start()].rstrip(), found["prep"]
        if not self.words(head):
            return sentence
        items = re.split(
            rf",\s*(?:{self._and_alternation}\s+)?(?={re.escape(prep)}\s)|"
            rf"\s+{self._and_alternation}\s+(?={re.escape(prep)}\s)",
            sentence[found.start() :],
            flags=re.IGNORECASE,
        )
        asking = self.rules.question_words
        if any(
            tuple(self.words(item)[1:]) in self._times or tuple(self.words(item)[2:]) in self._times
            for item in items[1:]
        ):
            # "... companies are in Boston-Cambridge today, in this year?", "..., in the
            # present year?": a time.
            return sentence
        if any(not asking.isdisjoint(self.words(item)) for item in items[1:]):
            # "... en ambassadör i San Diego, och i så fall vad heter den personen": a
            # question of its own after the preposition, no item sharing the head.
            return sentence
        and_word = found["and"] or sorted(self.rules.and_words)[0]
        return f", {and_word} ".join(f"{head} {item.strip()}" for item in items)

    def _is_lead_in(self, clause: str) -> bool:
        ws = self._words_after_filler(clause)
        return 0 < len(ws) <= LEAD_IN_MAX_WORDS and ws[0] in self.rules.lead_ins

    def asks_outright(self, clause: str) -> bool:
        """Whether a clause asks in a question's form: it ends with "?", or opens with a
        question word, an auxiliary or an imperative ("what ...", "does ...", "tell ...")."""
        if clause.rstrip().endswith("?"):
            return True
        ws = self._words_after_filler(clause)
        rules = self.rules
        return bool(ws) and (ws[0] in rules.question_starts or ws[0] in rules.imperatives)

    def without_politeness(self, text: str) -> str:
        """``text`` without formulas such as "would you be so kind as to" or "may I ask"."""
        lowered = text.lower()
        hints = self.rules.politeness_hints
        if hints and not any(hint in lowered for hint in hints):
            return text  # most parts hold none: a few substring scans instead of the pattern
        return self._politeness.sub(" ", text)

    def split(self, text: str) -> list[Part]:
        """The parts of ``text`` in order, each with its role."""
        parts: list[Part] = []
        announced = False  # the sentence before ended at a colon: "Two figures, please: ..."
        words = self.words
        for sentence, colon in self._sentences(text):
            asking = sentence.rstrip().endswith("?") or announced
            # "Two figures, please:" announces questions; "Other context:" does not.
            announced = colon and self.role_of(sentence) is not Role.CONTEXT
            # "In which year, if you know, was MVA founded?": an aside splits nothing.
            plain = self._distribute(_SPACES.sub(" ", self._aside.sub(" ", sentence)))
            if not asking and self._reported is not None:
                plain = self._reported.sub(r"\1, ", plain)
            listed = bool(_LISTS_ITEMS.search(plain))
            pieces = (self._clause if asking else self._clause_statement).split(plain)
            # "2) How many drugs ...?", "; (b) biotech's share of the market cap.": an item
            # of a list asks, though its mark is no word of it.
            item = bool(_FIRST_ITEM.match(plain.lstrip()))
            pieces[0] = _FIRST_ITEM.sub("", pieces[0], count=1)
            trailing = self._trailing_and
            clauses = [c for raw in pieces if (c := trailing.sub("", raw.strip(" ,"))) and words(c)]
            if asking and "," in plain:
                clauses = [piece for clause in clauses for piece in self._parallel(clause)]
            if "," not in plain:
                clauses = [piece for clause in clauses for piece in self._unmarked(clause)]
            # "In absolute terms, how many ...?", "According to your figures, what ...?":
            # a short lead-in is part of the question after it.
            merged: list[str] = []
            for clause in clauses:
                if merged and self._is_lead_in(merged[-1]):
                    merged[-1] = f"{merged[-1]}, {clause}"
                else:
                    merged.append(clause)
            for n, clause in enumerate(merged):
                label = colon and n == len(merged) - 1
                role = self.role_of(clause, asking)
                if item and n == 0 and role is not Role.QUESTION:
                    role = Role.QUESTION
                if n == 0 and asking and len(merged) > 1 and self._opens_condition(clause):
                    # "If they want help from the ambassador to meet partners, how much
                    # does it cost?": the condition is what the question is asked of.
                    role = Role.CONTEXT
                if (
                    n
                    and not asking
                    and role is Role.QUESTION
                    and (
                        parts[-1].role is Role.CONTEXT
                        # "My niece, who lives in Malmo, mentioned that ...": a relative
                        # clause after the few words it says more of.
                        or (
                            parts[-1].role is Role.FRAGMENT
                            and len(self.words(parts[-1].text)) <= RELATIVE_HEAD_WORDS
                            and self._relative(clause)
                        )
                    )
                    and self._embedded(clause)
                    # "before I go knocking on doors, who is the trade association ...":
                    # after a clause of time or condition comes the main clause, which
                    # asks when it has a question's order.
                    and not (self._opens_adverbial(parts[-1].text) and self._asks_directly(clause))
                    # "I don't need the whole story, just whether there is ...": after
                    # what is turned down comes what is wanted.
                    and not _contains(self.words(parts[-1].text), self._declined_by_first)
                    # "Alex frågade mig vid frukosten hur mycket klustret växte": a
                    # reported question asks.
                    and self.rules.asking_verbs.isdisjoint(
                        self.words(parts[-1].text)[-REPORTED_GAP - 1 :]
                    )
                ):
                    role = Role.CONTEXT
                elif (
                    n
                    and not asking
                    and role is Role.QUESTION
                    and parts[-1].role is Role.CONTEXT
                    and self._continues(clause)
                ):
                    # "Jeg er pensioneret læge, og havde i sin tid fornøjelsen af ...": a
                    # verb first after a statement shares its subject; no question.
                    role = Role.CONTEXT
                elif (
                    n
                    and role is Role.QUESTION
                    and self._without_subject(self._words_after_filler(clause))
                ):
                    # "Vilken mejladress har han, vill skicka mitt CV?": the question
                    # mark is the sentence's; the clause says what the writer will do.
                    role = Role.CONTEXT
                if listed:
                    if n and role is Role.CONTEXT and parts[-1].role is not Role.CONTEXT:
                        # "(a) biotech's share of ... and (b) its share of ...": each item
                        # of the list asks as the first does.
                        role = parts[-1].role
                    clause = _ITEM_MARK.sub("", clause)
                if n == 0:
                    # "1) Who is the ambassador ...?": the mark (which made it ask) is no
                    # word of the question.
                    clause = _ANY_ITEM.sub("", clause, count=1)
                parts.append(Part(clause, role, label))
        return parts

    def _continues(self, clause: str) -> bool:
        """Whether ``clause`` opens with a verb that asks only at a question's start
        ("havde", "is") and asks nothing else ("tell me", "I'd like to know")."""
        ws = self._words_after_filler(clause)
        return bool(ws) and ws[0] in self.rules.yes_no_starts and not self._requests(ws)

    def _unmarked(self, clause: str) -> list[str]:
        """``clause`` cut where a question starts that no punctuation marks: before a
        question word and a verb ("... in boston what is mass bio and when was it
        founded", "... the platform one what does the platform level mean"), unless
        the word before makes it part of the clause ("tell me what is", "I wonder who
        is"); before a request that a question word follows ("... so my question is what
        is his job title"); and before the thanks that end it ("... where is he based
        thank you so much")."""
        cuts = [0]

        def cut_at_requests(upto: int) -> None:
            for at in sorted(r for r in requests if cuts[-1] < r <= upto):
                if len(self.words(clause[cuts[-1] : at])) >= UNMARKED_MIN_WORDS:
                    cuts.append(at)

        rules = self.rules
        starts = [(found, True) for found in self._unmarked_start.finditer(clause)]
        if self._unmarked_statement is not None:
            starts += [(found, False) for found in self._unmarked_statement.finditer(clause)]
        requests = (
            {found.start() for found in self._unmarked_request.finditer(clause)}
            if self._unmarked_request is not None
            else set()
        )
        for found, asks in sorted(starts, key=lambda pair: pair[0].start()):
            cut_at_requests(found.start())
            if found.start() <= cuts[-1]:
                continue
            before = self.words(clause[cuts[-1] : found.start()])
            verb = self.words(found.group(1))
            if (
                len(before) >= UNMARKED_MIN_WORDS
                and verb[:1]
                and verb[0] in rules.yes_no_starts
                and (
                    before[-1] not in self._embedding
                    if asks
                    # "... startet jeg har lovet ham": not "kan jeg få", "do we have".
                    else before[-1] not in rules.yes_no_starts
                    and before[-1] not in rules.question_starts
                    and before[-1] not in rules.subordinators
                    and self.role_of(clause[cuts[-1] : found.start()]) is Role.QUESTION
                )
            ):
                cuts.append(found.start())
        cut_at_requests(len(clause))
        if self._unmarked_sign_off is not None:
            # The thanks at the end, not "tack vare MassBio" nor a question after it.
            for found in self._unmarked_sign_off.finditer(clause):
                tail = self.words(clause[found.start() :])
                before = self.words(clause[cuts[-1] : found.start()])
                if (
                    found.start() > cuts[-1]
                    and len(before) >= UNMARKED_MIN_WORDS
                    # a question before it ("mitt tack för ..." is no sign-off)
                    and not rules.question_words.isdisjoint(before)
                    and len(tail) <= SIGN_OFF_MAX_WORDS
                    and rules.question_words.isdisjoint(tail)
                ):
                    cuts.append(found.start())
                    break
        if len(cuts) == 1:
            return [clause]
        return [clause[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(clause)], strict=True)]

    def _sentences(self, text: str) -> list[tuple[str, bool]]:
        """The sentences of ``text``, each with whether it ended at a colon (which ends
        one too: "MassBio: founding year?")."""
        out: list[tuple[str, bool]] = []
        start = 0
        abbreviations = self.rules.abbreviations
        ending = self.rules.ending_abbreviations
        for match in _SENTENCE_END.finditer(text):
            end = match.end(1) if match.group(1) else match.start()
            before = self.words(text[start:end])
            if match.group(1) and match.group(1).startswith(".") and before:
                last = before[-1]
                follows = text[match.end() : match.end() + 1]
                if (
                    (
                        last in abbreviations
                        and not (last in ending and follows.isupper())
                        # "... in Mass. What share ...?": a capitalised question word after
                        # one starts a sentence; "Mass. VC investment" goes on.
                        and not (follows.isupper() and self._question_follows(text, match.end()))
                    )
                    or (
                        len(last) == 1
                        # "... since i found u. how many ...": a lowercase letter is no
                        # initial when a question starts after it.
                        and not (
                            text[match.start(1) - 1 : match.start(1)].islower()
                            and self._question_follows(text, match.end())
                        )
                    )
                ):
                    continue  # "U.S. venture capital", "Mr. Jepsen"; "... etc. Need the" ends
            out.append((text[start:end].strip(), match.group(0).startswith(":")))
            start = match.end()
        out.append((text[start:].strip(), False))
        return [(s, colon) for s, colon in out if s]

    def _question_follows(self, text: str, at: int) -> bool:
        """Whether the word at ``at`` in ``text`` is a question start."""
        upcoming = self.words(text[at : at + NEXT_WORD_CHARS])[:1]
        return bool(upcoming) and upcoming[0] in self.rules.question_starts

    def role_of(self, clause: str, asking: bool = False) -> Role:
        """The role of one clause; ``asking`` when its sentence ends with a question mark
        ("With which organisation did MVA sign the agreement, and ...?")."""
        rules = self.rules
        ws = self._words_after_filler(clause)
        if not ws:
            return Role.CONTEXT
        if rules.salutation and tuple(ws[: len(rules.salutation)]) == rules.salutation:
            return Role.CONTEXT  # not "to whom" asking
        asks = clause.rstrip().endswith("?")
        if not asks and _contains(ws, self._declined_by_first):
            return Role.CONTEXT
        if not asks and any(
            tuple(ws[: len(p)]) == p for p in self._farewells_by_first.get(ws[0], ())
        ):
            return Role.CONTEXT  # "Have a lovely day!", not "Have a look at ..."
        if not asks and self._without_subject(ws):
            return Role.CONTEXT  # "Will use it to size the outreach list."
        if len(ws) > 1 and ws[1] in rules.negated_second and not asks:
            return Role.CONTEXT  # "cant find it anywhere": a remark, not a question
        if ws[0] in rules.name_openers and self._greets_then_asks(ws[1:]):
            return Role.QUESTION  # "hey mate whats massbio stand for"
        opens_context = any(
            tuple(ws[: len(opener)]) == opener for opener in self._openers_by_first.get(ws[0], ())
        )
        imperative = ws[0] in rules.imperatives and not (
            ws[0] in rules.wanting
            and ws[1:2] == ["to"]
            and ws[2:3]
            and ws[2] not in rules.wanted_to
        )
        starts = rules.question_starts
        if opens_context and not asks and ws[0] in starts:
            return Role.CONTEXT  # "har förstått att ...": a named opener, not "har" asking
        if (
            asks
            or ws[0] in starts
            or imperative
            or (len(ws) > 1 and ws[0] in rules.prepositions and ws[1] in starts)
            or _ENUMERATED.match(clause)
            or self._requests(ws)
            or (asking and not opens_context and len(ws) >= ASKING_MIN_WORDS)
        ):
            return Role.QUESTION
        if opens_context:
            return Role.CONTEXT
        return Role.FRAGMENT if len(ws) <= FRAGMENT_MAX_WORDS else Role.CONTEXT

    def question_after_request(self, clause: str) -> str | None:
        """The question a request inside ``clause`` announces, when words come before the
        request: "För att kunna bedöma relevansen av detta påstående önskar jag
        upplysning om hur många företag ... MassBio företräder" asks "hur många företag
        ... MassBio företräder"."""
        ws = self.words(_NUMBERED.sub("", clause, count=1))  # "3. Innan jag ..."
        rules = self.rules
        # Only after a clause of its own: a purpose or a time ("För att kunna bedöma
        # ...", "Innan jag rekommenderar ..."), whose words say nothing of what is asked.
        subordinate = ws[:1] and (
            ws[0] in rules.subordinators
            or (ws[0] in rules.prepositions and ws[1:2] and ws[1] in rules.subordinators)
        )
        if not subordinate:
            return None
        asking = rules.question_words
        for start in range(len(ws) - 1, 0, -1):
            for phrase in self._requests_by_first.get(ws[start], ()):
                end = start + len(phrase)
                if tuple(ws[start:end]) == phrase and ws[end : end + 1] and ws[end] in asking:
                    return " ".join(ws[end:])
        return None

    def ends_with_request(self, clause: str) -> bool:
        """Whether ``clause`` ends with a request, announcing the question after it:
        "... skal jeg venligst anmode om oplysning om, med hvilken organisation ..."."""
        ws = self.words(clause)
        return any(
            tuple(ws[start:]) == phrase
            for start in range(max(0, len(ws) - self._longest_request), len(ws))
            for phrase in self._requests_by_first.get(ws[start], ())
        )

    def _requests(self, ws: list[str]) -> bool:
        """Whether the words ask for something ("tell me", "describe", "I'd like to
        know"). A request that the writer means to make of others ("I want to describe
        the ambassador correctly", "we need to explain it to the board"), or one of
        anything at all ("anything you can tell me is useful"), asks nothing."""
        wanting, free_choice = self.rules.wanting, self.rules.free_choice
        by_first = self._requests_by_first
        if by_first.keys().isdisjoint(ws):
            return False
        for i, w in enumerate(ws):
            phrases = by_first.get(w)
            if phrases is None:
                continue
            if i >= 2 and ws[i - 1] == "to" and ws[i - 2] in wanting:
                continue
            if not free_choice.isdisjoint(ws[max(0, i - FREE_CHOICE_GAP) : i]):
                continue  # "anything you can tell me is useful"
            if w in self.rules.imperatives and self._own_telling(
                ws[max(0, i - OWN_TELLING_GAP) : i]
            ):
                continue  # "Jag vill gärna berätta om programmet": the writer tells
            if i and (ws[i - 1] in self.rules.negations or ws[i - 1] == "t"):
                continue  # "a PR guy who won't give me a straight answer": none asked
            for phrase in phrases:
                if (
                    i
                    and len(phrase) == 2
                    and w in self.rules.question_starts
                    and phrase[1] in self.rules.prepositions
                ):
                    # "Vi har i nogen tid overvejet": "har i" asks ("Har I tal?") only
                    # as the clause's first words; inside one it is "has in".
                    continue
                if tuple(ws[i : i + len(phrase)]) == phrase:
                    return True
        return False

    def _own_telling(self, before: list[str]) -> bool:
        """Whether the words before a verb of telling hold the writer and then a modal
        ("jag vill gärna", "vi skal"; not "kan jag", which asks)."""
        rules = self.rules
        return any(a in rules.first_person and b in rules.auxiliaries for a, b in pairwise(before))

    def _greets_then_asks(self, rest: list[str]) -> bool:
        """Whether the words after a greeting ("hey", "hi") ask a question word's
        question, perhaps after one word of address ("mate", "there", "team")."""
        words_of = self.rules.question_words
        if len(rest) > 1 and rest[0] not in words_of and rest[1] in words_of:
            rest = rest[1:]
        return len(rest) >= GREETED_QUESTION_MIN_WORDS and rest[0] in words_of

    def _without_subject(self, ws: list[str]) -> bool:
        """Whether a clause's words (after filler) open with an auxiliary and a bare verb,
        no subject between ("vill skicka mitt CV", "will use it for the board")."""
        rules = self.rules
        return len(ws) > 1 and ws[0] in rules.auxiliaries and ws[1] in rules.bare_verbs

    def asks_in_order(self, ws: Sequence[str]) -> bool:
        """Whether the words hold a question word in a question's order ("... vi mangler
        et tal så hvor mange lægemidler er der i udvikling ..."), not "how they spend"."""
        rules = self.rules
        # Swedish "var" is "where" and "was": "det var mycket värdefullt" asks nothing.
        return any(
            w in rules.wh_starts
            and w not in rules.direct_after_wh
            and ws[i + 1] in rules.direct_after_wh
            for i, w in enumerate(ws[:-1])
        )

    def _opens_condition(self, clause: str) -> bool:
        """Whether ``clause`` opens with a word of condition ("if", "hvis")."""
        ws = self._words_after_filler(clause)
        return bool(ws) and ws[0] in self.rules.condition_words

    def _relative(self, clause: str) -> bool:
        """Whether ``clause`` opens with a relative word ("who lives in Malmo")."""
        ws = self._words_after_filler(clause)
        return bool(ws) and ws[0] in self.rules.relative_starts

    def _opens_adverbial(self, clause: str) -> bool:
        """Whether ``clause`` opens as a clause of time or condition ("before I go ...",
        "if you know ...", "innan jag ...")."""
        ws = self._words_after_filler(clause)
        rules = self.rules
        return bool(ws) and (
            ws[0] in rules.subordinators
            or ws[0] in rules.condition_words
            or ws[0] in rules.before_words
        )

    def _asks_directly(self, clause: str) -> bool:
        """Whether ``clause`` opens with a question word and the word a question puts
        after it ("who is", "hvad er")."""
        ws = self._words_after_filler(clause)
        rules = self.rules
        return len(ws) > 1 and ws[0] in rules.question_words and ws[1] in rules.direct_after_wh

    def _embedded(self, clause: str) -> bool:
        """Whether a clause that follows context in a statement is part of that
        statement: a relative clause ("..., which is great") or a question word without
        the order of a question ("I'm writing about cluster organisations and how they
        spend money.")."""
        rules = self.rules
        ws = self._words_after_filler(clause)
        if len(ws) < 2:
            return False
        if ws[0] in rules.relative_starts:
            return True
        return ws[0] in rules.wh_starts and ws[1] not in rules.direct_after_wh


def _loose_starts(starts: Iterable[str]) -> set[str]:
    return {loose(w) for w in starts}


def _by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(found) for first, found in out.items()}


def _contains(ws: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    if phrases.keys().isdisjoint(ws):
        return False  # most clauses hold no phrase's first word: one set test
    for i, w in enumerate(ws):
        for phrase in phrases.get(w, ()):
            if tuple(ws[i : i + len(phrase)]) == phrase:
                return True
    return False


# English, as before languages: the names other modules and tests use.
QUESTION_STARTS = ENGLISH_READING.question_starts


@cache
def english_segmenter() -> Segmenter:
    """English's Segmenter, built on first use: an Answerer has its own, and a start
    from the Answerer cache should not compile the same patterns twice."""
    return Segmenter()


def split_message(text: str) -> list[Part]:
    """The parts of an English ``text`` in order, each with its role."""
    return english_segmenter().split(text)


def role_of(clause: str, asking: bool = False) -> Role:
    """The role of one English clause (``Segmenter.role_of``)."""
    return english_segmenter().role_of(clause, asking)


def without_politeness(text: str) -> str:
    """An English ``text`` without its politeness formulas (``Segmenter.without_politeness``)."""
    return english_segmenter().without_politeness(text)
