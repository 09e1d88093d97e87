"""Retrieval benchmark: index build time, query latency and memory, plus eval accuracy.

    /tmp/venv/bin/python benchmarks/retrieval.py
    /tmp/venv/bin/python benchmarks/retrieval.py --queries 3000 --sizes shipped,1000,20000

Run from the repository root (any venv with the project's dependencies will do). For each
knowledge base size a fresh subprocess (``--child SIZE``) builds an ``Answerer`` (normaliser,
intents, BM25 index and speller) and times ``Answerer.ask`` on every query, so sizes do not
share caches or memory. It reports:

- build: wall time of ``Answerer(kb)``;
- p50 / p99 / max: latency of ``Answerer.ask`` (the whole path: words, spelling
  correction, greeting and contact intents, BM25 search, classification) over ``--queries``
  queries, after 200 warm-up queries that are not counted;
- answered: the share of the timed queries whose reply is an answer (not a fallback,
  greeting, contact or choice of entries);
- memory: peak RSS of the subprocess (``ru_maxrss``) and its growth over the peak before
  the ``Answerer`` was built, i.e. what the index and the queries add on top of the
  interpreter, the imports and the (synthetic) knowledge base objects. tracemalloc is not
  used: it slows every allocation and would distort the timings.

Sizes: ``shipped`` is knowledge/ as it is; a number N is the shipped entries plus synthetic
ones up to N entries in all, built in memory (``dataclasses.replace`` on the shipped
knowledge base, whose synonyms and intents stay). Synthetic entries draw words from a
Zipf-distributed vocabulary (s = 1) of about 4,000 words: the shipped knowledge base's
words ranked by their frequency there ("the", "of", "ambassador", "boston", ...), then
made-up ones, so common words hit many documents (at 20,000 entries the "ambassador"
synonym group is in about one phrasing in seven). Each entry has 8 phrasings of 4 to 10
words that share 2 or 3 of its 3 key words (one Zipf-drawn, two uniform), 3 tags and an
answer of 40 words.

Queries: 50% paraphrases of random entries (a phrasing with words dropped, shuffled, given
a typo or an extra common word), 20% the questions of tests/eval/*.yaml as typed, 15% long
messages of 300 to 1,000 characters (sentences of introduction and background around one
or two paraphrases, then a sign-off) and 15% multi-part questions (two or three
paraphrases joined by "and", commas and question marks). p99 is reported for all queries
and separately for the long and the multi-part ones.

Finally the accuracy on the eval sets: ours (``evaluate(cases, Answerers.ask)``) next to
a naive baseline, rank_bm25's BM25Okapi over each entry's question and alternates with
``str.lower().split()`` tokens that always answers its top entry. A baseline case passes
when it expects an answer and the reply the bot would show for that entry (its answer and
source line, as for ours) contains every ``contains`` string, case-insensitively.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rank_bm25 import BM25Okapi  # noqa: E402

import bot.answering.answerer  # noqa: E402
from bot.answering.answerer import Answerer, Kind  # noqa: E402
from bot.answering.evaluation import Case, evaluate, load_cases  # noqa: E402
from bot.answering.languages import Answerers  # noqa: E402
from bot.answering.retrieval import Index  # noqa: E402
from bot.common.languages import Language  # noqa: E402
from bot.common.textnorm import words  # noqa: E402
from bot.knowledge.base import Entry, KnowledgeBase, load_knowledge  # noqa: E402

EVAL_FILES = tuple(sorted((ROOT / "tests/eval").glob("*.yaml")))
INTRODUCTIONS = (
    "Hello, my name is Sofie and I run a small medtech start-up in Aarhus.",
    "We are preparing a trip to the US next spring and a colleague told me about you.",
    "I work in business development at a university hospital and read your article.",
    "For some background, we have been developing a diagnostic platform for six years.",
    "Our board asked me to look into transatlantic partnerships before the summer.",
    "I am writing a thesis on life science clusters and how they cooperate abroad.",
)
SIGN_OFFS = ("Many thanks in advance.", "Best regards, Anna", "Thanks a lot!", "Cheers")
DEFAULT_SIZES = "shipped,1000,20000"
WARMUP = 200
VOCABULARY_SIZE = 4000
PHRASINGS = 8
KEY_WORDS = 3
ANSWER_WORDS = 40
TARGETS = "targets: p99 <= 2 ms on the shipped knowledge base, <= 15 ms at 20,000 entries"
MEMORY_TARGET = "target: index memory <= 2 KiB per entry at 20,000 entries"

_ONSETS = "b c d f g h j k l m n p r s t v w z br ch dr fl gr kr pl sh st tr".split()
_VOWELS = "a e i o u ai ea io ou".split()
_CODAS = ["", "", "", "n", "r", "s", "l", "m", "nd", "st", "x"]


# -- synthetic knowledge base -------------------------------------------------------------


def made_up_word(rng: random.Random) -> str:
    syllables = rng.randint(2, 3)
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + (
        rng.choice(_CODAS)
    )


def zipf_vocabulary(kb: KnowledgeBase, rng: random.Random) -> list[str]:
    """About VOCABULARY_SIZE words, most common first: the shipped knowledge base's words
    by their frequency there ("the", "of", "ambassador", "boston", ...), then made-up
    words in random order."""
    counts: Counter[str] = Counter()
    for entry in kb:
        for text in (*entry.questions, entry.answer, " ".join(entry.tags)):
            counts.update(w for w in words(text) if w.isalpha())
    vocabulary = [w for w, _ in counts.most_common()]
    known = set(vocabulary)
    while len(vocabulary) < VOCABULARY_SIZE:
        word = made_up_word(rng)
        if word not in known:
            known.add(word)
            vocabulary.append(word)
    return vocabulary


class ZipfSampler:
    def __init__(self, vocabulary: list[str], rng: random.Random, s: float = 1.0) -> None:
        self.vocabulary = vocabulary
        self.rng = rng
        weights = [1.0 / (rank**s) for rank in range(1, len(vocabulary) + 1)]
        self.cumulative = list(np.cumsum(weights))

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=k)


def synthetic_kb(kb: KnowledgeBase, size: int, rng: random.Random) -> KnowledgeBase:
    """The shipped entries plus synthetic ones, ``size`` entries in all."""
    sampler = ZipfSampler(zipf_vocabulary(kb, rng), rng)
    template = next(iter(kb))
    entries: dict[str, Entry] = dict(kb.entries)
    for n in range(size - len(entries)):
        # One topical word (Zipf) and two distinctive ones (uniform over the vocabulary).
        keys = sampler.draw(1) + rng.sample(sampler.vocabulary, KEY_WORDS - 1)
        phrasings = []
        for _ in range(PHRASINGS):
            length = rng.randint(4, 10)
            kept = rng.sample(keys, rng.randint(2, KEY_WORDS))
            phrase = kept + sampler.draw(max(length - len(kept), 1))
            rng.shuffle(phrase)
            phrasings.append(" ".join(phrase))
        answer_words = keys + sampler.draw(ANSWER_WORDS - KEY_WORDS)
        rng.shuffle(answer_words)
        entry_id = f"synthetic-{n:05d}"
        entries[entry_id] = replace(
            template,
            id=entry_id,
            question=phrasings[0].capitalize() + "?",
            alternates=tuple(phrasings[1:]),
            answer=" ".join(answer_words).capitalize() + ".",
            tags=(keys[0], *sampler.draw(2)),
            follow_ups=(),
            file="synthetic.yaml",
            line=n + 1,
            question_lines=(),
        )
    return replace(kb, entries=entries)


# -- queries ------------------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    """One edit: swap two neighbouring letters or replace one."""
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def paraphrase(entry: Entry, common: list[str], rng: random.Random) -> str:
    ws = rng.choice(entry.questions).lower().rstrip("?").split()
    for _ in range(rng.randint(0, 2)):
        if len(ws) > 2:
            ws.pop(rng.randrange(len(ws)))
    if rng.random() < 0.5:
        rng.shuffle(ws)
    long = [i for i, w in enumerate(ws) if len(w) >= 6 and w.isalpha()]
    if long and rng.random() < 0.3:
        i = rng.choice(long)
        ws[i] = typo(ws[i], rng)
    if rng.random() < 0.3:
        ws.insert(rng.randrange(len(ws) + 1), rng.choice(common))
    return " ".join(ws)


def eval_questions() -> list[str]:
    return [case.ask for path in EVAL_FILES for case in load_cases(path)]


def long_message(entries: list[Entry], common: list[str], rng: random.Random) -> str:
    """Introduction and background around one or two questions, 300-1,000 characters."""
    questions = [
        paraphrase(rng.choice(entries), common, rng) + "?" for _ in range(rng.randint(1, 2))
    ]
    sentences = [*rng.sample(INTRODUCTIONS, rng.randint(2, 4)), *questions, rng.choice(SIGN_OFFS)]
    text = " ".join(sentences)
    while len(text) < 300:
        text = f"{rng.choice(INTRODUCTIONS)} {text}"
    return text[:1000]


def multi_part(entries: list[Entry], common: list[str], rng: random.Random) -> str:
    parts = [paraphrase(rng.choice(entries), common, rng) for _ in range(rng.randint(2, 3))]
    joins = [" and ", ", and ", "? ", "? Also, "]
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice(joins) + part
    return text + "?"


def make_queries(kb: KnowledgeBase, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is "short", "long" or "multi"."""
    entries = list(kb)
    real = eval_questions()
    common = ["what", "how", "who", "when", "where", "about", "the", "is", "does", "info"]
    out: list[tuple[str, str]] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5:
            out.append(("short", paraphrase(rng.choice(entries), common, rng)))
        elif roll < 0.7:
            out.append(("short", rng.choice(real)))
        elif roll < 0.85:
            out.append(("long", long_message(entries, common, rng)))
        else:
            out.append(("multi", multi_part(entries, common, rng)))
    return out


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0


# -- one size, in a subprocess ------------------------------------------------------------


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(size: str, queries: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    kb = load_knowledge()
    if size != "shipped":
        kb = synthetic_kb(kb, int(size), rng)
    asked = make_queries(kb, WARMUP + queries, rng)
    gc.collect()
    rss_before = peak_rss_mib()

    start = time.perf_counter()
    answerer = Answerer(kb)
    build = time.perf_counter() - start

    kinds: Counter[str] = Counter()
    latencies: list[float] = []
    by_shape: dict[str, list[float]] = {"long": [], "multi": []}
    for i, (shape, question) in enumerate(asked):
        start = time.perf_counter()
        reply = answerer.ask(question)
        elapsed = time.perf_counter() - start
        if i >= WARMUP:
            latencies.append(elapsed)
            kinds[reply.kind.value] += 1
            if shape in by_shape:
                by_shape[shape].append(elapsed)
    latencies.sort()
    phrasings = sum(len(e.questions) + bool(e.tags) for e in kb)
    return {
        "size": size,
        "entries": len(kb),
        "phrasings": phrasings,
        "build_s": build,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "max_ms": 1000 * latencies[-1],
        "p99_long_ms": p99(by_shape["long"]),
        "p99_multi_ms": p99(by_shape["multi"]),
        "mean_ms": 1000 * statistics.fmean(latencies),
        "queries": len(latencies),
        "answered": kinds[Kind.ANSWER.value] / len(latencies),
        "rss_mib": peak_rss_mib(),
        "rss_growth_mib": peak_rss_mib() - rss_before,
    }


def index_memory(size: str, seed: int) -> dict[str, Any]:
    """What the ``Index`` an ``Answerer`` builds keeps, and its peak while building, by
    tracemalloc (numpy's buffers included) started just around ``Index.__init__``: the
    knowledge base and the rest of the Answerer are not counted, the text caches the
    build fills are."""
    kb = load_knowledge()
    if size != "shipped":
        kb = synthetic_kb(kb, int(size), random.Random(seed))
    traced: dict[str, int] = {}

    class TracedIndex(Index):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            gc.collect()
            tracemalloc.start()
            super().__init__(*args, **kwargs)
            gc.collect()
            traced["kept"], traced["peak"] = tracemalloc.get_traced_memory()
            tracemalloc.stop()

    bot.answering.answerer.Index = TracedIndex  # type: ignore[misc]
    Answerer(kb)
    return {"entries": len(kb), **traced}


def run_child(size: str, queries: int, seed: int, memory: bool = False) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", size]
    command += ["--queries", str(queries), "--seed", str(seed)]
    command += ["--memory"] if memory else []
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"size {size} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- accuracy -----------------------------------------------------------------------------


def baseline_passed(answerer: Answerer, cases: list[Case]) -> int:
    """Cases the naive BM25 baseline passes (see the module docstring)."""
    ids = list(answerer.kb.entries)
    corpus = [" ".join(answerer.kb.entries[i].questions).lower().split() for i in ids]
    bm25 = BM25Okapi(corpus)
    passed = 0
    for case in cases:
        top = ids[int(np.argmax(bm25.get_scores(case.ask.lower().split())))]
        shown = answerer.entry_reply(top).text.casefold()
        if case.expect is Kind.ANSWER and all(c.casefold() in shown for c in case.contains):
            passed += 1
    return passed


def accuracy_table() -> list[str]:
    answerers = Answerers.from_knowledge(load_knowledge())
    lines = [
        "eval accuracy: naive BM25 = rank_bm25 BM25Okapi over question + alternates of the "
        "set's language, str.lower().split(), always answers its top entry; ours = "
        "Answerers.ask (the language detected)",
        f"{'eval set':<28} {'cases':>5}  {'naive BM25':>14}  {'ours':>14}",
    ]
    for path in EVAL_FILES:
        cases = load_cases(path)
        ours = evaluate(cases, answerers.ask, answerers.detect)
        lang = cases[0].lang if cases and cases[0].lang else Language.EN
        naive = baseline_passed(answerers.for_language(lang), cases)
        lines.append(
            f"{path.relative_to(ROOT)!s:<28} {len(cases):>5}  "
            f"{naive / len(cases):>6.3f} ({naive:>3}/{len(cases):>3})  "
            f"{ours.accuracy:>6.3f} ({ours.passed:>3}/{ours.total:>3})"
        )
    return lines


# -- main ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"default: {DEFAULT_SIZES}")
    parser.add_argument("--queries", type=int, default=3000, help="timed queries per size")
    parser.add_argument("--seed", type=int, default=20110704)
    parser.add_argument("--child", metavar="SIZE", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.memory:
        print(json.dumps(index_memory(args.child, args.seed)))
        return 0
    if args.child:
        print(json.dumps(measure(args.child, args.queries, args.seed)))
        return 0

    header = (
        f"{'knowledge base':<15} {'entries':>7} {'phrasings':>9} {'build s':>8} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'p99 long':>8} {'p99 multi':>9} "
        f"{'answered':>8} "
        f"{'peak RSS MiB':>12} {'index+queries MiB':>17}"
    )
    print(f"Answerer.ask latency over {args.queries} queries per size (after {WARMUP} warm-up);")
    print("one subprocess per size; memory = ru_maxrss of that subprocess;")
    print(f"load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(header)
    print("-" * len(header))
    for size in args.sizes.split(","):
        r = run_child(size, args.queries, args.seed)
        name = "shipped" if size == "shipped" else f"synthetic {int(size) // 1000}k"
        print(
            f"{name:<15} {r['entries']:>7} {r['phrasings']:>9} {r['build_s']:>8.2f} "
            f"{r['p50_ms']:>7.3f} {r['p99_ms']:>7.3f} {r['max_ms']:>7.2f} "
            f"{r['p99_long_ms']:>8.3f} {r['p99_multi_ms']:>9.3f} "
            f"{r['answered']:>8.0%} {r['rss_mib']:>12.0f} {r['rss_growth_mib']:>17.0f}",
            flush=True,
        )
    print(TARGETS)
    print()
    print("index memory: tracemalloc around Index.__init__ in a fresh subprocess per size")
    header = (
        f"{'knowledge base':<15} {'entries':>7} {'kept MiB':>9} {'KiB/entry':>9} "
        f"{'build peak MiB':>14}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes.split(","):
        m = run_child(size, args.queries, args.seed, memory=True)
        name = "shipped" if size == "shipped" else f"synthetic {int(size) // 1000}k"
        print(
            f"{name:<15} {m['entries']:>7} {m['kept'] / 2**20:>9.1f} "
            f"{m['kept'] / 1024 / m['entries']:>9.2f} {m['peak'] / 2**20:>14.0f}",
            flush=True,
        )
    print(MEMORY_TARGET)
    print()
    for line in accuracy_table():
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
