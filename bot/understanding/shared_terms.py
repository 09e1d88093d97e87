"""Synonyms folded across languages where a term is shared.

Danes and Swedes write "MassBio", "VC", "R&D", "biotech" and "venture capital" as
often as their own "biotek", "bioteknik", "FoU" or "riskkapital". A Danish or Swedish
synonym group that shares a term with a group of another language (the English one,
or the other translation) takes that group's terms too, so that a Swede's "US VC"
meets the Swedish "amerikanskt riskkapital" and a Dane's "bioteknik" the Danish
"biotek". Only terms that are no function word of the language ("us" is English's
pronoun, but "må" folds to Danish "ma", not Massachusetts), that no other group of it
already holds, and, for a single word, whose stem is no other word's of the language's
knowledge base (English "stats" stems as Danish "staten", the state) are taken;
English reads with its own groups only.
"""

from __future__ import annotations

from bot.common.languages import Language
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.reading import ReadingRules

Groups = tuple[tuple[str, ...], ...]


def shared_synonyms(kb: KnowledgeBase, rules: ReadingRules) -> Groups:
    """``kb``'s synonym groups, each with the terms of the other languages' groups it
    shares a term with (see the module docstring)."""
    if kb.language is Language.EN:
        return kb.synonyms
    words, stem = rules.analyzer.words, rules.analyzer.stem
    written = {stem(w) for e in kb for text in (*e.questions, e.answer) for w in words(text)}
    function_words = (
        rules.analyzer.stop_words
        | rules.question_words
        | rules.question_starts
        | rules.function_words
    )
    groups = [list(group) for group in kb.synonyms]
    owner: dict[str, int] = {}  # a term (its folded words) -> its group
    stems: list[set[str]] = []  # the stems of each group's single words
    for n, group in enumerate(groups):
        for term in group:
            owner.setdefault(" ".join(words(term)), n)
        stems.append({stem(t[0]) for term in group if len(t := words(term)) == 1})
    others = [lang for lang in kb.languages if lang is not kb.language]
    for lang in sorted(others, key=lambda lang: lang is not Language.EN):  # English first
        translated = kb.translated(lang)
        if translated.language is not lang:
            continue  # no translation into it: its groups are English's
        for foreign in translated.synonyms:
            keys = [" ".join(words(term)) for term in foreign]
            found = {owner[key] for key in keys if key in owner}
            if len(found) != 1:
                continue  # no group of ours, or more than one: nothing is sure
            [n] = found
            for term, key in zip(foreign, keys, strict=True):
                ws = key.split()
                if not ws or key in owner:
                    continue
                if len(ws) == 1 and (
                    ws[0] in function_words
                    or (stem(ws[0]) in written and stem(ws[0]) not in stems[n])
                ):
                    continue
                groups[n].append(term)
                owner[key] = n
    return tuple(tuple(group) for group in groups)
