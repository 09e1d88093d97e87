"""One ``Answerer`` per language the knowledge base speaks (``Answerers``).

A STAND-IN for helper B's detector (branch i18n-answering), so that the conversation
can be built against the interface of the design: it answers in the language asked
for, and otherwise in the hint's (or English). Replaced wholesale when B's branch lands.
"""

from __future__ import annotations

from bot.answering.answerer import Answerer, Reply
from bot.common.languages import Language
from bot.knowledge.base import KnowledgeBase
from bot.understanding.followups import Context


class Answerers:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._answerers = {lang: Answerer(kb.translated(lang)) for lang in kb.languages}

    def for_language(self, lang: Language) -> Answerer:
        return self._answerers.get(lang) or self._answerers[Language.EN]

    def detect(self, text: str, hint: Language | None = None) -> Language:
        return hint if hint in self._answerers else Language.EN

    def ask(
        self,
        text: str,
        context: Context | None = None,
        lang: Language | None = None,
        hint: Language | None = None,
    ) -> Reply:
        lang = lang or self.detect(text, hint)
        return self.for_language(lang).ask(text, context)
