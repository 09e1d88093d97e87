"""The reading vocabulary of a language: the words by which a message is read.

Question words, auxiliaries, request markers ("tell me"), openers of context ("my
name is"), politeness formulas, the words that join clauses, follow-up openers,
ordinals, the words of a question asking for a figure, the number words of an answer,
and the few texts the reading puts into a reply ("the years before 2000", the source
line). Message understanding (``bot.understanding``) and the answering core read
messages with one ``ReadingRules``; every language has its own.

English keeps its lists in code (``ENGLISH_READING`` below, the lists issue 10 tuned);
Danish and Swedish have theirs in ``knowledge/<lang>/reading.yaml`` (named lists of
texts, ``KnowledgeBase.reading``), turned into rules by ``reading_rules`` and checked by
``reading_issues`` (kb check) with file:line errors. Every word of those lists is folded
as that language's ``Analyzer`` folds ("hvornår" and "hvornaar" are one word), so a
writer lists each word once, in its proper spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.common.errors import KbIssue, KnowledgeError
from bot.common.languages import Language
from bot.common.textnorm import ENGLISH, Analyzer
from bot.knowledge.model import KnowledgeBase

Phrases = tuple[tuple[str, ...], ...]

# The Snowball stemmer of each language.
SNOWBALL: Mapping[Language, str] = {
    Language.EN: "english",
    Language.DA: "danish",
    Language.SV: "swedish",
}
READING_FILE = "reading.yaml"


@dataclass(frozen=True)
class ReadingRules:
    """Everything language-specific about reading a message (see the module docstring).

    Word sets hold folded words; phrases are tuples of them. The ``*_pattern`` fields
    are regular expressions over the raw text (segments) or over the folded words
    joined by single spaces (the others).
    """

    language: Language
    analyzer: Analyzer
    # -- segments: roles of sentences and clauses
    question_starts: frozenset[str]
    request_markers: Phrases
    context_openers: Phrases
    leading_filler: frozenset[str]
    imperatives: frozenset[str]
    wanting: frozenset[str]
    wanted_to: frozenset[str]
    declined: Phrases
    relative_starts: frozenset[str]
    wh_starts: frozenset[str]
    direct_after_wh: frozenset[str]
    auxiliaries: frozenset[str]
    bare_verbs: frozenset[str]
    salutation: tuple[str, ...]
    abbreviations: frozenset[str]
    ending_abbreviations: frozenset[str]
    lead_ins: frozenset[str]
    prepositions: frozenset[str]
    # Second words that make a clause a remark ("cant find it", "kan ikke finde").
    negated_second: frozenset[str]
    # Openers of a farewell that asks nothing ("have a lovely day").
    farewell_openers: Phrases
    # Splitting sentences into clauses (regular expressions over the raw text).
    clause_always_pattern: str
    clause_start_pattern: str  # holds "{starts}": the question starts
    trailing_and_pattern: str
    # "Hvor stor en andel af henholdsvis R&D-udgifterne og markedsværdien ...?": a head
    # ending at a preposition, shared by the two items after "henholdsvis"; groups
    # ``head``, ``first``, ``and`` (the word between the items), ``second``.
    distributed_pattern: str
    aside_pattern: str
    politeness_pattern: str
    politeness_hints: tuple[str, ...]  # every politeness formula holds one
    # Punctuation said aloud to a phone's dictation ("... grundlagt spørgsmålstegn"):
    # each word and the mark it stands for.
    dictated_marks: Mapping[str, str]
    # -- follow-ups
    ellipsis_openers: Phrases
    function_words: frozenset[str]
    what_it_does_pattern: str
    doing_words: tuple[str, ...]  # searched for "what does MassBio do"
    # -- aboutness
    negations: frozenset[str]
    generic_heads: frozenset[str]
    comparison_words: frozenset[str]
    before_words: frozenset[str]
    source_words: frozenset[str]
    according_to: Phrases
    # Openings of a sentence that remarks on the bot or its answers ("you have been",
    # "it was"): beside thanks and without a question, such a sentence asks nothing.
    statement_openers: Phrases
    # -- the answering core
    name_openers: frozenset[str]
    figure_pattern: str  # a figure in an answer (raw text, case-insensitive)
    wants_figure_pattern: str  # a question asking for one
    yes_no_starts: frozenset[str]
    ordinals: Mapping[str, int]
    referring_words: frozenset[str]
    referring_back: frozenset[str]
    # A figure's head nouns that, definite, point back too: "Might I trouble you for the
    # precise proportion?" after a sentence naming the share ("andelen", "tallet").
    referring_heads: frozenset[str]
    question_words: frozenset[str]
    meta_tokens: frozenset[str]  # stems (or synonym tokens) that ask without content
    question_tokens: frozenset[str]  # stems of question words, weighed lightly
    and_words: frozenset[str]  # "and Medicon Valley Alliance, when ...?"
    or_words: frozenset[str]
    name_connectors: tuple[str, ...]  # words inside a run of capitals ("of", "and")
    # "since 2009": the years after the end of what an entry covers.
    after_words: frozenset[str] = frozenset()
    # The question starts, and the question words with wh_starts, as reading.yaml
    # writes them (not folded: "när", not "nar"), for the patterns that split clauses in
    # the text as typed; empty: ``question_starts`` and the English statement starts.
    written_starts: tuple[str, ...] = ()
    written_wh: tuple[str, ...] = ()
    # "since then", "before that": the time the question before named.
    then_words: frozenset[str] = frozenset()
    # "before the year 2000", "før år 2000": words that may stand between a before or
    # after word and its year.
    year_words: frozenset[str] = frozenset()
    # "how many companies in Copenhagen, and how many drugs in development there?": a
    # later part with one of these and no place of its own is about the place before.
    there_words: frozenset[str] = frozenset()
    # Question words asking for a person, a place or a time: of entries about as
    # confident, the one whose own question opens with the word asked answers.
    typed_question_words: frozenset[str] = frozenset()
    # "anything you can tell me is useful", "I will share whatever you tell me": a
    # request after one of these asks nothing of its own.
    free_choice: frozenset[str] = frozenset()
    # "your article about the ambassador": a subject after one of ``about_words`` after
    # one of ``text_words`` is what the text is about, not what is asked about.
    about_words: frozenset[str] = frozenset()
    text_words: frozenset[str] = frozenset()
    # Verbs that report a question ("my son asked me at breakfast how much the cluster
    # grew"): the question word after them asks, though the sentence is a statement.
    asking_verbs: frozenset[str] = frozenset()
    # Words after which a question word starts no question of its own, though nothing
    # marks where one ends: "I'd like to know what is ..." asks one thing; "who is the
    # ambassador in boston what is mass bio" (no punctuation: a phone, dictation) two.
    knowing_verbs: frozenset[str] = frozenset()
    # The writer as subject: "what I do not get is the structure" states; "hvornår blev
    # den mass bio egentlig startet jeg har lovet ham at finde ud af det": where no
    # punctuation marks it, the writer and a verb start a statement of theirs (unless
    # ``unmarked_statements`` is off: English drops "that", "anywhere I can read more").
    first_person: tuple[str, ...] = ()
    unmarked_statements: bool = True
    # Words that open a clause inside a sentence ("hvis", "om"): "... ansøgningsfrist
    # hvis jeg vil have hjælp" goes on after one, no statement of the writer's starts.
    subordinators: frozenset[str] = frozenset()
    # Verbs after a subject that follows another with no relative word between them: a
    # relative clause all the same ("the ambassador MVA has in Boston", "ambassadøren
    # MVA har i Boston"), whose subject qualifies nothing.
    clause_verbs: frozenset[str] = frozenset()
    # Question words that ask for a kind of thing: a subject's word right after one is
    # the kind asked for ("Which region does he represent?"), not what is asked about.
    which_words: frozenset[str] = frozenset()
    # The writer's own: an attribute right after one is the writer's, not asked of the
    # subject ("my boss wants to know whether MVA has an ambassador in San Diego").
    own_words: frozenset[str] = frozenset()
    # Words opening a condition: "If they want help from the ambassador to meet
    # partners, how much does it cost?" asks the cost; the condition is its context.
    condition_words: frozenset[str] = frozenset()
    # Words asking for a name as a question word asks who ("Navnet på ambassadøren i
    # Boston – og hans telefonnummer?" asks for the name, which is known).
    naming_words: frozenset[str] = frozenset()
    # Thanks and sign-offs: one at the end of a question no punctuation marks ends it
    # ("where is he based thank you so much po god bless").
    sign_offs: Phrases = ()
    # Words after which a capitalised word is a person the writer names, never a body
    # the knowledge base does not know ("Name's Bo Callahan", "min veninde Pipaluk").
    person_introducers: tuple[str, ...] = ()
    # "the ambassador in Singapore": a preposition between a subject and a place.
    place_prepositions: frozenset[str] = frozenset()
    # "the ambassador for Medicon Valley": a subject after one of these and another
    # subject qualifies that one.
    title_links: frozenset[str] = frozenset()
    # -- texts the reading puts into replies
    years_before: str = "the years before {year}"
    years_after: str = "the years since {year}"
    decade: str = "the {decade}0s"
    unnamed_subject: str = "that"
    source_label: str = "Source"
    months: tuple[str, ...] = tuple(
        "January February March April May June July August September October November "
        "December".split()
    )

    def human_date(self, year: int, month: int, day: int) -> str:
        """'4 July 2011' (English), '4. juli 2011' (Danish), '4 juli 2011' (Swedish)."""
        dot = "." if self.language is Language.DA else ""
        return f"{day}{dot} {self.months[month - 1]} {year}"


def _phrases(items: Iterable[str]) -> Phrases:
    return tuple(tuple(m.split()) for m in items)


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- English, as issue 10 tuned it ----------------------------------------------------

_EN_QUESTION_STARTS = _set(
    "who whos what whats wat when where wheres why how hows which whose whom whether "
    "is are was were do does did can could will would should may might has have had "
    "wondering"
)
_EN_REQUEST_MARKERS = (
    "tell me",
    "tell us",
    "explain",
    "describe",
    "give me",
    "let me know",
    "like to know",
    "want to know",
    "need to know",
    # "He wanted to know which organisation ...": someone's question, reported (not
    # "he wants to know", often what the writer goes on to ask in words of their own).
    "wanted to know",
    "needed to know",
    "like to learn",
    "like to understand",
    "need to understand",
    "i require",
    "we require",
    # "It would assist my understanding if you could set out the levels ..."
    "if you could set out",
    "if you could outline",
    "if you could explain",
    "if you could describe",
    "if you could tell",
    "it would assist",
    # "I wish to inquire whether MassBio is a not-for-profit organization, and ..."
    "wish to inquire",
    "wish to enquire",
    "wish to know",
    # "I should be obliged to learn how many ...": the old formula
    "obliged to learn",
    "obliged to know",
    "obliged if you",
    "want to understand",
    "i wonder",
    "wondering",
    # "curious about ...", not "my boss got curious" or "a curious reporter"
    "curious about",
    "curious to",
    "curious whether",
    "curious if",
    "curious what",
    "curious how",
    "curious as to",  # "I am curious as to what, in your view, is ..."
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
    "grateful if you could",
    "grateful if you would",
    "grateful if someone could",
    "grateful if you can",
    "like to ask",  # "I'd like to ask how many ..."
    "want to ask",
    "wanted to ask",
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
# Openings of context: greetings, introductions, background, thanks and sign-offs.
_EN_CONTEXT_OPENERS = (
    # "Before I go chapping on anyone's door, what is it they do?": when, not what
    "before i",
    "before we",
    "hi",
    "hello",
    "hey",
    "hiya",
    "heya",
    "howdy",
    "yo",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "good day",
    "greetings",
    # Exclamations: "What a lovely day it is in Lund!" asks nothing.
    "what a",
    "what an",
    "how nice",
    "how lovely",
    "how wonderful",
    "how great",
    "how exciting",
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
_EN_CLAUSE_ALWAYS = (
    # "as well as" before a clause, not before a word or two ("does the figure include
    # pharmaceuticals as well as biotech?").
    r",\s*and\s+(?:also\s+)?| and\s+(?=of\b)|,?\s+as well as\s+(?=\S+\s+\S+\s+\S)|"
    # "Kindly inform annual employment growth ... and also biotech share of ...".
    r" and also\s+(?=\S+\s+\S+\s+\S)|"
    # "(a) ... and (b) ...", "where is he based + whats his email", "... and provide":
    # enumerations, plus signs and requests in the imperative start clauses too.
    # Not the "&" of "r & d".
    r" \s*\(?\b[b-e2-5]\)\s+|\(\b[b-e2-5]\)\s+| \+\s+|(?<!\br) &\s+|"
    # Not the noun: "in which city and state is he stationed?"
    r" and\s+(?=(?:provide|give|tell|confirm|state|list|explain|describe|share|send)\b"
    r"(?!\s+(?:is|are|was|were)\b))|"
    # "Dear Sir or Madam, in which city ...?": the salutation that opens a letter is
    # none of its question's words.
    r"^\s*dear\b[^,.;:?!]{0,30},\s*|"
    # A trailing "..., thx v much" or ", please" is a sign-off of its own; "Dear
    # Sir/Madam, kindly advise ..." a salutation.
    r",\s*(?=(?:(?:both|all|each)\s+)?(?:thx|thanks|thank you|ty|cheers|pls|please|plz|"
    r"kindly(?=\s\w))\b)|"
    r",\s*(?=or\s+(?:is|are|was|were|does|do|did|can|will|would|should|has|have)\b)|"
    # "when was massbio founded and is it for profit or not": an auxiliary before a
    # pronoun is a yes-no question of its own, with or without a question mark.
    r" and\s+(?=(?:is|are|was|were|does|do|did|can|could|will|would|has|have)\s+"
    r"(?:it|they|he|she|there)\b)|"
    # "I have the number of companies already, but I need the growth figure": what the
    # writer has is context, what they need is the question.
    # "..., but for the historical context I'd like the year": so is a purpose before it.
    r",?\s+but\s+(?=(?:for [^,.;?!]{1,40}? )?"
    r"i(?: need| want| would like|'d like|’d like| am looking for)\b)|"
    # "what is the principal task of the ambassador, I read something about money ...":
    # what the writer read or heard is a clause of its own.
    r",\s*(?=i (?:read|heard|saw) (?:something|somewhere|that|about|online)\b)|"
    # "I don't need the whole story, just whether there is a formal agreement": what is
    # turned down is not what is asked.
    r",\s*(?=(?:just|only|simply)\s+(?:whether|if|what|who|when|where|how|which)\b)|"
    # "... a guy from Medicon Valley who helps companies, so my question is how ...":
    # what comes before the announced question is background.
    r",\s*(?:so\s+|and\s+|anyway\s+)?(?=(?:my|our|the) (?:question|query) (?:is|was)\b)|"
)
_EN_CLAUSE_START = (
    r",\s*(?:also\s+|plus\s+|but\s+)?(?={starts})|"
    # "... in Boston and for how many years will he stay there?": a preposition may
    # stand before the question word.
    r" (?:and|n|plus|but)\s+(?:also\s+)?"
    r"(?:(?:for|in|with|at|from|since|until|by|to|about|on)\s+(?={starts}))?(?={starts})"
)
# An aside ends at a comma, or at the end of its sentence: "..., om jag får be om
# namnet?" ("..., if I may ask the name?").
_ASIDE_END = r"(?:,|(?=\s*[?.!]*\s*$))"
_EN_ASIDE = (
    r", ?(?:if you (?:happen to )?know|if known|if possible|if i may (?:ask|say so)|"
    r"if you (?:do not|don't) mind|please|pray|by the way|out of (?:interest|curiosity)|"
    r"i wonder|i suppose|roughly|approximately|in total|in all|all told|altogether|"
    r"in essence|in a nutshell|in short|in brief)" + _ASIDE_END
)
# Formulas of politeness that say nothing of what is asked; they are dropped from a
# question before its words are read ("Would you be good enough to tell me the name").
_EN_POLITENESS = (
    r"\b(?:would|could|will|can) you (?:please |kindly )?be (?:so )?(?:good|kind)"
    r"(?: enough)?(?: as)? to\b|"
    r"\bi (?:would|should|'d) be (?:very |most )?grateful if you (?:could|would)\b|"
    r"\bit would (?:\w+ )?(?:assist|help) (?:my|our) understanding(?: \w+)? if you could\b|"
    r"\bin plain terms\b|"
    r"\b(?:i|we) (?:would|should|'d) be (?:very |much |most )?obliged (?:to (?:learn|know|hear)|"
    r"if you (?:could|would))\b|"
    r"\b(?:may|might|could|can) i (?:please )?(?:ask|enquire|inquire)(?: you)?\b|"
    r"\b(?:i|we) wish to (?:ask|enquire|inquire|know)\b|"
    r"\bif i may (?:also )?ask\b|\bif you (?:do not|don't) mind\b|"
    r"\bi (?:would|'d) (?:like|love) to (?:ask|know)\b|"
    # "He wants to know how much ...": someone else's question; "he" is not the ambassador.
    r"\b(?:he|she|they) (?:wants?|wanted|would like|would love|needs?|needed) to know\b|"
    r"\b(?:he|she|they) (?:is |are )?(?:asks?|asking|wonders?|wondering)\b|"
    r"\bi (?:was|am) wondering (?:if|whether) you (?:could|would|might)\b|"
    # "per your information", "to your knowledge": where the answer comes from, not
    # something asked about the bot.
    r"\b(?:per|according to|from|to|in) your (?:information|knowledge|records|data)\b|"
    # "According to your article, what proportion is that?": "according" shares its
    # stem with "accord", an agreement.
    r"\b(?:per|according to) (?:your|the|this|that|mva's|mva’s) "
    r"(?:article|text|piece|figures|numbers|source)\b|"
    r"\bas far as you know\b|"
    # "Please advise as to the full formal name of the organization referred to as
    # MassBio": the formula around what is asked, and what the writer calls it.
    r"\b(?:(?:please|kindly) )?advise(?: me| us)? (?:as to|on|regarding|of)\b|"
    r"\b(?:referred to|known|called|named) as\b|"
    # "pls send info abt how many members massbio has": the request around the question.
    r"\b(?:(?:please|pls|plz) )?(?:send|give|share)(?: me| us)? (?:some )?"
    r"(?:info|information|details)(?: (?:about|abt|on|regarding|re))?\b|"
    # "info abt massbio pls thx": the request, not the information MassBio provides,
    # and the thanks after it.
    r"^\s*(?:(?:please|pls|plz) )?(?:some )?(?:info|information|details) "
    r"(?:about|abt|on|regarding|re)\b|"
    r"\b(?:please )?(?:thanks|thank you|thx)(?: (?:so|very) much)?\W*$|"
    # "... job of the boston ambassador from an investor pov": whose view it is asked
    # from, not what is asked.
    r"\bfrom (?:an? |the |my |our |a \w+ )?(?:\w+(?:'s|’s|s')? )?"
    r"(?:pov|point of view|perspective|standpoint)\b|"
    # "typing on my phone": how the message was written, not a phone number asked for.
    r"\b(?:typing|writing|texting|sent|sending)(?: this)? (?:on|from) (?:my |a )?"
    r"(?:phone|mobile|cell)\b|"
    # "Am I right that ...?", "..., if I have understood it correctly?": a request to
    # confirm asks the same as the plain question.
    r"\b(?:am i right|is it (?:true|correct|right)|(?:can|could) you confirm|"
    r"would it be (?:correct|right) to say)(?: in thinking)?(?: that)?\b|"
    r"\bif i (?:have understood|understand|understood)(?: (?:it|that|this))? (?:correctly|right)\b|"
    r"\bif i(?: a|')m not mistaken\b|\bcorrect me if i(?: a|')m wrong\b|"
    # "..., because if investment is one of them I will mention it": why it is asked.
    r",\s*because\b(?! of\b).*$|"
    # "Need it for my sources list.", "I need this for the business plan": what the
    # answer is for.
    r"^\s*(?:i |we )?need (?:it|this|that|them|these|those|both) (?:for|by|in|before)\b.*$|"
    r"^\s*(?:i |we )?need (?:a|an|the|some) \w+ for (?:comparison|my|our|the|a|an)\b.*$|"
    # "what is this MassBio that everybody talking about?": who talks of it, no question
    r"\s(?:that|which) (?:every(?:body|one)|people|they)(?: is| are| keep| keeps)? "
    r"(?:talking|talk|talks|going on) about\b|"
    # "..., since my figures are quite old", "..., as we will compare it with Skåne": the same.
    r",\s*(?:since|as) (?:my|our|we|i)\b.*$|"
    # "Before I propose anything to our board, I would need to understand if ...": when
    # or why the writer asks, not what.
    r"^\s*(?:before|when|once|while|since|because|as soon as) (?:i|we)\b[^,]*,\s*|"
    # "In this connection, I should be grateful ...": a link to the context before.
    r"^\s*in (?:this|that) (?:connection|regard|respect|context),\s*|"
    # "For the section on scale, I need to know ...": what the answer is for.
    r"^\s*for (?:the|a|an|our|my|this|that|his|her|their) [^,?]{1,40},\s*"
    r"(?=(?:i|we) (?:need|want|would|'d|am|are)\b|could\b|can\b|would\b|please\b|"
    r"what\b|how\b|who\b|when\b|where\b|which\b)"
)
_EN_POLITENESS_HINTS = (
    "good", "kind", "grateful", "ask", "enquire", "inquire", "mind", "like to", "love to",
    "wondering", "your information", "your knowledge", "your records", "your data",
    "as far as", "right", "true", "correct", "confirm", "understand", "understood",
    "mistaken", "wrong", "phone", "mobile", "cell", "because", "for ", "since ", "as ",
    "send", "give", "share", "in this", "in that", "per ", "according", "know", "ask",
    "wonder", "advise", "before ", "when ", "once ", "while ", "everybody", "everyone",
    "people ", "obliged", "understanding", "plain terms", "info", "details", "thank",
    "pov", "point of view", "perspective", "standpoint",
)  # fmt: skip

_LOOSE = {
    "å": "(?:å|aa|a)",
    "æ": "(?:æ|ae|a)",
    "ø": "(?:ø|oe|o)",
    "ä": "(?:ä|a)",
    "ö": "(?:ö|o)",
}


def loose(phrase: str) -> str:
    """A regular expression for ``phrase`` in raw text, spaces as any whitespace and
    each letter a writer may leave out matched in any of its spellings."""
    out = []
    for word in phrase.casefold().split():
        out.append("".join(_LOOSE.get(ch, re.escape(ch)) for ch in word))
    return r"\s+".join(out)


def _date_day(months: Sequence[str]) -> str:
    """A lookahead that no number starts a date: "4 July 2011", "4. juli", "04.07.2011"
    give a day, not a figure."""
    return rf"(?!\d{{1,2}}\.?\s+{_alternation(months)}\b)(?!\d{{1,2}}\.\d{{1,2}}\.\d{{4}})"


def _alternation(phrases: Iterable[str]) -> str:
    found = sorted({loose(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(found) + ")" if found else "(?!)"


_EN_MONTHS = (
    "january february march april may june july august september october november december"
).split()

ENGLISH_READING = ReadingRules(
    language=Language.EN,
    analyzer=ENGLISH,
    question_starts=_EN_QUESTION_STARTS,
    request_markers=_phrases(_EN_REQUEST_MARKERS),
    context_openers=_phrases(_EN_CONTEXT_OPENERS),
    # "ooh, and how many are there in Edinburgh?", "great whats his email": an
    # interjection asks nothing.
    leading_filler=_set(
        "and also plus so but then just ok okay well oh ooh ah aha wow hmm hm please pls kindly "
        "likewise similarly furthermore moreover additionally great cool perfect awesome"
    ),
    # Requests in the imperative: "Please state the number of ...", "Describe ...".
    imperatives=_set(
        "provide give tell confirm state list explain describe share send name summarise "
        "summarize outline clarify inform advise indicate specify need want "
        # "ring me when u get a sec, 617-...": asking to be contacted
        "ring call phone email contact text"
    ),
    # "need to know", "want to find out" ask; "need to put it in the budget" does not.
    wanting=_set("need want"),
    wanted_to=_set("know find learn understand get see check confirm hear ask read"),
    # A request turned down: "I know roughly what they do, no need to explain."
    declined=(("no", "need"), ("don", "t", "need"), ("dont", "need"), ("not", "necessary")),
    # Question words that open a relative clause after a comma ("..., which is great")
    # and the words after which a question word asks directly ("what is", "how many"),
    # not inside a statement ("... and how they spend their money.").
    relative_starts=_set("which who whose whom"),
    clause_verbs=_set("has have had chose"),
    which_words=_set("which what"),
    own_words=_set("my our"),
    condition_words=_set("if"),
    naming_words=_set("name"),
    wh_starts=_set("what whats wat when where wheres why how hows whether"),
    direct_after_wh=_set(
        "is are was were do does did can could will would should has have had s re "
        "many much long big large old often far exactly"
    ),
    # An auxiliary followed by a bare verb has no subject: a statement without "I"
    # ("Will use it to size the list", "Would appreciate a short answer").
    auxiliaries=_set("will would can could should shall may might must"),
    bare_verbs=_set(
        "use be need appreciate try keep share send pass forward circulate cite quote "
        "include report put follow check come go get take make let love like compare write "
        "mention"
    ),
    salutation=tuple("to whom it may concern".split()),
    abbreviations=_set("mr mrs ms dr st prof vs etc approx eg ie inc ltd no mass"),
    ending_abbreviations=_set("etc"),  # may end a sentence: "... etc. Need the"
    # Words opening a short lead-in of a question: "In absolute terms, how many ...?",
    # "before he became ambassador, which firm did he work at?"
    lead_ins=_set("in for on at by according as regarding concerning apart besides before"),
    # "With which organisation ...?", "In what year ...?"
    prepositions=_set("with in on at to for from by of about since until"),
    negated_second=_set("not t"),
    farewell_openers=(("have", "a"),),
    clause_always_pattern=_EN_CLAUSE_ALWAYS,
    clause_start_pattern=_EN_CLAUSE_START,
    trailing_and_pattern=r"\s+(?:and|or|plus)$",
    distributed_pattern=r"(?!)",  # English writes "respectively" after the items
    aside_pattern=_EN_ASIDE,
    politeness_pattern=_EN_POLITENESS,
    politeness_hints=_EN_POLITENESS_HINTS,
    # "period" and "comma" are words of an enquiry too ("the period 2000-2009").
    dictated_marks={"full stop": ".", "question mark": "?", "exclamation mark": "!"},
    ellipsis_openers=(("and",), ("also",), ("what", "about"), ("how", "about"), ("plus",)),
    # Words that carry no content of their own in a follow-up: question words and fillers.
    function_words=_set(
        "what whats how who when where which why is are was were does do did the a an of "
        "in at for to on it its he his him they their them she her and also about then "
        "there many much any so ok please thanks one ones"
    ),
    # Not "do not": "whats massbio stand for, dont know the abbreviation".
    what_it_does_pattern=(
        r"\bwhat (?:does|do|did|will|would|is) (?:\w+ ){1,7}(?:do|doing)\b(?! not\b)"
        # "what kind of work MassBio does"
        r"|\bwhat (?:kind|sort|type)s? of (?:work|things|stuff) (?:\w+ ){0,4}(?:does|do|did)\b"
        # "what this MassBio organisation actually works to do"
        r"|\bwhat (?:\w+ ){1,5}(?:works|exists|is there|is meant|is supposed) to do\b"
    ),
    doing_words=("activities", "tasks"),
    negations=_set("not no nor"),
    # Words after a name that do not make it a qualifier: "the Medicon Valley region".
    generic_heads=_set("region state cluster area"),
    comparison_words=_set(
        "compared compare comparison comparing versus vs than relative against same"
    ),
    before_words=_set("before pre prior until till earlier"),
    after_words=_set("since after"),
    then_words=_set("then that this"),
    # Also what a follow-up asks the years of the answer before with ("over which years").
    year_words=_set("the year years period"),
    there_words=_set("there"),
    typed_question_words=_set("who where when"),
    free_choice=_set("anything whatever everything"),
    about_words=_set("about on regarding concerning announcing introducing presenting"),
    place_prepositions=_set("in for at"),
    title_links=_set("for to of by"),
    text_words=_set("article text piece story news announcement interview release source"),
    asking_verbs=_set("asked asks wondered wonders inquired enquired"),
    knowing_verbs=_set(
        "know knows knew wonder wondering understand understood sure idea clue explain "
        "explains tell telling told ask asking say says said mean means curious unclear "
        "confused check find figure learn describe confirm remember forget forgot see "
        "about on of is was"
    ),
    first_person=("i", "we"),
    unmarked_statements=False,
    sign_offs=_phrases(["thank you", "thanks", "thx", "many thanks", "cheers", "god bless"]),
    person_introducers=(
        "my name is",
        "name's",
        "name is",
        "i'm",
        "i am",
        "this is",
        "it's",
        "it is",
        "my friend",
        "my colleague",
        "my son",
        "my daughter",
        "my wife",
        "my husband",
        "my boss",
        "my mum",
        "my mom",
        "my dad",
        "my teacher",
        "my neighbour",
        "my neighbor",
        "my grandson",
        "my granddaughter",
    ),
    # "according to MVA", "does MVA attribute", "MVA's article says": a name as the
    # source of what is asked about, not its subject.
    source_words=_set(
        "say says said state states stated report reports reported attribute attributes "
        "attributed mention mentions mentioned write writes wrote claim claims describe "
        "describes article publish publishes published announce announces announced "
        "piece text story news release"
    ),
    # "# biotech cos per MVA?"
    according_to=(
        ("according", "to"),
        ("announced", "by"),
        ("reported", "by"),
        ("stated", "by"),
        ("published", "by"),
        ("given", "by"),
        ("per",),
    ),
    statement_openers=tuple(
        tuple(p.split())
        for p in (
            "you have, you ve, you were, you are, you re, it was, it s been, it has been, "
            "that was, that s been, that has been, this was, this has been, they were, "
            "they have been, those were, these were, your answers, your answer, your help, "
            "the answers, the answer, the information, the info"
        ).split(", ")
    ),
    # Words that may open a run of capitals without being part of a name.
    name_openers=_set("dear hi hello hey hiya heya howdy yo thanks mr mrs ms dr prof"),
    # A figure in an answer: a number that is not a year (every answer says 2011), or a
    # number word.
    figure_pattern=(
        r"\b(?<!\d\.)(?!(?:19|20)\d\d\b)"
        + _date_day(_EN_MONTHS)
        + r"\d+|\b(?:two|three|four|five|six|seven|eight|nine|ten|half)\b"
    ),
    # Questions whose answer is a figure: "how many", "what share", "what percentage".
    wants_figure_pattern=(
        r"\bhow (?:many|much)\b|\bwhat (?:share|percentage|proportion|percent|part of|fraction)\b"
        r"|\bnumber of\b|\bhow (?:big|large) a (?:share|part|slice)\b"
        # a keyword fragment: "Biotech share of Danish venture-capital investment?"
        r"|\b(?:share|percentage|proportion) of\b"
    ),
    yes_no_starts=_set("is was are were did does do has have had can could will would"),
    # "the last of those": the last of the follow-ups (-1).
    ordinals={"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1},
    referring_words=_set("those these them one ones of"),
    # Words by which a question points at what the sentence before it says ("... an
    # in-depth report coming out. is there one planned?": one, a report).
    referring_back=_set("it that this those these they them one"),
    referring_heads=_set("proportion share figure percentage percent number amount total"),
    question_words=_set("what whats where wheres when who whos which how hows why"),
    # Stems that ask without saying what about: a part of only these is skipped.
    meta_tokens=_set(
        "what how who when where which why ask question wonder one possibl right correct "
        "mean sure okay ok thank thanks sorri quick also again call name "
        # "... - what is the figure?": asking for the fact the part before names
        "figur number answer fact detail syn:statist exact syn:inform"
    ),
    question_tokens=_set("what how who when where why which whose mani much one"),
    and_words=_set("and"),
    or_words=_set("or"),
    name_connectors=("of", "for", "and", "&"),
)


# -- loading reading.yaml --------------------------------------------------------------

_LIST_KEYS = (
    "stop_words question_starts request_markers context_openers leading_filler imperatives "
    "wanting wanted_to declined relative_starts wh_starts direct_after_wh auxiliaries "
    "bare_verbs abbreviations ending_abbreviations lead_ins prepositions negated_second "
    "farewell_openers clause_and clause_also clause_plus clause_but clause_or "
    "clause_as_well_as clause_but_requests clause_imperatives sign_offs asides politeness "
    "reason_clauses ellipsis_openers dictated_marks "
    "function_words what_it_does doing_words negations generic_heads comparison_words "
    "before_words after_words then_words year_words there_words typed_question_words "
    "free_choice about_words "
    "text_words asking_verbs knowing_verbs first_person subordinators clause_verbs "
    "which_words own_words condition_words naming_words person_introducers "
    "place_prepositions "
    "title_links source_words according_to statement_openers name_openers number_words "
    "wants_figure "
    "yes_no_starts referring_words referring_back referring_heads question_words "
    "quantity_words meta_words "
    "name_connectors months ordinals"
).split()
# Lists of one text.
_TEXT_KEYS = "salutation years_before years_after decade unnamed_subject source_label".split()
_REQUIRED = (
    "stop_words question_starts request_markers context_openers clause_and clause_or "
    "question_words wants_figure months source_label years_before decade"
).split()
Problem = tuple[str, str]  # (the list's name, what is wrong with it)
_MARKS = (".", ",", "?", "!")  # what a dictated_marks word may stand for


def rules_from(
    lists: Mapping[str, Sequence[str]], language: Language
) -> tuple[ReadingRules | None, list[Problem]]:
    """``ReadingRules`` from the named lists of a reading.yaml (``KnowledgeBase.reading``),
    or None and what is wrong with them."""
    problems: list[Problem] = []
    for key in lists:
        if key not in _LIST_KEYS and key not in _TEXT_KEYS:
            problems.append((key, f"unknown list {key!r}"))
    for key in _REQUIRED:
        if not lists.get(key):
            problems.append(("", f"missing list {key!r}"))
    for key in _TEXT_KEYS:
        if len(lists.get(key, ())) > 1:
            problems.append((key, f"{key} is one text"))
    if lists.get("months") and len(lists["months"]) != 12:
        problems.append(("months", "months lists the twelve month names"))
    texts = {key: (lists.get(key) or [""])[0] for key in _TEXT_KEYS}
    for key, placeholder in (
        ("years_before", "{year}"),
        ("years_after", "{year}"),
        ("decade", "{decade}"),
    ):
        if texts[key] and placeholder not in texts[key]:
            problems.append((key, f"{key} must hold {placeholder}"))
    marks: list[tuple[str, str]] = []
    for item in lists.get("dictated_marks", ()):
        said, _, mark = str(item).rpartition(" ")
        if not said.strip() or mark not in _MARKS:
            problems.append(
                ("dictated_marks", f"{item!r} is not a word and one of {' '.join(_MARKS)}")
            )
        else:
            marks.append((said.strip().casefold(), mark))
    if problems:
        return None, problems
    get = {key: list(lists.get(key, ())) for key in _LIST_KEYS}

    analyzer = Analyzer(SNOWBALL[language], get["stop_words"])
    fold = analyzer.words

    def word_set(key: str) -> frozenset[str]:
        return frozenset(w for item in get[key] for w in fold(item))

    def phrases(key: str) -> Phrases:
        return tuple(p for item in get[key] if (p := tuple(fold(item))))

    def joined(key: str) -> list[str]:
        return [" ".join(p) for p in phrases(key)]

    def stems(key: str) -> frozenset[str]:
        return frozenset(analyzer.stem(w) for w in word_set(key))

    def written(*keys: str) -> tuple[str, ...]:
        return tuple(
            sorted({w.casefold() for key in keys for item in get[key] for w in item.split()})
        )

    question_words = word_set("question_words")
    ands, ors = get["clause_and"], get["clause_or"]
    also = get["clause_also"]
    also_opt = rf"(?:{_alternation(also)}\s+)?" if also else ""
    joiners = [*ands, *also, *get["clause_plus"], *get["clause_but"]]
    as_well_as = _alternation(get["clause_as_well_as"])
    clause_always = (
        rf",\s*{_alternation(ands)}\s+{also_opt}|"
        + (rf",?\s+{as_well_as}\.?\s+(?=\S+\s+\S+\s+\S)|" if get["clause_as_well_as"] else "")
        + r" \s*\(?\b[b-e2-5]\)\s+|\(\b[b-e2-5]\)\s+| [+&]\s+|"
        + (
            rf" {_alternation(ands)}\s+(?={_alternation(get['clause_imperatives'])}\b)|"
            if get["clause_imperatives"]
            else ""
        )
        + (rf",\s*(?={_alternation(get['sign_offs'])}\b)|" if get["sign_offs"] else "")
        # "..., men jag är osäker på vad plattformsnivån handlar om": what the writer has
        # is context, what they are unsure of or need is the question.
        + (
            rf",?\s+{_alternation(get['clause_but'])}\s+"
            rf"(?={_alternation(get['clause_but_requests'])}\b)|"
            if get["clause_but_requests"] and get["clause_but"]
            else ""
        )
        + (
            rf",\s*(?={_alternation(ors)}\s+{_alternation(get['yes_no_starts'])}\b)|"
            if get["yes_no_starts"]
            else ""
        )
    )
    # "... anmode om oplysning om, med hvilken organisation ...": after a comma too, a
    # preposition may stand before the question word.
    before_wh = (
        rf"(?:{_alternation(get['prepositions'])}\s+(?={{starts}}))?" if get["prepositions"] else ""
    )
    clause_start = (
        rf",\s*(?:{_alternation([*also, *get['clause_plus'], *get['clause_but']])}\s+)?"
        + before_wh
        + r"(?={starts})"
        # "... publicerades och av vem?": a preposition may stand before the question word.
        + rf"| {_alternation(joiners)}\s+{also_opt}"
        + before_wh
        + r"(?={starts})"
    )
    politeness = get["politeness"]
    reasons = get["reason_clauses"]
    number_words = joined("number_words")
    # "hvad ... gøre": up to seven words between ("hvad kan ambassadøren gøre for os").
    what_it_does = [
        r"(?:\w+ ){0,7}".join(
            re.escape(" ".join(fold(piece))) + (" " if n < 1 else "")
            for n, piece in enumerate(item.split("..."))
        )
        if "..." in item
        else re.escape(" ".join(fold(item)))
        for item in get["what_it_does"]
    ]
    rules = ReadingRules(
        language=language,
        analyzer=analyzer,
        question_starts=word_set("question_starts") | question_words,
        request_markers=phrases("request_markers"),
        context_openers=phrases("context_openers"),
        leading_filler=word_set("leading_filler"),
        imperatives=word_set("imperatives"),
        wanting=word_set("wanting"),
        wanted_to=word_set("wanted_to"),
        declined=phrases("declined"),
        relative_starts=word_set("relative_starts"),
        wh_starts=word_set("wh_starts"),
        direct_after_wh=word_set("direct_after_wh"),
        auxiliaries=word_set("auxiliaries"),
        bare_verbs=word_set("bare_verbs"),
        salutation=tuple(fold(texts["salutation"])),
        abbreviations=word_set("abbreviations"),
        ending_abbreviations=word_set("ending_abbreviations"),
        lead_ins=word_set("lead_ins"),
        prepositions=word_set("prepositions"),
        negated_second=word_set("negated_second"),
        farewell_openers=phrases("farewell_openers"),
        clause_always_pattern=clause_always,
        clause_start_pattern=clause_start,
        trailing_and_pattern=rf"\s+{_alternation([*ands, *ors, *get['clause_plus']])}$",
        distributed_pattern=(
            rf"^(?P<head>.*?\b{_alternation(get['prepositions'])})\s+"
            rf"{as_well_as}\.?\s+(?P<first>.+?)\s+(?P<and>{_alternation(ands)})\s+(?P<second>.+)$"
            if get["clause_as_well_as"] and get["prepositions"]
            else r"(?!)"
        ),
        aside_pattern=rf", ?{_alternation(get['asides'])}{_ASIDE_END}"
        if get["asides"]
        else r"(?!)",
        politeness_pattern="|".join(
            [
                *([rf"\b{_alternation(politeness)}\b"] if politeness else []),
                # "..., då vi ska jämföra med Skåne i en rapport": why it is asked.
                *([rf",\s*{_alternation(reasons)}\b.*$"] if reasons else []),
            ]
        )
        or r"(?!)",
        politeness_hints=_hints([*politeness, *reasons]),
        dictated_marks=dict(marks),
        ellipsis_openers=phrases("ellipsis_openers"),
        function_words=word_set("function_words") | question_words,
        what_it_does_pattern=rf"\b(?:{'|'.join(what_it_does)})\b" if what_it_does else r"(?!)",
        doing_words=tuple(w for item in get["doing_words"] for w in fold(item)),
        negations=word_set("negations"),
        generic_heads=word_set("generic_heads"),
        comparison_words=word_set("comparison_words"),
        before_words=word_set("before_words"),
        after_words=word_set("after_words"),
        written_starts=written("question_starts", "question_words"),
        written_wh=written("question_words", "wh_starts"),
        then_words=word_set("then_words"),
        year_words=word_set("year_words"),
        there_words=word_set("there_words"),
        typed_question_words=word_set("typed_question_words"),
        free_choice=word_set("free_choice"),
        about_words=word_set("about_words"),
        place_prepositions=word_set("place_prepositions"),
        title_links=word_set("title_links"),
        text_words=word_set("text_words"),
        asking_verbs=word_set("asking_verbs"),
        knowing_verbs=word_set("knowing_verbs"),
        first_person=tuple(get["first_person"]),
        subordinators=word_set("subordinators"),
        clause_verbs=word_set("clause_verbs"),
        which_words=word_set("which_words"),
        own_words=word_set("own_words"),
        naming_words=word_set("naming_words"),
        condition_words=word_set("condition_words"),
        sign_offs=phrases("sign_offs"),
        person_introducers=tuple(get["person_introducers"]),
        source_words=word_set("source_words"),
        according_to=phrases("according_to"),
        statement_openers=phrases("statement_openers"),
        name_openers=word_set("name_openers"),
        figure_pattern=r"\b(?<!\d\.)(?!(?:19|20)\d\d\b)"
        + _date_day(get["months"])
        + r"\d+"
        + (rf"|\b{_alternation(number_words)}\b" if number_words else ""),
        wants_figure_pattern=rf"\b{_alternation(joined('wants_figure'))}\b",
        yes_no_starts=word_set("yes_no_starts"),
        # "første, anden, tredje": the first, second and third follow-up.
        ordinals={w: n for n, item in enumerate(get["ordinals"]) for w in fold(item)},
        referring_words=word_set("referring_words"),
        referring_back=word_set("referring_back"),
        referring_heads=word_set("referring_heads"),
        question_words=question_words,
        meta_tokens=stems("meta_words") | stems("question_words"),
        # "hvor mange", "hur mycket": weighed as lightly as the question words.
        question_tokens=stems("question_words") | stems("quantity_words"),
        and_words=frozenset(w for item in ands for w in fold(item)),
        or_words=frozenset(w for item in ors for w in fold(item)),
        name_connectors=tuple(get["name_connectors"]),
        years_before=texts["years_before"],
        years_after=texts["years_after"] or ENGLISH_READING.years_after,
        decade=texts["decade"],
        unnamed_subject=texts["unnamed_subject"] or ENGLISH_READING.unnamed_subject,
        source_label=texts["source_label"],
        months=tuple(get["months"]),
    )
    return rules, []


def _hints(phrases: Sequence[str]) -> tuple[str, ...]:
    """A word of every phrase that any spelling of it holds as written (the longest
    without a letter writers leave out), or none at all when a phrase has no such word:
    then every text is searched."""
    hints = set()
    for phrase in phrases:
        plain = [w for w in phrase.casefold().split() if not set(w) & set(_LOOSE)]
        if not plain:
            return ()
        hints.add(max(plain, key=len))
    return tuple(sorted(hints))


def reading_rules(kb: KnowledgeBase) -> ReadingRules:
    """The reading vocabulary of ``kb``'s language: English's own (in code), or its
    reading.yaml; ``KnowledgeError`` (file:line) when that is missing or malformed."""
    if kb.language is Language.EN:
        return ENGLISH_READING
    rules, _ = rules_from(kb.reading, kb.language)
    if rules is None:
        raise KnowledgeError(reading_issues(kb))
    return rules


def reading_issues(kb: KnowledgeBase) -> list[KbIssue]:
    """What is wrong with the reading.yaml of every language of ``kb`` but English (for
    kb check and load), with file and line."""
    from bot.common.yamlfile import read_yaml  # only to point at a line: PyYAML waits

    issues: list[KbIssue] = []
    for language in kb.languages:
        translated = kb.translated(language)
        if language is Language.EN or translated.language is not language:
            continue
        path = translated.directory / READING_FILE
        name = _display(path)
        if not path.exists():
            issues.append(KbIssue(name, 1, "required file is missing: the reading vocabulary"))
            continue
        _, problems = rules_from(translated.reading, language)
        parsed, _ = read_yaml(path, name) if problems else (None, [])
        for key, message in problems:
            line = parsed.line_of(("reading", key) if key else ()) if parsed else 1
            issues.append(KbIssue(name, line, message))
    return issues


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
