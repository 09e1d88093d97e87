"""Language detection: accuracy on the eval sets' messages, short ones apart, and speed.

    .venv/bin/python benchmarks/languages.py
    .venv/bin/python benchmarks/languages.py --test        # also the Danish and Swedish test sets
    PYTHONPATH=/some/dir .venv/bin/python benchmarks/languages.py   # with lingua, langdetect

Run from the repository root. The messages are every question and context message of
tests/eval/*.yaml (a case's ``lang``, else English; the Danish and Swedish test sets
only with ``--test``), plus ``FOREIGN`` below: messages in languages the bot does not
speak, which must get the English list of the languages it speaks ("other"). A message
of at most ``SHORT`` words is short. No client language is given (the hint): every
message is judged by its words alone.

Each detector is ours (``Answerers.detect`` and ``Answerers.speaks``) and, when they can
be imported, lingua (restricted to English, Danish, Swedish, German, Finnish, French,
Spanish, Dutch and Norwegian Bokmål) and langdetect (seeded), neither of them a
dependency of the bot: install them into a folder of your own and put it on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering.evaluation import load_cases  # noqa: E402
from bot.answering.languages import Answerers  # noqa: E402
from bot.common.textnorm import words  # noqa: E402
from bot.knowledge.base import load_knowledge  # noqa: E402

SHORT = 4
# Written for this measurement (not blind): German, Finnish, French, Spanish, Dutch.
FOREIGN = (
    "Wer ist der Botschafter von MVA in Boston?",
    "Wann wurde MassBio gegründet?",
    "Guten Tag, ich hätte eine Frage zum Programm",
    "Was macht der Botschafter genau?",
    "Wie viele Biotech-Firmen gibt es in Boston?",
    "Kann ich mit jemandem sprechen?",
    "Danke schön!",
    "Ich suche Informationen über Medicon Valley",
    "Kuka on MVA:n suurlähettiläs Bostonissa?",
    "Milloin MassBio perustettiin?",
    "Mitä suurlähettiläs tekee?",
    "Kiitos paljon avusta",
    "Voinko puhua jonkun kanssa?",
    "Montako bioteknologiayritystä Bostonissa on?",
    "Qui est l'ambassadeur de MVA à Boston ?",
    "Quand MassBio a-t-il été fondé ?",
    "Que fait l'ambassadeur exactement ?",
    "Merci beaucoup pour votre aide",
    "¿Quién es el embajador en Boston?",
    "¿Cuándo se fundó MassBio?",
    "Muchas gracias por la información",
    "Wie is de ambassadeur in Boston?",
    "Wanneer is MassBio opgericht?",
    "Wat doet de ambassadeur precies?",
)
LABELS = ("en", "da", "sv", "other")


def samples(with_test: bool) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted((ROOT / "tests/eval").glob("*.yaml")):
        if not with_test and path.name in ("da-test.yaml", "sv-test.yaml"):
            continue
        for case in load_cases(path):
            label = case.lang.value if case.lang else "en"
            out.extend((message, label) for message in (*case.context, case.ask))
    out.extend((message, "other") for message in FOREIGN)
    return out


def detectors(answerers: Answerers) -> dict[str, Callable[[str], str]]:
    def ours(text: str) -> str:
        return answerers.detect(text).value if answerers.speaks(text) else "other"

    found: dict[str, Callable[[str], str]] = {"ours": ours}
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        pass
    else:
        detector = LanguageDetectorBuilder.from_languages(
            Language.ENGLISH,
            Language.DANISH,
            Language.SWEDISH,
            Language.GERMAN,
            Language.FINNISH,
            Language.FRENCH,
            Language.SPANISH,
            Language.DUTCH,
            Language.BOKMAL,
        ).build()
        codes = {Language.ENGLISH: "en", Language.DANISH: "da", Language.SWEDISH: "sv"}

        def lingua(text: str) -> str:
            found = detector.detect_language_of(text)
            return codes.get(found, "other") if found is not None else "en"

        found["lingua"] = lingua
    try:
        import langdetect
    except ImportError:
        pass
    else:
        langdetect.DetectorFactory.seed = 0

        def by_langdetect(text: str) -> str:
            try:
                code = str(langdetect.detect(text))
            except langdetect.LangDetectException:
                return "en"
            return code if code in ("en", "da", "sv") else "other"

        found["langdetect"] = by_langdetect
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--test", action="store_true", help="include the da/sv test sets")
    parser.add_argument("--misses", action="store_true", help="list what each gets wrong")
    args = parser.parse_args()
    answerers = Answerers.from_knowledge(load_knowledge())
    messages = samples(args.test)
    print(f"{len(messages)} messages; short: at most {SHORT} words; no client language")
    print(f"{'detector':<11} {'all':>17} {'short':>17}  " + "  ".join(f"{x:>20}" for x in LABELS))
    for name, detect in detectors(answerers).items():
        detect(messages[0][0])  # warm up: load what a first message loads
        got, times = [], []
        for text, label in messages:
            started = time.perf_counter()
            got.append((detect(text), label, text))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p99 = times[int(len(times) * 0.99)]
        per_message = f"{statistics.mean(times):.3f} ms mean, {p99:.3f} ms p99"

        def share(rows: list[tuple[str, str, str]]) -> str:
            right = sum(found == label for found, label, _ in rows)
            return f"{right / len(rows):.3f} ({right}/{len(rows)})" if rows else "-"

        short = [row for row in got if len(words(row[2])) <= SHORT]
        per_label = [
            f"{share([r for r in got if r[1] == x])}/{share([r for r in short if r[1] == x])}"
            for x in LABELS
        ]
        print(
            f"{name:<11} {share(got):>17} {share(short):>17}  "
            + "  ".join(f"{x:>20}" for x in per_label)
            + f"   {per_message}"
        )
        if args.misses:
            for found, label, text in got:
                if found != label:
                    print(f"    {label} -> {found}: {text[:100]!r}")
    print("per language: all/short")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
