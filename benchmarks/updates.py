"""Throughput of the Telegram front: text updates through the real PTB Application.

    /tmp/venv/bin/python benchmarks/updates.py
    /tmp/venv/bin/python benchmarks/updates.py --updates 5000

Run from the repository root (any venv with the project's dependencies will do).
``build_application`` wires the real handlers, answering core and SQLite storage (in a
temporary data folder, WAL mode: every question is committed to the conversation log
before its reply, and that write is part of what is measured). The headline run answers
Bot API calls with a canned request class that records only a count, so the figure is
the bot's own cost; a second run uses tests/support's ``RecordingRequest``, which
validates every call like Telegram (HTML parsing included), with timing wrappers, to
show where the time goes. No network is involved. The rate limiter is disabled:
AIORateLimiter holds the bot to Telegram's 30 messages per second by design, which
would measure the limit, not the bot.

The process is pinned to one CPU (``os.sched_setaffinity``) where the platform allows.
The updates (private text messages from 1,000 users: 70% questions of tests/eval/*.yaml,
15% greetings, 15% off-topic questions that fall back) are built before the clock starts.
After 100 warm-up updates, each of ``--updates`` updates is awaited with
``Application.process_update`` one after another; latency is that await. Reported:
updates/s, latency p50 / p99 / max, peak RSS (``ru_maxrss``, which includes the prebuilt
updates), the time from before ``build_application`` to after ``post_init``, and where the
time goes: ``Answerer.ask``, the public methods of the SQLite stores (the conversation log,
contact forms, tickets) and the fake Bot API are timed by wrappers installed in this
process only; the rest is PTB (handler dispatch, building requests, parsing the answers
into Message objects), the dialogue and rendering. For reference, the same fake Bot API is
then driven by a bare Application whose one handler sends a fixed answer-sized message:
the floor that PTB and the fake set, with no bot work at all.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import inspect
import json
import logging
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import (  # noqa: E402
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode  # noqa: E402
from telegram.ext import (  # noqa: E402
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData  # noqa: E402

from bot.answering.answerer import Answerer, Reply  # noqa: E402
from bot.answering.evaluation import load_cases  # noqa: E402
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR  # noqa: E402
from bot.operations.config import Settings  # noqa: E402
from bot.storage.contacts import ContactStore  # noqa: E402
from bot.storage.database import Storage  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.understanding.followups import Context  # noqa: E402
from tests.support.memory_request import InMemoryRequest  # noqa: E402
from tests.support.recording_request import RecordingRequest  # noqa: E402
from tests.support.updates import TOKEN, make_text_update  # noqa: E402

P = ParamSpec("P")
R = TypeVar("R")

EVAL_FILES = (ROOT / "tests/eval/enquiries.yaml", ROOT / "tests/eval/holdout.yaml")
GREETINGS = [
    "hi",
    "hello",
    "hello there",
    "hey",
    "good morning",
    "thanks",
    "thank you",
    "thanks a lot",
    "bye",
    "cheers",
]
OFF_TOPIC = [
    "what is the weather in copenhagen tomorrow",
    "can you recommend a good pizza place",
    "how do i reset my password",
    "who won the football match last night",
    "what time does the train to malmo leave",
    "tell me a joke",
    "is it going to rain this weekend",
    "how much does a flight to new york cost",
    "what is the capital of australia",
    "my parcel has not arrived",
]
USERS = 1000
# The SQLite stores whose methods are timed.
STORES = [Storage, ContactStore]
STORAGE = "SQLite (WAL): " + ", ".join(c.__name__ for c in STORES)
WARMUP = 100
# What the floor handler sends: an answer-sized HTML message with three buttons.
FLOOR_TEXT = (
    "Torsten Jepsen is based in <b>Boston-Cambridge</b>, Massachusetts, US, which MVA's "
    "2011 article calls one of the world's leading life science clusters.\n\n"
    "<i>Source: “Boston-Cambridge, a Life Science Cluster that is Second to None”, "
    "Medicon Valley Alliance, 4 July 2011</i>"
)
TARGET = "target: ratio >= 0.8 (issue 8)"
FAKE_API = "fake Bot API (RecordingRequest)"


class Stopwatch:
    """Seconds and calls accumulated by the wrapped functions, per name. A call made
    inside another call of the same name is not counted twice."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._depth: Counter[str] = Counter()

    def wrap(self, name: str, function: Callable[P, R]) -> Callable[P, R]:
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            self._depth[name] += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._depth[name] -= 1
                if not self._depth[name]:
                    self.seconds[name] += time.perf_counter() - start
                    self.calls[name] += 1

        return timed

    def wrap_methods(self, name: str, cls: type, skip: frozenset[str]) -> None:
        """Time every public method ``cls`` defines (not ``skip``) under ``name``."""
        for attribute, value in list(vars(cls).items()):
            public = not attribute.startswith("_") and attribute not in skip
            if public and inspect.isfunction(value):
                setattr(cls, attribute, self.wrap(name, value))

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


class TimedRequest(RecordingRequest):
    """RecordingRequest that adds the time spent answering each call to a stopwatch."""

    def __init__(self, stopwatch: Stopwatch) -> None:
        super().__init__()
        self.stopwatch = stopwatch
        self.total_calls = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        start = time.perf_counter()
        try:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        finally:
            self.stopwatch.seconds[FAKE_API] += time.perf_counter() - start
            self.stopwatch.calls[FAKE_API] += 1
            self.total_calls += 1

    def forget(self) -> None:
        """Drop the recorded calls so the record does not grow the heap being measured."""
        self.calls.clear()


class CannedRequest(InMemoryRequest):
    """Answers every Bot API call at once with a minimal valid result; counts calls."""

    async def answer(self, endpoint: str, parameters: dict[str, Any]) -> object:
        if endpoint == "sendMessage":
            chat = {"id": int(str(parameters.get("chat_id", 1))), "type": "private"}
            chat["first_name"] = "A"
            return {"message_id": self.total_calls, "date": 0, "chat": chat, "text": "x"}
        return await super().answer(endpoint, parameters)

    def forget(self) -> None:
        """Nothing is recorded."""


BATCH = 100  # the most updates one getUpdates returns, as Telegram's default limit


class PollingBotApi(CannedRequest):
    """The one fake Bot API both applications of the headline run talk to, in memory.

    getUpdates hands out the prepared updates from its ``offset`` on, ``BATCH`` at a
    time (the next call's offset acknowledges them, as with Telegram), and waits a
    little once they are all out; sendMessage answers with a minimal message; every
    other method with ``true``. Batches are encoded before the clock starts."""

    def __init__(self, updates: list[dict[str, Any]]) -> None:
        super().__init__()
        self.ids = [u["update_id"] for u in updates]
        self.updates = updates
        self.batches = {
            start: json.dumps({"ok": True, "result": updates[start : start + BATCH]}).encode()
            for start in range(0, len(updates), BATCH)
        }

    async def answer(self, endpoint: str, parameters: dict[str, Any]) -> object:
        if endpoint != "getUpdates":
            return await super().answer(endpoint, parameters)
        start = bisect.bisect_left(self.ids, int(str(parameters.get("offset") or 0)))
        if start >= len(self.ids):
            await asyncio.sleep(0.005)  # a long poll with nothing new
            return []
        return self.batches.get(start) or self.updates[start : start + BATCH]


class Finished:
    """Counts the updates an application has finished, with the time of each."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.times: list[float] = []
        self.cpu: list[float] = []  # this process's CPU seconds: what other load cannot steal
        self.all_done = asyncio.Event()

    def install(self) -> None:
        """Wrap ``Application.process_update`` (the class: both applications use it)."""
        process = Application.process_update

        async def counted(app: Application[Any, Any, Any, Any, Any, Any], update: object) -> None:
            await process(app, update)
            self.times.append(time.perf_counter())
            self.cpu.append(time.process_time())
            if len(self.times) >= self.total:
                self.all_done.set()

        Application.process_update = counted  # type: ignore[method-assign,assignment]
        self.original = process

    def restore(self) -> None:
        Application.process_update = self.original  # type: ignore[method-assign]


async def polled(app: Application[Any, Any, Any, Any, Any, Any], total: int) -> tuple[float, float]:
    """Long-poll ``total`` updates through ``app`` as ``run_polling`` does; updates per
    wall-clock second and per CPU second of this process, after the first WARMUP."""
    finished = Finished(total)
    finished.install()
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, allowed_updates=Update.ALL_TYPES)
        await app.start()
        await asyncio.wait_for(finished.all_done.wait(), timeout=600)
        await app.updater.stop()
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
    finally:
        finished.restore()
    times, cpu = finished.times, finished.cpu
    counted = total - WARMUP
    return counted / (times[-1] - times[WARMUP - 1]), counted / (cpu[-1] - cpu[WARMUP - 1])


def bare_application(api: PollingBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    """A bare Application whose one handler sends FLOOR_TEXT with three buttons."""
    app = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).build()
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Helpful", callback_data="f:+1")],
            [InlineKeyboardButton("Not helpful", callback_data="f:-1")],
            [InlineKeyboardButton("Talk to a person", callback_data="c:")],
        ]
    )

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id,
            FLOOR_TEXT,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )

    app.add_handler(MessageHandler(filters.TEXT, reply))
    return app


def update_dicts(count: int, seed: int) -> list[dict[str, Any]]:
    """The headline's stream as Bot API JSON: the same texts and users as ``measure``."""
    rng = random.Random(seed)
    bot = ApplicationBuilder().token(TOKEN).request(CannedRequest()).build().bot
    return [
        make_text_update(bot, text, user_id=1_000_000 + rng.randrange(USERS)).to_dict()
        for text in texts(count, rng)
    ]


async def side_by_side(count: int, seed: int, rounds: int) -> dict[str, Any]:
    """The bot and the bare Application, in turn, ``rounds`` times each, each on a fresh
    PollingBotApi over the same updates."""
    stream = update_dicts(WARMUP + count, seed)
    bot_rates: list[tuple[float, float]] = []
    bare_rates: list[tuple[float, float]] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="bench-updates-") as data_dir:
            settings = Settings(
                token=TOKEN,
                data_dir=Path(data_dir),
                knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
                staff_chat_id=None,
            )
            api = PollingBotApi(stream)
            app = build_application(settings, request=api, updates_request=api, rate_limiter=False)
            bot_rates.append(await polled(app, len(stream)))
        bare_rates.append(await polled(bare_application(PollingBotApi(stream)), len(stream)))
    return {"bot": bot_rates, "bare": bare_rates}


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu} of {os.cpu_count()}"


def texts(count: int, rng: random.Random) -> list[str]:
    questions = [case.ask for path in EVAL_FILES for case in load_cases(path)]
    out = []
    for _ in range(count):
        roll = rng.random()
        pool = questions if roll < 0.70 else GREETINGS if roll < 0.85 else OFF_TOPIC
        out.append(rng.choice(pool))
    return out


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure(count: int, seed: int, data_dir: Path, timed: bool) -> dict[str, Any]:
    """One run. ``timed``: validate calls with RecordingRequest and time the parts
    (this patches classes for good, so run it after the untimed run)."""
    stopwatch = Stopwatch()
    kinds: Counter[str] = Counter()
    if timed:
        ask = Answerer.ask

        def counted_ask(self: Answerer, question: str, context: Context | None = None) -> Reply:
            reply = ask(self, question, context)
            kinds[reply.kind.value] += 1
            return reply

        Answerer.ask = stopwatch.wrap("Answerer.ask", counted_ask)  # type: ignore[method-assign]
        for store in STORES:
            stopwatch.wrap_methods(STORAGE, store, frozenset({"open", "close", "transaction"}))
    errors = ErrorCounter()
    logging.getLogger("bot").addHandler(errors)
    logging.getLogger("telegram").addHandler(errors)

    settings = Settings(
        token=TOKEN,
        data_dir=data_dir,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
        staff_chat_id=None,
    )
    request: TimedRequest | CannedRequest = TimedRequest(stopwatch) if timed else CannedRequest()
    start = time.perf_counter()
    app = build_application(
        settings, request=request, updates_request=RecordingRequest(), rate_limiter=False
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    ready = time.perf_counter() - start
    rss_ready = peak_rss_mib()

    rng = random.Random(seed)
    start = time.perf_counter()
    updates: list[Update] = [
        make_text_update(app.bot, text, user_id=1_000_000 + rng.randrange(USERS))
        for text in texts(WARMUP + count, rng)
    ]
    built = time.perf_counter() - start

    async def handle(update: Update) -> None:
        # As in production: through the update queue, whose put() journals the update
        # in SQLite before it is queued, then handled.
        await app.update_queue.put(update)
        await app.process_update(app.update_queue.get_nowait())

    for update in updates[:WARMUP]:
        await handle(update)
    request.forget()
    stopwatch.reset()
    kinds.clear()
    calls_before = request.total_calls

    latencies: list[float] = []
    start = time.perf_counter()
    for n, update in enumerate(updates[WARMUP:], 1):
        began = time.perf_counter()
        await handle(update)
        latencies.append(time.perf_counter() - began)
        if n % 500 == 0:
            request.forget()
    elapsed = time.perf_counter() - start
    api_calls = request.total_calls - calls_before

    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()
    with sqlite3.connect(settings.database_path) as db:
        logged = db.execute("SELECT count(*) FROM questions").fetchone()[0]
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]

    latencies.sort()
    return {
        "ready_s": ready,
        "rss_ready_mib": rss_ready,
        "built_s": built,
        "elapsed_s": elapsed,
        "updates": count,
        "per_s": count / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "max_ms": 1000 * latencies[-1],
        "rss_mib": peak_rss_mib(),
        "seconds": dict(stopwatch.seconds),
        "calls": dict(stopwatch.calls),
        "kinds": dict(kinds),
        "api_calls": api_calls,
        "logged": logged,
        "journal": journal,
        "errors": errors.count,
    }


def _rates(row: tuple[float, ...]) -> str:
    bot_wall, bare_wall, wall_ratio, bot_cpu, bare_cpu, cpu_ratio = row
    return (
        f"{bot_wall:>13,.0f} {bare_wall:>9,.0f} {wall_ratio:>6.2f}   "
        f"{bot_cpu:>13,.0f} {bare_cpu:>9,.0f} {cpu_ratio:>6.2f}"
    )


def report(head: dict[str, Any], r: dict[str, Any], detail: dict[str, Any], pinned: str) -> None:
    count = r["updates"]
    print(
        f"Telegram front against bare PTB: {count} text updates long-polled in batches of "
        f"{BATCH} (after {WARMUP} warm-up), the same in-memory fake Bot API for both"
    )
    print(f"load average at start {r['load']:.2f} on {os.cpu_count()} CPUs")
    print(f"{pinned}; rate limiter off (AIORateLimiter caps at Telegram's 30 messages/s by design)")
    print(
        "bare PTB: an Application whose one handler sends a fixed answer-sized HTML "
        "message with 3 buttons; rounds alternate bot, bare"
    )
    print()
    header = (
        f"{'round':>6} {'bot updates/s':>13} {'bare PTB':>9} {'ratio':>6}   "
        f"{'bot per CPU s':>13} {'bare PTB':>9} {'ratio':>6}"
    )
    print(f"{'':>6} {'wall clock':^30}   {'CPU time of this process':^30}")
    print(header)
    print("-" * len(header))
    rows = [
        (bot_wall, bare_wall, bot_wall / bare_wall, bot_cpu, bare_cpu, bot_cpu / bare_cpu)
        for (bot_wall, bot_cpu), (bare_wall, bare_cpu) in zip(
            head["bot"], head["bare"], strict=True
        )
    ]
    for n, row in enumerate(rows):
        print(f"{n + 1:>6} " + _rates(row))
    medians = tuple(statistics.median(column) for column in zip(*rows, strict=True))
    print("median " + _rates(medians))
    for label, bot_rate, bare_rate in (
        ("wall", medians[0], medians[1]),
        ("CPU", medians[3], medians[4]),
    ):
        added = 1e6 * (1 / bot_rate - 1 / bare_rate)
        print(f"the bot adds {added:,.0f} us of {label} time per update over bare PTB")
    print(TARGET)
    print()
    print(
        f"one at a time through Application.process_update (journaled by put, as a webhook "
        f"update is), Bot API answered with canned results: start to ready "
        f"(build_application + initialize + post_init) {r['ready_s']:.2f} s, "
        f"peak RSS then {r['rss_ready_mib']:.0f} MiB"
    )
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(detail["kinds"].items(), key=lambda kv: -kv[1]))
    print(f"replies: {kinds}; Bot API calls {r['api_calls']}; errors logged {r['errors']}")
    print(f"conversation log rows: {r['logged']} (journal_mode={r['journal']}, warm-up included)")
    header = f"{'updates/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'peak RSS MiB':>12}"
    print(header)
    print("-" * len(header))
    print(
        f"{r['per_s']:>9,.0f} {r['p50_ms']:>7.3f} {r['p99_ms']:>7.3f} "
        f"{r['max_ms']:>7.2f} {r['rss_mib']:>12.0f}"
    )
    print()
    print(
        "again, every call validated like Telegram by RecordingRequest, parts timed "
        "by wrappers (both add cost):"
    )
    per_s, p50, p99 = detail["per_s"], detail["p50_ms"], detail["p99_ms"]
    print(f"{per_s:>9,.0f} updates/s, p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    print()
    r = detail
    count = r["updates"]
    total = r["elapsed_s"]
    print(f"{'where the time goes':<36} {'us/update':>9} {'share':>6}")
    accounted = 0.0
    for name, seconds in sorted(r["seconds"].items(), key=lambda kv: -kv[1]):
        accounted += seconds
        print(f"{name:<36} {1e6 * seconds / count:>9.0f} {seconds / total:>6.0%}")
    rest = total - accounted
    name = "PTB dispatch, rendering, the rest"
    print(f"{name:<36} {1e6 * rest / count:>9.0f} {rest / total:>6.0%}")
    print(f"{'total':<36} {1e6 * total / count:>9.0f} {1:>6.0%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=5000, help="timed updates (default 5000)")
    parser.add_argument("--seed", type=int, default=20110704)
    parser.add_argument("--rounds", type=int, default=3, help="bot/bare rounds (default 3)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    pinned = pin_to_one_cpu()
    head = asyncio.run(side_by_side(args.updates, args.seed, args.rounds))
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as data_dir:
        result = asyncio.run(measure(args.updates, args.seed, Path(data_dir), timed=False))
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as data_dir:
        detail = asyncio.run(measure(args.updates, args.seed, Path(data_dir), timed=True))
    result["load"] = detail["load"] = load
    report(head, result, detail, pinned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
