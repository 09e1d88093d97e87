"""Building the core services from settings, shared by the Telegram bot and the terminal."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering import Answerer
from bot.config import Settings
from bot.contact_form import ContactForm
from bot.dialogue import Dialogue
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.routing import Routes
from bot.storage import ContactStore, Storage
from bot.tickets import TicketDesk


@dataclass(frozen=True)
class Services:
    settings: Settings
    storage: Storage
    store: ContactStore
    desk: TicketDesk
    dialogue: Dialogue
    routes: Routes

    @property
    def kb(self) -> KnowledgeBase:
        return self.dialogue.kb


def build_services(settings: Settings) -> Services:
    """Load the knowledge base and wire the core. The database is opened by the caller
    (``storage.open()``), so building has no side effects on disk."""
    kb = load_knowledge(settings.knowledge_dir)
    storage = Storage(settings.database_path)
    store = ContactStore(storage)
    routes = Routes.from_settings(kb, settings)
    desk = TicketDesk(kb, store, routes, settings.office_hours, settings.staff_signature)
    dialogue = Dialogue(Answerer(kb), storage, desk, ContactForm(kb, settings.retention_days))
    return Services(settings, storage, store, desk, dialogue, routes)
