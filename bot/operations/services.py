"""Building the core services from settings, shared by the Telegram bot and the terminal."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.languages import Answerers
from bot.conversation.contact_form import ContactForm
from bot.conversation.dialogue import Dialogue
from bot.conversation.privacy import Privacy
from bot.conversation.routing import Routes
from bot.conversation.tickets import TicketDesk
from bot.curation.drafts import Drafts
from bot.knowledge.base import KnowledgeBase, load_knowledge
from bot.operations.config import Settings
from bot.storage.contacts import ContactStore
from bot.storage.curation import CurationStore
from bot.storage.database import Storage


@dataclass(frozen=True)
class Services:
    settings: Settings
    storage: Storage
    store: ContactStore
    desk: TicketDesk
    dialogue: Dialogue
    routes: Routes
    drafts: Drafts

    @property
    def kb(self) -> KnowledgeBase:
        return self.dialogue.kb


def build_services(settings: Settings, storage: Storage | None = None) -> Services:
    """Load the knowledge base and wire the core. The database is opened by the caller
    (``storage.open()``), so building has no side effects on disk. Reloading the
    knowledge base builds new services around the same ``storage``."""
    kb = load_knowledge(settings.knowledge_dir)
    storage = storage or Storage(settings.database_path)
    store = ContactStore(storage)
    routes = Routes.from_settings(kb, settings)
    desk = TicketDesk(kb, store, routes, settings.office_hours, settings.staff_signature)
    # A long-running front imports numpy once: its arrays answer as fast as the tuples a
    # small knowledge base keeps for a quick start of ``ask``, and faster as it grows.
    answerers = Answerers.from_knowledge(kb, arrays=True)
    dialogue = Dialogue(
        answerers,
        storage,
        desk,
        ContactForm(kb, settings.retention_days),
        Privacy(storage, store, desk),
    )
    drafts = Drafts(answerers.for_language(kb.language), store, CurationStore(storage))
    return Services(settings, storage, store, desk, dialogue, routes, drafts)
