"""Command line: ``python -m bot {run,chat,ask,eval,tickets,reply,stats,backup,kb ...}``.

``kb`` holds the curators' tools: ``check``, and the curation loop's ``drafts``,
``accept``, ``reject`` and ``suggest`` (knowledge/README.md).

With no command, ``python -m bot`` runs the Telegram bot when TELEGRAM_BOT_TOKEN is set
and the terminal chat otherwise. Core errors are translated here into one readable
line per problem and an exit code: 1 for content problems (and for ``run`` when the Bot
API cannot be reached), 2 for bad settings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import __version__
from bot.common.errors import BotApiUnreachable, ConfigError, CurationError, KnowledgeError

if TYPE_CHECKING:
    from bot.answering.answerer import Reply
    from bot.answering.languages import Answerers
    from bot.common.languages import Language
    from bot.knowledge.base import KnowledgeBase
    from bot.operations.services import Services
    from bot.understanding.followups import Context

# Each command imports what it uses when it runs: `ask` must not pay for storage,
# Telegram or the curation tools (benchmarks/README.md, start-up of ask).

LANGUAGE_CODES = ("en", "da", "sv")  # the values of bot.common.languages.Language
EXIT_CONTENT = 1
EXIT_CONFIG = 2
EXIT_UNREACHABLE = 1  # run: the Bot API did not answer within the start-up deadline


def knowledge_dir(explicit: str | None = None) -> Path:
    from bot.knowledge.model import DEFAULT_KNOWLEDGE_DIR

    return Path(explicit or os.environ.get("KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE_DIR)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Enquiry bot of MVA's Life Science Ambassador Programme. Without a "
        "command: the Telegram bot if TELEGRAM_BOT_TOKEN is set, else the terminal chat.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def knowledge_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--knowledge",
            metavar="DIR",
            help="knowledge folder (default: $KNOWLEDGE_DIR or the shipped knowledge/)",
        )

    run = commands.add_parser("run", help="run the Telegram bot (long polling or webhook)")
    run.description = "Run the Telegram bot. Settings come from the environment (see README)."
    knowledge_option(run)

    chat = commands.add_parser("chat", help="talk to the bot in the terminal")
    chat.description = (
        "A terminal conversation on the same core as the Telegram bot. Type a question; "
        "type a number to press a button; + or - to rate an answer; /quit to leave."
    )
    chat.add_argument(
        "--lang",
        choices=["en", "da", "sv"],
        help="write in this language whatever the language of a message, as /language "
        "does (which also switches back); without it, each message's language decides",
    )
    knowledge_option(chat)

    ask = commands.add_parser("ask", help="answer one question (or one per line of stdin)")
    ask.description = "Answer QUESTION, or each line of standard input when it is omitted."
    ask.add_argument("question", nargs="*", metavar="QUESTION")
    ask.add_argument(
        "--json", action="store_true", help='one JSON object per line (with its "lang")'
    )
    ask.add_argument(
        "--lang",
        choices=LANGUAGE_CODES,
        help="answer in this language (default: the language each question is written in)",
    )
    ask.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="PREVIOUS",
        help="an earlier question of the same chat, asked first so that QUESTION is read "
        "as its follow-up (repeat for several, oldest first)",
    )
    knowledge_option(ask)

    ev = commands.add_parser("eval", help="score the bot on an eval set")
    ev.description = (
        "FILE is a YAML list of {ask, expect, contains, context, lang} cases. Prints each "
        "failure, the share of replies in the question's language (a case's lang, else the "
        "one detected; a reply in another language fails), 'confidently wrong: 0.017 "
        "(1/60)' (answers where a fallback was right, or missing an expected fact) and last "
        "'accuracy: 0.950 (57/60)'."
    )
    ev.add_argument("file", metavar="FILE")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument(
        "--report",
        action="store_true",
        help="also print the confusion table of expected against got kinds, per tag",
    )
    ev.add_argument(
        "--min-accuracy", type=float, metavar="X", help="exit 1 when accuracy is below X"
    )
    ev.add_argument(
        "--max-confidently-wrong",
        type=float,
        metavar="Y",
        help="exit 1 when the share of confidently wrong replies is above Y",
    )
    knowledge_option(ev)

    tickets = commands.add_parser("tickets", help="list contact requests (tickets)")
    tickets.description = "List open tickets (or all of them with --all), newest last."
    tickets.add_argument("--all", action="store_true", help="include resolved tickets")

    reply = commands.add_parser("reply", help="answer a ticket from the terminal")
    reply.description = (
        "Send TEXT to the enquirer of ticket N (a number or a reference like #A-0042). "
        "The running bot delivers it; the terminal chat shows replies to its own tickets. "
        "A resolved ticket, or one whose enquirer asked for a reply by e-mail, needs --force."
    )
    reply.add_argument("ticket", metavar="N")
    reply.add_argument("text", nargs="+", metavar="TEXT")
    reply.add_argument(
        "--as",
        dest="signature",
        metavar="NAME",
        help="sign as NAME (default: $STAFF_SIGNATURE, else 'the programme staff')",
    )
    reply.add_argument(
        "--force",
        action="store_true",
        help="send even though the ticket is resolved or its enquirer asked for e-mail",
    )
    knowledge_option(reply)

    stats = commands.add_parser("stats", help="usage statistics")
    stats.description = "Questions, share answered, feedback, tickets, time to first reply."
    stats.add_argument("--json", action="store_true", help="print the numbers as JSON")

    backup = commands.add_parser("backup", help="copy the database while the bot runs")
    backup.description = (
        "Write a consistent copy of the bot's SQLite database (from BOT_DATA_DIR) to PATH, "
        "using SQLite's online backup API: safe while the bot is running."
    )
    backup.add_argument("path", metavar="PATH")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")

    kb = commands.add_parser("kb", help="knowledge base tools")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    check = kb_commands.add_parser("check", help="validate a knowledge folder")
    check.description = (
        "Validate DIR (default: the shipped knowledge/): schema, sources, unique ids, "
        "follow-ups, empty answers, faithfulness of every answer to its sources, "
        "near-duplicate questions, answer length; warn about past review dates and "
        "drafts still to finish. Exit 1 on errors."
    )
    check.add_argument("dir", nargs="?", metavar="DIR")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--stamp",
        action="store_true",
        help="first record in each translation the stamp of the English text it translates "
        "(after checking the translation: it marks it up to date), then check",
    )

    listed = kb_commands.add_parser("drafts", help="list draft entries made of staff answers")
    listed.description = (
        "Drafts waiting for a curator: staff replies saved with 'Save as answer', scrubbed "
        "of personal data. They answer no one until accepted. Reads the database in "
        "BOT_DATA_DIR."
    )
    listed.add_argument(
        "--json",
        action="store_true",
        help="a JSON list of {id, question, answer, topic, ticket, staff, date}",
    )
    knowledge_option(listed)
    accept = kb_commands.add_parser("accept", help="turn a draft into an entry")
    accept.description = (
        "Write draft ID as an entry at the end of FILE (default: the file of its topic), "
        "with its staff answer as a source in sources/ and a todo that kb check reports "
        "until it has 4 alternates, then run kb check."
    )
    accept.add_argument("draft", type=int, metavar="ID")
    accept.add_argument("--file", metavar="knowledge/FILE.yaml", help="the entry file")
    accept.add_argument("--id", dest="entry_id", metavar="ENTRY_ID", help="the new entry's id")
    knowledge_option(accept)
    reject = kb_commands.add_parser("reject", help="drop a draft")
    reject.add_argument("draft", type=int, metavar="ID")
    knowledge_option(reject)
    suggest = kb_commands.add_parser(
        "suggest", help="alternates and gaps from what enquirers asked"
    )
    suggest.description = (
        "For each entry, logged questions that probably meant it and are not yet its "
        "alternates, as YAML to paste, with counts; then the unanswered questions no "
        "entry covers. Nothing is changed."
    )
    suggest.add_argument("--days", type=int, default=30, metavar="N", help="look back N days")
    knowledge_option(suggest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or ("run" if os.environ.get("TELEGRAM_BOT_TOKEN") else "chat")
    try:
        if command == "kb" and args.kb_command == "check":
            return cmd_kb_check(knowledge_dir(args.dir), args.strict, args.stamp)
        if command == "kb":
            return cmd_kb_curation(args, knowledge_dir(args.knowledge))
        if command == "run":
            return cmd_run(knowledge_dir(getattr(args, "knowledge", None)))
        directory = knowledge_dir(getattr(args, "knowledge", None))
        if command in ("ask", "eval"):
            from bot.answering.cache import load_answerers_cached
            from bot.common.languages import Language

            answerers = load_answerers_cached(directory)
            if command == "ask":
                questions = [" ".join(args.question)] if args.question else _lines(sys.stdin)
                lang = Language(args.lang) if args.lang else None
                return cmd_ask(answerers, questions, args.json, sys.stdout, args.context, lang)
            return cmd_eval(
                answerers,
                args.file,
                args.json,
                args.min_accuracy,
                args.report,
                args.max_confidently_wrong,
            )
        from bot.common.languages import Language
        from bot.operations.config import Settings
        from bot.operations.services import build_services
        from bot.terminal.chat import TerminalChat, locale_language

        settings = Settings.from_env(knowledge_dir=directory, require_token=False)
        services = build_services(settings)
        with services.storage:
            if command == "tickets":
                return cmd_tickets(services, args.all)
            if command == "reply":
                text = " ".join(args.text)
                return cmd_reply(services, args.ticket, text, args.signature, args.force)
            if command == "stats":
                return cmd_stats(services, args.json)
            if command == "backup":
                return cmd_backup(services, Path(args.path), args.force)
            return TerminalChat(
                services.dialogue,
                services.store,
                sys.stdin,
                sys.stdout,
                lang=Language(args.lang) if getattr(args, "lang", None) else None,
                client=locale_language(),
            ).run()
    except KnowledgeError as exc:
        for issue in exc.issues:
            print(f"error: {issue}", file=sys.stderr)
        return EXIT_CONTENT
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except CurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except BotApiUnreachable as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        return 130


def _lines(stream: TextIO) -> Iterable[str]:
    for line in stream:
        if line.strip():
            yield line.rstrip("\n")


def cmd_ask(
    answerers: Answerers,
    questions: Iterable[str],
    as_json: bool,
    out: TextIO,
    context: Sequence[str] = (),
    lang: Language | None = None,
) -> int:
    """Answer each question on its own (stateless), after the ``context`` questions, in
    ``lang`` or in the language each message is written in."""
    from bot.answering.evaluation import ask_in_context
    from bot.terminal.render import render_reply

    def ask(text: str, previous: Context | None) -> Reply:
        return answerers.ask(text, previous, lang=lang)

    for question in questions:
        reply = ask_in_context(ask, [*context, question])
        if as_json:
            out.write(json.dumps(reply.as_dict(), ensure_ascii=False) + "\n")
        else:
            header = f"[{reply.kind.value}"
            if reply.entry_id:
                header += f" {reply.entry_id}"
            header += f" {reply.score:.3f}]"
            kb = answerers.for_language(reply.lang).kb
            out.write(f"{header}\n{render_reply(kb, reply)}\n\n")
        out.flush()
    return 0


def cmd_eval(
    answerers: Answerers,
    path: str,
    as_json: bool,
    minimum: float | None,
    with_table: bool = False,
    max_wrong: float | None = None,
) -> int:
    from bot.answering.evaluation import evaluate, load_cases

    report = evaluate(load_cases(path), answerers.ask, answerers.detect)
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for failure in report.failures:
            case, reply = failure.case, failure.reply
            want = case.expect.value
            if case.contains:
                want += f" containing {list(case.contains)}"
            if case.lang is not None and reply.lang is not case.lang:
                want += f" in {case.lang.value}"
            got = f"{reply.kind.value} ({reply.entry_id or '-'}, {reply.score:.3f})"
            if reply.lang is not (case.lang or reply.lang):
                got += f" in {reply.lang.value}"
            print(f"FAIL {path}:{case.line}: {case.ask!r}: expected {want}, got {got}")
        if with_table:
            print(report.table())
        # The accuracy line stays last: scripts read it.
        print(report.language_summary())
        print(report.wrong_summary())
        print(report.summary())
    if minimum is not None and report.accuracy < minimum:
        return EXIT_CONTENT
    if max_wrong is not None and report.confidently_wrong_share > max_wrong:
        return EXIT_CONTENT
    return 0


def cmd_kb_check(directory: Path, strict: bool = False, stamp: bool = False) -> int:
    from bot.curation.lint import lint
    from bot.knowledge.base import load_knowledge

    try:
        kb = load_knowledge(directory)
    except KnowledgeError as exc:
        for issue in exc.issues:
            print(f"error: {issue}")
        print(f"{len(exc.issues)} error(s)")
        return EXIT_CONTENT
    if stamp:
        kb = _stamp(kb)
    errors, warnings = lint(kb)
    if strict:
        errors, warnings = errors + warnings, []
    for issue in errors:
        print(f"error: {issue}")
    for issue in warnings:
        print(f"warning: {issue}")
    questions = sum(len(e.questions) for e in kb)
    translations = "".join(
        f"; {translated.language_name} {translated_count(translated)} translated, "
        f"{sum(len(e.questions) for e in translated)} questions"
        for translated in (kb.translated(lang) for lang in kb.languages[1:])
    )
    print(
        f"{len(kb)} entries, {questions} questions, {len(kb.synonyms)} synonym groups"
        f"{translations}: {len(errors)} error(s), {len(warnings)} warning(s)"
    )
    return EXIT_CONTENT if errors else 0


def translated_count(translated: KnowledgeBase) -> int:
    """How many entries ``translated`` has translated (the rest are the English ones)."""
    return sum(1 for t in translated.translations if t.kind == "entry" and t.text is not None)


def _stamp(kb: KnowledgeBase) -> KnowledgeBase:
    """kb check --stamp: stamp the translations, say which, and reload."""
    from bot.curation.stamping import stamp_translations
    from bot.knowledge.base import load_knowledge

    report = stamp_translations(kb)
    for item in report.stamped:
        t = item.translation
        print(f"stamped: {t.file}:{t.line}: {t.what} ({item.stamp})")
    for t in report.refused:
        print(
            f"not stamped: {t.file}:{t.line}: {t.what} differs from its English "
            "(see the errors below)"
        )
    print(f"{len(report.stamped)} translation(s) stamped")
    return load_knowledge(kb.directory) if report.stamped else kb


def cmd_kb_curation(args: argparse.Namespace, directory: Path) -> int:
    """kb drafts, accept, reject and suggest: the database of BOT_DATA_DIR, the
    knowledge folder ``directory``."""
    from bot.curation import drafts, suggestions
    from bot.knowledge.base import load_knowledge
    from bot.operations.config import Settings
    from bot.storage.curation import CurationStore
    from bot.storage.database import Storage

    settings = Settings.from_env(knowledge_dir=directory, require_token=False)
    with Storage(settings.database_path) as storage:
        curation = CurationStore(storage)
        if args.kb_command == "drafts":
            found = curation.drafts()
            if args.json:
                print(json.dumps(drafts.listing(found), ensure_ascii=False, indent=1))
            else:
                print(drafts.listing_text(found))
            return 0
        if args.kb_command == "reject":
            rejected = drafts.reject(curation, args.draft)
            print(f"draft {rejected.id} rejected")
            return 0
        kb = load_knowledge(directory)
        if args.kb_command == "suggest":
            print(suggestions.report(storage, kb, args.days))
            return 0
        entry_file = Path(args.file) if args.file else None
        done = drafts.accept(curation, kb, args.draft, entry_file, args.entry_id)
    print(f"draft {args.draft} accepted as entry {done.entry_id} in {done.entry_file}")
    print(f"its source: {done.source_file}")
    return cmd_kb_check(directory)


def cmd_tickets(services: Services, show_all: bool) -> int:
    from bot.curation import staff_reports

    topics = {t.id: t.label for t in services.kb.topics}
    statuses = None if show_all else ("open", "claimed")
    found = services.store.tickets(statuses, limit=1000)
    for ticket in sorted(found, key=lambda t: t.id):
        print(staff_reports.ticket_line(ticket, topics))
        print(f"    {staff_reports.ticket_message(ticket)}")
    if not found:
        print(services.kb.message("staff_no_open"))
    return 0


def cmd_reply(
    services: Services, ref: str, text: str, signature: str | None, force: bool = False
) -> int:
    if not text.strip():
        print("error: the reply is empty; nothing was queued", file=sys.stderr)
        return EXIT_CONFIG
    ticket = services.desk.find(ref)
    if ticket is None:
        print(services.kb.message("staff_ticket_not_found", ref=ref), file=sys.stderr)
        return EXIT_CONTENT
    if not force and (ticket.status == "resolved" or ticket.reply_via == "email"):
        if ticket.status == "resolved":
            why = f"{ticket.ref} is resolved: its enquirer no longer expects a reply"
        else:
            why = (
                f"the enquirer of {ticket.ref} asked for a reply by e-mail"
                f" ({ticket.email or 'address erased'}): write to them there"
            )
        print(f"warning: {why}. Use --force to send it in Telegram anyway.", file=sys.stderr)
        return EXIT_CONTENT
    relay = services.desk.staff_reply(ticket, signature or "", text)
    key = "staff_reply_delivered" if relay.delivered else "staff_reply_blocked"
    print(services.kb.message(key, ref=ticket.ref))
    return 0 if relay.delivered else EXIT_CONTENT


def cmd_backup(services: Services, target: Path, force: bool) -> int:
    if target.exists() and not force:
        print(f"error: {target} exists (use --force to overwrite it)", file=sys.stderr)
        return EXIT_CONTENT
    if target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    services.storage.backup(target)
    print(f"backed up {services.settings.database_path} to {target}")
    return 0


def cmd_stats(services: Services, as_json: bool) -> int:
    from bot.curation import staff_reports

    numbers = staff_reports.stats(services.storage, services.store)
    print(json.dumps(numbers) if as_json else staff_reports.stats_text(numbers))
    return 0


def cmd_run(directory: Path) -> int:
    from bot.operations.config import Settings
    from bot.telegram.app import run

    settings = Settings.from_env(knowledge_dir=directory)
    return run(settings)
