"""What a question is about, and whether an entry covers it (near-miss detection).

"How many members does Medicon Valley Alliance have?" shares most of its words with
the entry on MassBio's members, and BM25 ranks that entry first; but the question
names another subject. The reading of a question (the subjects, attributes, places
and times it names, from knowledge/subjects.yaml) is held against the entry's own
``subject`` and ``attribute``: a question about something the entry is not about is
answered as not in the knowledge base, never with the neighbour's fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.common.languages import Language
from bot.common.textnorm import CASED_WORD
from bot.knowledge.model import Aboutness, Entry, Subject
from bot.knowledge.reading import ENGLISH_READING, ReadingRules

ELSEWHERE = "elsewhere"  # the subject id of organisations the knowledge base never describes
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DECADE = re.compile(r"^(?:19|20)\d0s$")
# The kinds of ``_where``'s names, and the name of the known places and sectors (no
# place or sector is written so).
_PLACE, _FROM, _SECTOR, _NOW, _FUTURE, _KNOWN = (
    "place",
    "from",
    "sector",
    "now",
    "future",
    "=known",
)
TITLE_GAP = 2  # words between a subject and the one it qualifies ("life science")


class Reason(StrEnum):
    SUBJECT = "subject"
    ATTRIBUTE = "attribute"
    PLACE = "place"
    TIME = "time"
    SECTOR = "sector"


def place_label(name: str) -> str:
    """A place as a reply names it: as subjects.yaml writes it when that has capitals
    ("NYC"), else with capitals ("new york": "New York")."""
    return name if name != name.lower() else name.title()


@dataclass(frozen=True)
class Mismatch:
    """Why an entry does not answer a question, and the words that show it."""

    reason: Reason
    subject: str = ""  # the label of what was asked about, when known
    attribute: str = ""
    place: str = ""
    time: str = ""
    sector: str = ""


@dataclass
class Reading:
    """What one question names. Sets of ids; places and times as typed."""

    subjects: list[str] = field(default_factory=list)  # in order of appearance
    attributes: set[str] = field(default_factory=set)
    known_places: set[str] = field(default_factory=set)
    other_places: list[str] = field(default_factory=list)
    # Places named by where something is from ("Danish": Denmark), as subjects.yaml
    # writes them: another place only for a figure.
    from_places: list[str] = field(default_factory=list)
    # A place-bound subject placed somewhere else ("the ambassador in Singapore").
    placed_elsewhere: str = ""
    # Sectors: whether one the figures are about is named ("biotech"), and the labels
    # of others named ("medical devices" for "medtech").
    known_sector: bool = False
    other_sectors: list[str] = field(default_factory=list)
    years: set[str] = field(default_factory=set)
    before: set[str] = field(default_factory=set)  # "before 2000": years asked before
    after: set[str] = field(default_factory=set)  # "since 2009": years asked after
    decades: set[str] = field(default_factory=set)  # "199" for "the 1990s"
    now: list[str] = field(default_factory=list)
    now_terms: list[str] = field(default_factory=list)  # the same, as subjects.yaml writes them
    future: list[str] = field(default_factory=list)  # "next year": after the source
    pronouns: list[str] = field(default_factory=list)
    compares: bool = False  # "compared with", "versus", "than"
    # Subjects named only to qualify the next one ("the Medicon Valley ambassador").
    modifiers: set[str] = field(default_factory=set)
    # Names the knowledge base never describes, as typed ("Harvard", "SwedenBIO").
    names: list[str] = field(default_factory=list)
    # Where each subject is named: (subject id, first word, end), in order.
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    # Subjects named after another only as where it is ("MassBio's role in the
    # cluster"): what is asked about is the other one.
    settings: set[str] = field(default_factory=set)
    # The words naming what a text is about ("your article about the ambassador"): they
    # say which text, not what is asked of it.
    text_topic: set[str] = field(default_factory=set)

    @property
    def named_subjects(self) -> list[str]:
        return [s for s in self.subjects if s != ELSEWHERE]


SHORT_TERM = 3  # letters of a word matched as written, not by its stem (Danish, Swedish)


def term_stemmer(rules: ReadingRules) -> Callable[[str], str]:
    """How words of terms and questions are compared: by their stems; in Danish and
    Swedish a word of up to three letters as written, so that an acronym ("Lif", the
    Danish pharmaceutical industry's association) is not what a longer word stems to
    ("life" stems to "lif")."""
    if rules.language is Language.EN:
        return rules.analyzer.stem
    return _TermStem(rules.analyzer.stem)


@dataclass(frozen=True)
class _TermStem:
    """``term_stemmer`` of Danish and Swedish (a class: the Answerer cache pickles it)."""

    stem: Callable[[str], str]

    def __call__(self, word: str) -> str:
        return f"={word}" if len(word) <= SHORT_TERM else self.stem(word)


def _said(reading: Reading, n: int) -> str:
    """The ``n``-th word for now of ``reading`` as subjects.yaml writes it."""
    return reading.now_terms[n] if n < len(reading.now_terms) else reading.now[n]


class _Terms:
    """Term lists matched on stems: "a b" contiguously, "a + b" both anywhere."""

    def __init__(
        self,
        named: Iterable[tuple[str, Iterable[str]]],
        stemmed: bool = True,
        rules: ReadingRules = ENGLISH_READING,
    ) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        self._conjunctions: list[tuple[tuple[tuple[str, ...], ...], str, frozenset[str]]] = []
        norm = term_stemmer(rules) if stemmed else str
        words = rules.analyzer.words
        for name, terms in named:
            for term in terms:
                pieces = tuple(tuple(norm(w) for w in words(p)) for p in term.split(" + "))
                if len(pieces) == 1:
                    self._phrases.setdefault(pieces[0], name)
                else:
                    every = frozenset(w for piece in pieces for w in piece)
                    self._conjunctions.append((pieces, name, every))
        # Phrase lengths by first word, longest first: a word that starts no phrase
        # costs one lookup.
        lengths: dict[str, set[int]] = {}
        for phrase in self._phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        # The conjunctions by one of their words: only those whose word a question holds
        # are looked at.
        self._conjunctions_of: dict[str, list[int]] = {}
        for n, (_, _, every) in enumerate(self._conjunctions):
            self._conjunctions_of.setdefault(min(every, default=""), []).append(n)

    def find(self, stems: Sequence[str]) -> list[tuple[str, int, int]]:
        """(name, start, end) of each match, longest first from the left, no overlaps;
        then every conjunction that matches (start = end = -1)."""
        out: list[tuple[str, int, int]] = []
        present = set(stems)
        lengths = self._lengths
        if not lengths.keys().isdisjoint(present):  # most parts start no phrase at all
            i, end = 0, len(stems)
            while i < end:
                for n in lengths.get(stems[i], ()):
                    if n <= end - i and (name := self._phrases.get(tuple(stems[i : i + n]))):
                        out.append((name, i, i + n))
                        i += n
                        break
                else:
                    i += 1
        of = self._conjunctions_of
        for n in sorted({n for w in of.keys() & present for n in of[w]}):  # in their order
            pieces, name, every = self._conjunctions[n]
            # Every piece's words must occur at all before their places are looked at.
            if every <= present and _near(stems, pieces):
                out.append((name, -1, -1))
        return out


def _is_source(ws: Sequence[str], start: int, end: int, rules: ReadingRules) -> bool:
    """ "according to MVA", "does MVA attribute", "MVA's article says": a name as the
    source of what is asked about, not its subject."""
    after = [w for w in ws[end : end + 3] if w != "s"][:2]
    if after[:1] and after[0].isdigit():
        after = after[1:]  # "MVA's 2011 article"
    # Only the word right after: the cluster of "any cluster mapping report planned?"
    # is what is asked about.
    return any(tuple(ws[max(0, start - len(p)) : start]) == p for p in rules.according_to) or (
        bool(after) and after[0] in rules.source_words
    )


def _years_after_one_of(
    ws: Sequence[str], markers: frozenset[str], between: frozenset[str] = frozenset()
) -> set[str]:
    """The years right after one of ``markers``, perhaps with words of ``between``
    between them: "before 2000", "since 2009", "before the year 2000"."""
    found = set()
    for i, w in enumerate(ws):
        if not _YEAR.match(w):
            continue
        j = i - 1
        while j > 0 and i - j <= YEAR_GAP and ws[j] in between:
            j -= 1
        if j >= 0 and ws[j] in markers:
            found.add(w)
    return found


YEAR_GAP = 2  # words of ``year_words`` between "before" and its year ("the year")


SETTING_GAP = 2  # words from a place preposition to the subject it places
TEXT_GAP = 3  # words from a text ("article") to the "about" before its topic


def _is_topic_of_text(
    ws: Sequence[str], start: int, rules: ReadingRules, places: frozenset[str] = frozenset()
) -> bool:
    """Whether the subject at ``start`` is what a text is about: "your article about
    the ambassador", "artikeln om Torsten Jepsen", "this piece about the Boston
    ambassador" (the words of a known place, ``places``, may stand between)."""
    about = next(
        (i for i in range(start - 1, max(-1, start - ABOUT_GAP), -1) if ws[i] in rules.about_words),
        None,
    )
    stop_words = rules.analyzer.stop_words
    if about is None:
        return False
    # One word of description may stand between: "the article about the new ambassador".
    between = [w for w in ws[about + 1 : start] if w not in stop_words and w not in places]
    if len(between) > TOPIC_DESCRIPTION:
        return False
    return any(w in rules.text_words for w in ws[max(0, about - TEXT_GAP) : about])


TOPIC_DESCRIPTION = 1  # words describing a text's topic before it ("the new ambassador")
# "piece announcing the Boston-Cambridge ambassador": as far back as the about word may be.
ABOUT_GAP = 6
# "not the old 2011 ones": words between a negation and the year it turns down.
REJECTION_GAP = 2
CONJUNCTION_WINDOW = 6  # words from the first piece of "a + b" to the last


def _starts(stems: Sequence[str], piece: tuple[str, ...]) -> list[int]:
    n = len(piece)
    return [i for i in range(len(stems) - n + 1) if tuple(stems[i : i + n]) == piece]


def _near(stems: Sequence[str], pieces: tuple[tuple[str, ...], ...]) -> bool:
    """Whether every piece occurs, all within ``CONJUNCTION_WINDOW`` words: "how many
    people work there", not "... over there, or is he only working ..."."""
    places = [_starts(stems, piece) for piece in pieces]
    if not all(places):
        return False
    return any(
        all(any(abs(j - i) <= CONJUNCTION_WINDOW for j in other) for other in places)
        for i in places[0]
    )


class AboutnessReader:
    """Reads questions and checks entries against them; built once per knowledge base."""

    def __init__(
        self,
        aboutness: Aboutness,
        entries: Iterable[Entry],
        rules: ReadingRules = ENGLISH_READING,
    ) -> None:
        self.rules = rules
        self._stem = stem = rules.analyzer.stem
        self._term_stem = term_stemmer(rules)
        self._words = words = rules.analyzer.words
        self.subjects: dict[str, Subject] = {s.id: s for s in aboutness.subjects}
        self.attribute_labels = {a.id: a.label for a in aboutness.attributes}
        self._replaces = {a.id: frozenset(a.replaces) for a in aboutness.attributes}
        self._subjects = _Terms(((s.id, s.terms) for s in aboutness.subjects), rules=rules)
        self._attributes = _Terms(
            ((a.id, a.terms) for a in aboutness.attributes), stemmed=False, rules=rules
        )
        # Places, sectors and words for now, in one list read in one pass: each name is
        # its kind, a tab, and the name ("place\tlund", "now\ttoday").
        self._where = _Terms(
            [
                (f"{_PLACE}\t{_KNOWN}", aboutness.known_places),
                *((f"{_PLACE}\t{p}", (p,)) for p in aboutness.other_places),
                *((f"{_FROM}\t{place}", (w,)) for w, place in aboutness.from_other_places),
                (f"{_SECTOR}\t{_KNOWN}", aboutness.known_sectors),
                *((f"{_SECTOR}\t{label}", terms) for label, terms in aboutness.other_sectors),
                *((f"{_NOW}\t{w}", (w,)) for w in aboutness.now_words),
                *((f"{_FUTURE}\t{w}", (w,)) for w in aboutness.future_words),
            ],
            rules=rules,
        )
        self._sector_terms = dict(aboutness.other_sectors)
        # The word for now that stands for a question turning down the source's year.
        self.today = aboutness.now_words[0] if aboutness.now_words else ""
        self._raw_words = [
            *(t for a in aboutness.attributes for t in a.terms),
            *aboutness.known_places,
            *aboutness.other_places,
            *aboutness.now_words,
            *aboutness.future_words,
            *aboutness.known_sectors,
            *(t for _, terms in aboutness.other_sectors for t in terms),
        ]
        # Words of places and times: "and in Skåne?", "and today?" name no topic.
        self._where_words = frozenset(
            w
            for text in (
                *aboutness.known_places,
                *aboutness.other_places,
                *aboutness.now_words,
                *aboutness.future_words,
            )
            for w in rules.analyzer.words(text)
        )
        self._pronouns: dict[str, list[str]] = {}
        self._setting_words = rules.analyzer.stop_words - rules.place_prepositions
        self._place_words = frozenset(
            w for place in aboutness.known_places for w in rules.analyzer.words(place)
        )
        for subject in aboutness.subjects:
            for pronoun in subject.pronouns:
                self._pronouns.setdefault(pronoun, []).append(subject.id)
        self.enabled = bool(aboutness.subjects)
        # The stems of an entry's answer and of the ways it is asked: a year the entry
        # mentions is no mismatch. A "today" must be in how it is asked (the entry on
        # how current the information is), not in an answer saying it does not know;
        # such an entry answers the present however it is said ("these days").
        self._entry_stems: dict[str, frozenset[str]] = {}
        self._speaks_of_now: set[str] = set()
        now_stems = [tuple(stem(w) for w in words(term)) for term in aboutness.now_words]
        common: set[str] = set()
        for entry in entries:
            asked = (*entry.questions, " ".join(entry.tags))
            # The term's words in a row: Swedish "i år" is not any phrasing with "i" and
            # "är", which folds to "ar" as "år" does.
            asked_runs = [[stem(w) for w in words(text)] for text in asked]
            if any(term and _starts(run, term) for term in now_stems for run in asked_runs):
                self._speaks_of_now.add(entry.id)
            texts = (*asked, entry.answer)
            self._entry_stems[entry.id] = frozenset(stem(w) for text in texts for w in words(text))
            # Words the answers write in small letters: common nouns, not names.
            small = " ".join(w for w in CASED_WORD.findall(entry.answer) if w.islower())
            common.update(self._term_stem(w) for w in words(small))
        self._common_stems = frozenset(common)
        self.known_years = frozenset(
            w for stems in self._entry_stems.values() for w in stems if _YEAR.match(w)
        )
        # The year of the source, which most answers name ("MVA's 2011 article").
        self.source_years = frozenset(
            year
            for year in self.known_years
            if 2 * sum(year in stems for stems in self._entry_stems.values())
            >= len(self._entry_stems)
        )

    def subjects_of_pronoun(self, pronoun: str) -> list[str]:
        return self._pronouns.get(pronoun, [])

    def read(self, ws: Sequence[str]) -> Reading:
        stems = [self._term_stem(w) for w in ws]
        rules = self.rules
        reading = Reading()
        found = self._subjects.find(stems)
        topic_from: int | None = None  # where the first subject that is a text's topic starts
        spans_from = {start: (name, end) for name, start, end in found if start >= 0}
        found_ends = {end: name for name, _, end in found if end >= 0}
        for name, start, end in found:
            title_of = found_ends.get(start - 1) if start >= 1 else None
            if title_of not in (None, name) and ws[start - 1] in rules.title_links:
                # "the Life Science Ambassador for Medicon Valley": it qualifies the
                # subject before it.
                reading.modifiers.add(name)
            if start >= 0 and _is_source(ws, start, end, rules):
                continue  # "what share does MVA attribute to ...": the source, not the subject
            if (
                start >= 1
                and end == start + 1
                and ws[start - 1] in rules.which_words
                and stems[start] in self._common_stems
            ):
                # "Which region does he represent?": the kind of thing asked for (not
                # "what MassBio provides").
                continue
            if start >= 0 and (
                (topic_from is not None and start > topic_from)
                or _is_topic_of_text(ws, start, rules, self._place_words)
            ):
                # "when was your article about the ambassador published?"
                reading.text_topic.update(ws[start:end])
                topic_from = start if topic_from is None else min(topic_from, start)
                continue
            after = end if ws[end : end + 1] != ["s"] else end + 1
            # "Medicon Valley's Life Science Ambassador": a title's words may stand
            # between the two.
            following_at = next(
                (i for i in range(after, after + TITLE_GAP + 1) if i in spans_from), None
            )
            # The subject after this one, and where it ends (a verb there: a clause).
            following, verb_at = (
                spans_from[following_at] if following_at is not None else (None, len(ws))
            )
            if following is not None and (
                not rules.relative_starts.isdisjoint(ws[after : after + TITLE_GAP])
                or (verb_at < len(ws) and ws[verb_at] in rules.clause_verbs)
            ):
                # "namn på ambassadören som MVA har i Boston", "the ambassador MVA has
                # in Boston": a relative clause, whose subject qualifies nothing.
                following = None
            generic = ws[after : after + 1] and ws[after] in rules.generic_heads
            # "the ambassador for Medicon Valley": the second qualifies the first; so does
            # the agent of "the programme run by MVA".
            linked = following_at is not None and not rules.title_links.isdisjoint(
                ws[after:following_at]
            )
            if start >= 0 and following not in (None, name) and not generic and not linked:
                # "the Medicon Valley ambassador", "MVA's ambassador": it qualifies the
                # subject after it.
                reading.modifiers.add(name)
            if start >= 0:
                reading.spans.append((name, start, end))
            if name == ELSEWHERE and start >= 0:
                reading.names.append(" ".join(ws[start:end]).title())
            if name not in reading.subjects:
                reading.subjects.append(name)
        # "staff I mean, not members": a negated attribute is not asked for, nor the
        # writer's own ("min chef vill veta om ...": the writer's boss).
        reading.attributes = {
            name
            for name, start, _ in self._attributes.find(ws)
            if start <= 0
            or (ws[start - 1] not in rules.negations and ws[start - 1] not in rules.own_words)
        }
        for name in list(reading.attributes):
            reading.attributes -= self._replaces.get(name, frozenset())
        # Where each subject read as one ends (not a source's, not a text's topic).
        ends = {end: name for name, _, end in reading.spans}
        for tagged, start, end in self._where.find(stems):
            kind, name = tagged.split("\t", 1)
            if kind == _NOW:
                reading.now.append(" ".join(ws[start:end]))
                # As the term is written ("i år", not the folded "i ar"), to quote it back.
                reading.now_terms.append(name)
            elif kind == _FUTURE:
                reading.future.append(name)  # as subjects.yaml writes it, to quote it
            elif kind == _FROM:
                if name not in reading.from_places:
                    reading.from_places.append(name)
            elif kind == _SECTOR:
                if name == _KNOWN:
                    reading.known_sector = True
                elif name not in reading.other_sectors:
                    reading.other_sectors.append(name)
            elif name == _KNOWN:
                reading.known_places.add(" ".join(ws[start:end]))
            else:
                if name not in reading.other_places:
                    reading.other_places.append(name)
                if self._placed_elsewhere(reading, ends, ws, start):
                    reading.placed_elsewhere = name
        first = reading.spans[0][0] if reading.spans else None
        for name, start, _ in reading.spans[1:]:
            if name != first and self._is_setting(ws, start):
                reading.settings.add(name)
        reading.years = {w for w in ws if _YEAR.match(w)}
        # "the 1990s": a decade none of whose years the entry mentions
        reading.decades = {w[:3] for w in ws if _DECADE.match(w)}
        reading.before = _years_after_one_of(ws, rules.before_words, rules.year_words)
        reading.after = _years_after_one_of(ws, rules.after_words, rules.year_words)
        # "... the article about Torsten Jepsen and his mission": his is the topic's too.
        reading.pronouns = [
            w
            for i, w in enumerate(ws)
            if w in self._pronouns and (topic_from is None or i < topic_from)
        ]
        reading.compares = any(w in rules.comparison_words for w in ws)
        return reading

    def _is_setting(self, ws: Sequence[str], start: int) -> bool:
        """Whether the subject at ``start`` follows a place preposition, perhaps past
        "the" ("MassBio's work in the programme")."""
        skippable = self._setting_words
        for at in range(start - 1, max(-1, start - 1 - SETTING_GAP), -1):
            if ws[at] in self.rules.place_prepositions:
                return True
            if ws[at] not in skippable:
                return False
        return False

    def _placed_elsewhere(
        self, reading: Reading, ends: dict[int, str], ws: Sequence[str], start: int
    ) -> bool:
        """Whether the other place at ``start`` places a place-bound subject: "the
        ambassador in Singapore", "the Ambassador for Medicon Valley in Singapore" are
        other ones than the knowledge base's."""
        if not start or ws[start - 1] not in self.rules.place_prepositions:
            return False
        subject = ends.get(start - 1)
        if subject is None:
            return False
        return self.subjects[subject].place_bound or (
            subject in reading.modifiers
            and any(self.subjects[s].place_bound for s in reading.named_subjects)
        )

    def unanswerable(self, reading: Reading) -> Mismatch | None:
        """What a question no entry answered asks that the knowledge base does not hold,
        if its reading shows it ("who is the CEO of MassBio?": the leadership)."""
        if not self.enabled:
            return None
        subject = self._label_of_asked(reading)
        if reading.attributes:
            return Mismatch(Reason.ATTRIBUTE, subject=subject, attribute=self._attribute(reading))
        if ELSEWHERE in reading.subjects and reading.names:
            return Mismatch(Reason.SUBJECT, subject=reading.names[0])
        if reading.other_places and not reading.known_places:
            return Mismatch(Reason.PLACE, place=place_label(reading.other_places[0]))
        if reading.before:
            return Mismatch(Reason.TIME, time=self._years_before(min(reading.before)))
        if reading.future:
            return Mismatch(Reason.TIME, time=reading.future[0])
        if reading.years or reading.now:
            return Mismatch(
                Reason.TIME, time=min(reading.years) if reading.years else _said(reading, 0)
            )
        return None

    @property
    def vocabulary(self) -> set[str]:
        """Every word of the terms, places and times, so that spelling correction leaves
        them alone ("right now" is not "night now")."""
        texts = [t for s in self.subjects.values() for t in (*s.terms, *s.pronouns)]
        texts += self._raw_words
        words = self._words
        return {w for text in texts for part in text.split(" + ") for w in words(part)}

    def mentions_sector(self, entry_id: str, sector: str) -> bool:
        """Whether the texts of entry ``entry_id`` name ``sector`` (a label of another
        sector): the pipeline's "pharmaceuticals as well as biotech"."""
        known = self._entry_stems.get(entry_id, frozenset())
        stem, words = self._stem, self._words
        return any(
            all(stem(w) in known for w in words(term))
            for term in self._sector_terms.get(sector, ())
        )

    def _years_before(self, year: str) -> str:
        return self.rules.years_before.format(year=year)

    def names_another_topic(self, ws: Sequence[str], entry_id: str) -> bool:
        """Whether a word of ``ws`` is one that the texts of another entry hold and those
        of entry ``entry_id`` do not, a place, a time or a year aside ("Och av
        forskningsutgifterna då?" after the share of venture capital)."""
        own = self._entry_stems.get(entry_id, frozenset())
        for w in ws:
            if w in self._where_words or _YEAR.match(w):
                continue
            stem = self._stem(w)
            if stem not in own and any(stem in s for s in self._entry_stems.values()):
                return True
        return False

    def rejects_source_year(self, ws: Sequence[str]) -> bool:
        """Whether ``ws`` turns down the source's year ("current numbers, not the old
        2011 ones", "Not 2011, current."): a figure from then is not what is asked."""
        negations = self.rules.negations
        return any(
            w in self.source_years
            and not negations.isdisjoint(ws[max(0, i - REJECTION_GAP - 1) : i])
            for i, w in enumerate(ws)
        )

    def only_subject(self, ws: Sequence[str]) -> bool:
        """Whether ``ws`` is nothing but the name of a subject ("Torsten Jepsen")."""
        stems = [self._term_stem(w) for w in ws]
        found = self._subjects.find(stems)
        covered = sum(end - start for _, start, end in found if start >= 0)
        return bool(found) and covered == len(stems)

    def mismatch(self, reading: Reading, entry: Entry) -> Mismatch | None:
        """Why ``entry`` does not answer a question read as ``reading``, or None."""
        if not self.enabled:
            return None
        # "he" can only be the ambassador: it names him as much as his name does.
        named = [s for s in reading.named_subjects if s not in reading.settings] + [
            fitting[0] for p in reading.pronouns if len(fitting := self._pronouns.get(p, [])) == 1
        ]
        asked = self._label_of_asked(reading, entry)
        if (named and not set(named) & set(entry.subjects)) or ELSEWHERE in reading.subjects:
            return Mismatch(Reason.SUBJECT, subject=asked, attribute=self._attribute(reading))
        if reading.attributes and not reading.attributes <= set(entry.attributes):
            return Mismatch(Reason.ATTRIBUTE, subject=asked, attribute=self._attribute(reading))
        main = self.subjects.get(entry.subjects[0]) if entry.subjects else None
        # "in Lund, by comparison with Boston": Boston's figures say nothing of Lund.
        elsewhere = reading.other_places and (not reading.known_places or reading.compares)
        if elsewhere and main and main.place_bound:
            return Mismatch(Reason.PLACE, place=place_label(reading.other_places[0]))
        if reading.placed_elsewhere and not reading.known_places:
            return Mismatch(Reason.PLACE, place=place_label(reading.placed_elsewhere))
        if reading.future:
            return Mismatch(Reason.TIME, time=reading.future[0])  # "next year"
        known = self._entry_stems.get(entry.id, frozenset())
        for year in sorted(reading.before):
            # The entry must hold a fact from before that year ("before 2000").
            if not any(_YEAR.match(w) and w < year for w in known):
                return Mismatch(Reason.TIME, time=self._years_before(year))
        for year in sorted(reading.years - reading.before):
            if year not in known:
                return Mismatch(Reason.TIME, time=year)
        for year in sorted(reading.after):
            # "since 2009" of the growth from 2000 to 2009: after the last year of a
            # period the entry covers ("since 1985" of the founding is no period), or
            # after the year of the source itself.
            held = [w for w in known if _YEAR.match(w) and w not in self.source_years]
            if year in self.source_years or (len(held) > 1 and max(held) == year):
                return Mismatch(Reason.TIME, time=self.rules.years_after.format(year=year))
        for decade in sorted(reading.decades):
            if not any(_YEAR.match(w) and w.startswith(decade) for w in known):
                return Mismatch(Reason.TIME, time=self.rules.decade.format(decade=decade))
        if reading.now and entry.id not in self._speaks_of_now:
            return Mismatch(Reason.TIME, time=_said(reading, 0))
        return None

    def _label_of_asked(self, reading: Reading, entry: Entry | None = None) -> str:
        """How to name what was asked about: an unknown name as typed, else the first
        subject the question names, else the main subject of ``entry``."""
        if ELSEWHERE in reading.subjects and reading.names:
            return reading.names[0]
        for subject_id in reading.subjects:
            if subject_id in self.subjects:
                return self.subjects[subject_id].label
        if entry is not None and entry.subjects and entry.subjects[0] in self.subjects:
            return self.subjects[entry.subjects[0]].label
        return ""

    def _attribute(self, reading: Reading) -> str:
        for attribute_id in self.attribute_labels:  # in the file's order, for stable text
            if attribute_id in reading.attributes:
                return self.attribute_labels[attribute_id]
        return ""
