"""Command line: ``python -m bot {run,chat,ask,eval,kb check}``.

With no command, ``python -m bot`` runs the Telegram bot when TELEGRAM_BOT_TOKEN is set
and the terminal chat otherwise. Core errors are translated here into one readable
line per problem and an exit code: 1 for content problems, 2 for bad settings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from bot import __version__
from bot.answering import Answerer
from bot.errors import ConfigError, KnowledgeError
from bot.evaluation import evaluate, load_cases
from bot.kb_lint import lint
from bot.knowledge import load_knowledge
from bot.terminal import render_reply

EXIT_CONTENT = 1
EXIT_CONFIG = 2


def knowledge_dir(explicit: str | None = None) -> Path:
    from bot.knowledge import DEFAULT_KNOWLEDGE_DIR

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
    knowledge_option(chat)

    ask = commands.add_parser("ask", help="answer one question (or one per line of stdin)")
    ask.description = "Answer QUESTION, or each line of standard input when it is omitted."
    ask.add_argument("question", nargs="*", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    knowledge_option(ask)

    ev = commands.add_parser("eval", help="score the bot on an eval set")
    ev.description = (
        "FILE is a YAML list of {ask, expect, contains} cases. Prints each failure and "
        "'accuracy: 0.950 (57/60)'."
    )
    ev.add_argument("file", metavar="FILE")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument(
        "--min-accuracy", type=float, metavar="X", help="exit 1 when accuracy is below X"
    )
    knowledge_option(ev)

    kb = commands.add_parser("kb", help="knowledge base tools")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    check = kb_commands.add_parser("check", help="validate a knowledge folder")
    check.description = (
        "Validate DIR (default: the shipped knowledge/): schema, unique ids, follow-ups, "
        "empty answers, near-duplicate questions, answer length. Exit 1 on errors."
    )
    check.add_argument("dir", nargs="?", metavar="DIR")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or ("run" if os.environ.get("TELEGRAM_BOT_TOKEN") else "chat")
    try:
        if command == "kb":
            return cmd_kb_check(knowledge_dir(args.dir))
        if command == "run":
            return cmd_run(knowledge_dir(getattr(args, "knowledge", None)))
        kb = load_knowledge(knowledge_dir(getattr(args, "knowledge", None)))
        answerer = Answerer(kb)
        if command == "ask":
            questions = [" ".join(args.question)] if args.question else _lines(sys.stdin)
            return cmd_ask(answerer, questions, args.json, sys.stdout)
        if command == "eval":
            return cmd_eval(answerer, args.file, args.json, args.min_accuracy)
        return cmd_chat(answerer, sys.stdin, sys.stdout)
    except KnowledgeError as exc:
        for issue in exc.issues:
            print(f"error: {issue}", file=sys.stderr)
        return EXIT_CONTENT
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _lines(stream: TextIO) -> Iterable[str]:
    for line in stream:
        if line.strip():
            yield line.rstrip("\n")


def cmd_ask(answerer: Answerer, questions: Iterable[str], as_json: bool, out: TextIO) -> int:
    for question in questions:
        reply = answerer.ask(question)
        if as_json:
            out.write(json.dumps(reply.as_dict(), ensure_ascii=False) + "\n")
        else:
            header = f"[{reply.kind.value}"
            if reply.entry_id:
                header += f" {reply.entry_id}"
            header += f" {reply.score:.3f}]"
            out.write(f"{header}\n{render_reply(answerer.kb, reply)}\n\n")
        out.flush()
    return 0


def cmd_eval(answerer: Answerer, path: str, as_json: bool, minimum: float | None) -> int:
    report = evaluate(load_cases(path), answerer.ask)
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for failure in report.failures:
            case, reply = failure.case, failure.reply
            want = case.expect.value
            if case.contains:
                want += f" containing {list(case.contains)}"
            got = f"{reply.kind.value} ({reply.entry_id or '-'}, {reply.score:.3f})"
            print(f"FAIL {path}:{case.line}: {case.ask!r}: expected {want}, got {got}")
        print(report.summary())
    if minimum is not None and report.accuracy < minimum:
        return EXIT_CONTENT
    return 0


def cmd_kb_check(directory: Path) -> int:
    try:
        kb = load_knowledge(directory)
    except KnowledgeError as exc:
        for issue in exc.issues:
            print(f"error: {issue}")
        print(f"{len(exc.issues)} error(s)")
        return EXIT_CONTENT
    errors, warnings = lint(kb)
    for issue in errors:
        print(f"error: {issue}")
    for issue in warnings:
        print(f"warning: {issue}")
    questions = sum(len(e.questions) for e in kb)
    print(
        f"{len(kb)} entries, {questions} questions, {len(kb.synonyms)} synonym groups: "
        f"{len(errors)} error(s), {len(warnings)} warning(s)"
    )
    return EXIT_CONTENT if errors else 0


def cmd_chat(answerer: Answerer, stdin: TextIO, out: TextIO) -> int:
    from bot.dialogue import Dialogue
    from bot.storage import Storage
    from bot.terminal_chat import TerminalChat

    data_dir = Path(os.environ.get("BOT_DATA_DIR", "").strip() or "data")
    with Storage(data_dir / "bot.sqlite3") as storage:
        return TerminalChat(Dialogue(answerer, storage), stdin, out).run()


def cmd_run(directory: Path) -> int:
    from bot.config import Settings
    from bot.telegram_app import run

    settings = Settings.from_env(knowledge_dir=directory)
    return run(settings)
