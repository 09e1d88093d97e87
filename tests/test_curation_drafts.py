"""Staff answers become draft entries; curators accept, reject and get suggestions.

Transport-neutral (bot/curation/drafts.py, bot/curation/suggestions.py,
bot/storage/curation.py) and the ``kb drafts / accept / reject / suggest`` commands, on
a copy of the shipped knowledge folder and a database in a temporary folder. The
Telegram side (the Save as answer button, /drafts, the monthly review notice) is in
test_curation_handlers.py, the whole loop over HTTP in test_e2e_curation.py.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.answering.answerer import Kind
from bot.cli import main
from bot.common.languages import Language
from bot.common.scrubbing import scrub
from bot.conversation.dialogue import Person
from bot.curation.drafts import TODO, Saved
from bot.curation.lint import lint
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, load_knowledge
from bot.operations.config import Settings
from bot.operations.services import Services, build_services
from bot.storage.curation import DraftStatus
from bot.storage.database import Storage
from bot.storage.tickets import Ticket
from tests.test_privacy_data import traces

pytestmark = pytest.mark.unit

ENQUIRER = Person(515151, 515151, "Alice")
NAME, ORG, EMAIL = "Alice Andersen", "Acme Bio", "alice@acme.example"
UNANSWERED = "Does the programme offer travel grants for founders, asks alice@acme.example?"
ANSWERED = "When was MassBio founded?"
REPLY = (
    "Hi Alice, the programme has no travel grants of its own; founders pay their own "
    "way. Acme Bio can write to grants@example.org, call +45 12 34 56 78 or ask @mva_desk."
)


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEFAULT_KNOWLEDGE_DIR, tmp_path / "knowledge"))


@pytest.fixture()
def services(tmp_path: Path, knowledge: Path) -> Iterator[Services]:
    settings = Settings(
        token="", staff_chat_id=-100700, data_dir=tmp_path / "data", knowledge_dir=knowledge
    )
    built = build_services(settings)
    with built.storage:
        yield built


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, services: Services, knowledge: Path) -> None:
    """The CLI reads the same database and knowledge folder."""
    monkeypatch.setenv("BOT_DATA_DIR", str(services.settings.data_dir))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))


def ticket_with_reply(services: Services, reply: str = REPLY) -> tuple[Ticket, int]:
    """An enquirer asks two questions, then a contact request; staff reply to it."""
    for question in (ANSWERED, UNANSWERED):
        services.dialogue.ask(ENQUIRER, question)
    recent = [q.text for q in reversed(services.storage.recent_questions(ENQUIRER.user_id))]
    answers = {"name": NAME, "organisation": ORG, "email": EMAIL, "topic": "other"}
    ticket = services.desk.submit(
        ENQUIRER.user_id, ENQUIRER.chat_id, {**answers, "message": "Alice from Acme Bio"}, recent
    )
    relay = services.desk.staff_reply(ticket, "Bob", reply)
    assert relay.delivered and relay.message_id is not None
    return ticket, relay.message_id


# -- scrubbing --------------------------------------------------------------------------


def test_scrub_removes_the_tickets_name_organisation_and_email_and_any_contact_detail() -> None:
    text = (
        "Hi Alice Andersen (alice@acme.example), andersen here: Acme Bio and ACME agree. "
        "Ring +45 12 34 56 78 or (617) 555-0123, mail x.y+z@mva.example, ping @alice_a."
    )
    assert scrub(text, [NAME], [ORG]) == (
        "Hi [name] ([e-mail]), [name] here: [organisation] and [organisation] agree. "
        "Ring [phone] or [phone], mail [e-mail], ping [username]."
    )


def test_scrub_keeps_figures_years_dates_and_ordinary_words() -> None:
    text = "From 2000-2009, 60% growth; 04.07.2011 and 2011-07-04; 16.5 percent of 480 firms."
    assert scrub(text, ["Al"], ["Bio"]) == text
    assert scrub("biotech in Alicetown", ["Alice"], []) == "biotech in Alicetown"


# -- saving a draft ---------------------------------------------------------------------


def test_save_as_answer_stores_a_scrubbed_draft_with_its_provenance(services: Services) -> None:
    ticket, message_id = ticket_with_reply(services)
    saved = services.drafts.save(message_id)
    assert saved.result is Saved.CREATED
    [draft] = services.drafts.curation.drafts()
    assert draft.id == saved.draft_id and draft.status is DraftStatus.PENDING
    # Only the question the bot could not answer, without the e-mail address.
    assert draft.questions == [
        "Does the programme offer travel grants for founders, asks [e-mail]?"
    ]
    assert draft.answer == (
        "Hi [name], the programme has no travel grants of its own; founders pay their own "
        "way. [organisation] can write to [e-mail], call [phone] or ask [username]."
    )
    assert (draft.ticket, draft.staff, draft.contact_topic) == (ticket.ref, "Bob", "other")
    assert (draft.topic, draft.subjects) == ("programme", ["programme"])
    assert draft.date == time.strftime("%Y-%m-%d", time.gmtime())
    stored = traces(services.storage, [NAME, "Alice", ORG, EMAIL, "@mva_desk"], [])
    assert all(not where.startswith("drafts.") for where, _ in stored)


def test_saving_twice_gives_the_same_draft(services: Services) -> None:
    _, message_id = ticket_with_reply(services)
    first = services.drafts.save(message_id)
    again = services.drafts.save(message_id)
    assert again.result is Saved.EXISTS and again.draft_id == first.draft_id
    assert len(services.drafts.curation.drafts()) == 1


def test_only_a_staff_reply_can_be_saved(services: Services) -> None:
    _, message_id = ticket_with_reply(services)
    enquirer_message = message_id - 1  # the request's own message, logged "in"
    assert services.drafts.save(enquirer_message).result is Saved.UNAVAILABLE
    assert services.drafts.save(10**9).result is Saved.UNAVAILABLE
    assert services.drafts.curation.drafts() == []


def test_a_draft_answers_no_one(services: Services) -> None:
    _, message_id = ticket_with_reply(services)
    services.drafts.save(message_id)
    reply = services.dialogue.answerer.ask("Does the programme offer travel grants for founders?")
    assert reply.kind is not Kind.ANSWER


def test_forget_removes_the_enquirers_questions_from_drafts(services: Services) -> None:
    _, message_id = ticket_with_reply(services)
    services.drafts.save(message_id)
    privacy = services.dialogue.privacy
    assert privacy.data_of(ENQUIRER.user_id)["questions_in_draft_knowledge_entries"] == [
        "Does the programme offer travel grants for founders, asks [e-mail]?"
    ]
    privacy.forget(ENQUIRER.user_id)
    assert privacy.data_of(ENQUIRER.user_id) == {}
    [draft] = services.drafts.curation.drafts()
    assert draft.questions == []
    assert traces(services.storage, ["travel grants for founders"], [ENQUIRER.user_id]) == []


def test_the_retention_purge_covers_drafts(services: Services) -> None:
    _, message_id = ticket_with_reply(services)
    services.drafts.save(message_id)
    retention = services.settings.retention_days
    services.dialogue.privacy.purge(retention, now=time.time() + (retention - 1) * 86400)
    assert services.drafts.curation.drafts()[0].questions != []
    services.dialogue.privacy.purge(retention, now=time.time() + (retention + 1) * 86400)
    assert services.drafts.curation.drafts()[0].questions == []
    left = traces(services.storage, ["for founders, asks"], [ENQUIRER.user_id])
    assert [where for where, _ in left if where.startswith("drafts.")] == []


# -- the curators' commands -------------------------------------------------------------


def test_kb_drafts_json_has_exactly_the_contract_fields(
    services: Services, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    ticket, message_id = ticket_with_reply(services)
    services.drafts.save(message_id)
    assert main(["kb", "drafts", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert set(listed) == {"id", "question", "answer", "topic", "ticket", "staff", "date"}
    assert listed["ticket"] == ticket.ref and listed["staff"] == "Bob"
    assert "travel grants" in listed["question"] and NAME not in json.dumps(listed)
    assert main(["kb", "drafts"]) == 0
    assert f"draft 1 · {ticket.ref} · Bob" in capsys.readouterr().out


def test_kb_accept_writes_a_valid_entry_and_its_staff_source(
    services: Services, env: None, knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ticket, message_id = ticket_with_reply(
        services, "The programme has no travel grants of its own; founders pay their own way."
    )
    services.drafts.save(message_id)
    assert main(["kb", "accept", "1"]) == 0
    out = capsys.readouterr().out
    entry_id = "programme-offer-travel-grants-founders-asks"
    assert f"draft 1 accepted as entry {entry_id} in {knowledge / 'programme.yaml'}" in out
    assert " 0 error(s)" in out.splitlines()[-1]
    assert f"entry {entry_id} is a draft (TODO: {TODO}): it has 1 alternate(s)" in out

    kb = load_knowledge(knowledge)
    entry = kb.entries[entry_id]
    assert entry.question == "Does the programme offer travel grants for founders, asks [e-mail]?"
    assert entry.alternates == ("does the programme offer travel grants for founders asks e mail",)
    assert entry.source.kind == "staff" and entry.source.ticket == ticket.ref
    assert entry.source.staff == "Bob" and entry.source.text == entry.answer
    assert entry.todo == TODO and entry.owner == "programme staff"
    assert lint(kb)[0] == []
    assert services.drafts.curation.draft(1).status is DraftStatus.ACCEPTED  # type: ignore[union-attr]
    # Accepted: the knowledge base answers it (after /reload in the bot).
    reply = build_services(services.settings).dialogue.answerer.ask(
        "Does the programme offer travel grants for founders?"
    )
    assert (reply.kind, reply.entry_id) == (Kind.ANSWER, entry_id)
    assert "Source: “Answer from the programme staff”" in reply.text
    # Done once: a second accept is refused, and so is an accepted draft's rejection.
    assert main(["kb", "accept", "1"]) == 1
    assert main(["kb", "reject", "1"]) == 1
    assert "draft 1 is already accepted" in capsys.readouterr().err


def test_kb_accept_into_a_chosen_file_with_a_chosen_id(
    services: Services, env: None, knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, message_id = ticket_with_reply(services, "Founders pay their own way.")
    services.drafts.save(message_id)
    assert main(["kb", "accept", "1", "--file", "knowledge/staff.yaml", "--id", "travel"]) == 0
    kb = load_knowledge(knowledge)
    assert Path(kb.entries["travel"].file).name == "staff.yaml"
    for bad in (["--id", "Not An Id"], ["--id", "massbio-founded"], ["--file", "synonyms.yaml"]):
        _, another = ticket_with_reply(services, "Founders pay their own way, again.")
        draft = services.drafts.save(another).draft_id
        assert main(["kb", "accept", str(draft), *bad]) == 1
        assert draft is not None
        pending = services.drafts.curation.draft(draft)
        assert pending is not None and pending.status is DraftStatus.PENDING
    assert "error:" in capsys.readouterr().err


def test_kb_accept_writes_nothing_when_the_folder_would_not_load(
    services: Services, env: None, knowledge: Path
) -> None:
    _, message_id = ticket_with_reply(services, "Founders pay their own way.")
    services.drafts.save(message_id)
    (knowledge / "routing.yaml").write_text(
        (knowledge / "routing.yaml").read_text().replace("id: other", "id: others")
    )
    before = {p: p.read_text() for p in knowledge.rglob("*") if p.is_file()}
    assert main(["kb", "accept", "1"]) == 1
    after = {p: p.read_text() for p in knowledge.rglob("*") if p.is_file()}
    assert after == before
    assert services.drafts.curation.draft(1).status is DraftStatus.PENDING  # type: ignore[union-attr]


def test_kb_reject_and_a_draft_without_questions(
    services: Services, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _, message_id = ticket_with_reply(services)
    services.drafts.save(message_id)
    services.dialogue.privacy.forget(ENQUIRER.user_id)
    assert main(["kb", "accept", "1"]) == 1
    assert "has no question left" in capsys.readouterr().err
    assert main(["kb", "reject", "1"]) == 0
    assert services.drafts.curation.drafts() == []
    assert main(["kb", "reject", "99"]) == 1
    assert "no draft 99" in capsys.readouterr().err


# -- kb suggest -------------------------------------------------------------------------


def logged(
    storage: Storage,
    chat: int,
    text: str,
    kind: str,
    entry: str | None,
    at: float,
    lang: str = "en",
) -> int:
    """A question in the conversation log, as the dialogue logs it."""
    return storage.log_question(
        user_id=chat,
        chat_id=chat,
        text=text,
        kind=kind,
        entry_id=entry,
        score=0.5,
        ts=at,
        language=lang,
    )


def test_kb_suggest_on_a_seeded_log(
    services: Services, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    storage, kb = services.storage, services.kb
    founded = kb.entries["massbio-founded"]
    now = time.time() - 3600

    def log(chat: int, text: str, kind: str, entry: str | None, at: float) -> int:
        return logged(storage, chat, text, kind, entry, at)

    # A "did you mean" pick, twice from two chats: counted twice.
    for chat in (1, 2):
        log(chat, "massbio birthday year??", "ambiguous", None, now)
        log(chat, founded.question, "answer", founded.id, now + 40)
    # A fallback rephrased within 2 minutes, answered, not rated; with personal data.
    log(
        3, "Alice Andersen asks: massbio start date, mail alice@acme.example", "fallback", None, now
    )
    log(3, "when did massbio begin", "answer", founded.id, now + 60)
    # Rephrased too late, or rated not helpful, or already an alternate: not suggested.
    log(4, "massbio origin story", "fallback", None, now)
    log(4, "when did massbio begin", "answer", founded.id, now + 300)
    log(5, "massbio genesis", "fallback", None, now)
    helped = log(5, "when did massbio begin", "answer", founded.id, now + 30)
    storage.record_feedback(helped, 5, helpful=False)
    log(6, founded.alternates[0], "fallback", None, now)
    log(6, founded.question, "answer", founded.id, now + 10)
    # An unanswered question no entry covers, and one erased by /forget.
    log(7, "who will win the football world cup", "fallback", None, now)
    log(8, "who will win the football world cup", "fallback", None, now)
    services.dialogue.privacy.forget(8)
    ticket_with_reply(services)  # a ticket of Alice Andersen, Acme Bio

    assert main(["kb", "suggest", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert f"# {founded.id}: 3 question(s), alternates end at {founded.file}:" in out
    pasted = [line for line in out.splitlines() if line.startswith("      - ")]
    assert yaml.safe_load("\n".join(line[4:] for line in pasted)) == [
        "massbio birthday year??",
        "[name] asks: massbio start date, mail [e-mail]",
    ]
    assert '      - "massbio birthday year??"  # asked 2×' in out
    suggested, _ = out.split("# Questions no entry covers")
    for absent in ("origin story", "genesis", founded.alternates[0]):
        assert absent not in suggested
    assert "Alice" not in out and EMAIL not in out
    assert "# 1× who will win the football world cup" in out
    assert main(["kb", "suggest", "--days", "1"]) == 0  # changes nothing: same output
    assert capsys.readouterr().out == out


def test_kb_suggest_offers_a_question_in_the_language_it_was_answered_in(
    services: Services, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    storage, kb = services.storage, services.kb
    danish = kb.translated(Language.DA).entries["massbio-founded"]
    now = time.time() - 3600

    def log(chat: int, text: str, kind: str, entry: str | None, at: float, lang: str) -> None:
        logged(storage, chat, text, kind, entry, at, lang)

    log(1, "massbio fødselsår??", "ambiguous", None, now, "da")  # a Danish pick
    log(1, danish.question, "answer", danish.id, now + 40, "da")
    log(2, "hvornår kom massbio til verden", "fallback", None, now, "da")  # rephrased
    log(2, "hvornår blev massbio grundlagt", "answer", danish.id, now + 30, "da")
    assert main(["kb", "suggest", "--days", "1"]) == 0
    out = capsys.readouterr().out
    suggested, _ = out.split("# Questions no entry covers")
    assert "# massbio-founded:" not in suggested  # no English alternate
    assert (
        f"# massbio-founded (Danish): 2 question(s), alternates end at {danish.file}:"
        f"{danish.question_lines[-1]}"
    ) in suggested
    assert danish.file.endswith("da/entries.yaml")
    pasted = [line[4:] for line in suggested.splitlines() if line.startswith("      - ")]
    assert yaml.safe_load("\n".join(pasted)) == [
        "massbio fødselsår??",
        "hvornår kom massbio til verden",
    ]
