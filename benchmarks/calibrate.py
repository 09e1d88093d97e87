"""Sweep the answer threshold and ambiguity ratio over eval sets and print accuracy.

    python benchmarks/calibrate.py tests/eval/enquiries.yaml [more.yaml ...]

Prints one row per threshold, one column per ambiguity ratio, and the best pair (ties go
to the threshold nearest the middle of the grid, the least brittle choice). The chosen
values live in bot.answering.Thresholds; the README's "Retrieval quality" section
records the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answering import Answerer, Thresholds
from bot.evaluation import evaluate, load_cases
from bot.knowledge import load_knowledge

THRESHOLDS = [0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]
RATIOS = [0.90, 0.95, 0.97, 0.99, 1.01]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="eval sets (YAML)")
    args = parser.parse_args()
    answerer = Answerer(load_knowledge())
    cases = [case for path in args.files for case in load_cases(path)]
    print(f"{len(cases)} cases; columns are ambiguity ratios")
    print("threshold " + "".join(f"{r:>8.2f}" for r in RATIOS))
    middle = THRESHOLDS[len(THRESHOLDS) // 2]
    best: tuple[float, float, float, float] = (-1.0, 0.0, 0.0, 0.0)
    for threshold in THRESHOLDS:
        row = []
        for ratio in RATIOS:
            answerer.thresholds = Thresholds(threshold, ratio)
            accuracy = evaluate(cases, answerer.ask).accuracy
            row.append(accuracy)
            best = max(best, (accuracy, -abs(threshold - middle), threshold, ratio))
        print(f"{threshold:<9.2f} " + "".join(f"{a:>8.3f}" for a in row))
    print(f"best: accuracy {best[0]:.3f} at threshold {best[2]:.2f}, ratio {best[3]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
