"""Sweep the answer threshold and ambiguity ratio over eval sets and print accuracy.

    python benchmarks/calibrate.py tests/eval/dev.yaml tests/eval/dev2.yaml

Calibrate on the dev sets only, never on tests/eval/test.yaml. Prints one row per
threshold, one column per ambiguity ratio, each cell "accuracy over all cases/the
largest share of confidently wrong replies in any one file", and the best pair: the
highest accuracy among the cells where no file has more than 3% confidently wrong
replies (all cells if none), ties to the threshold nearest the middle of the grid, the
least brittle choice. The chosen values live in bot.answering.answerer.Thresholds;
benchmarks/README.md ("Calibration") records the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answering.answerer import Answerer, Thresholds
from bot.answering.evaluation import evaluate, load_cases
from bot.knowledge.base import load_knowledge

THRESHOLDS = [0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]
RATIOS = [0.90, 0.95, 0.97, 0.99, 1.01]
MAX_WRONG = 0.03


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="eval sets (YAML)")
    args = parser.parse_args()
    answerer = Answerer(load_knowledge())
    sets = [load_cases(path) for path in args.files]
    cases = [case for cases_of_file in sets for case in cases_of_file]
    print(
        f"{len(cases)} cases in {len(sets)} files; columns are ambiguity ratios; "
        "cells accuracy/worst file's confidently wrong"
    )
    print("threshold " + "".join(f"{r:>13.2f}" for r in RATIOS))
    middle = THRESHOLDS[len(THRESHOLDS) // 2]
    cells: list[tuple[float, float, float, float]] = []
    for threshold in THRESHOLDS:
        row = []
        for ratio in RATIOS:
            answerer.thresholds = Thresholds(threshold, ratio)
            reports = [evaluate(cases_of_file, answerer.ask) for cases_of_file in sets]
            passed = sum(r.passed for r in reports) / len(cases)
            # The gate holds each set to the bar, so the worst set decides.
            worst = max(r.confidently_wrong_share for r in reports)
            row.append(f"{passed:.3f}/{worst:.3f}")
            cells.append((passed, worst, threshold, ratio))
        print(f"{threshold:<9.2f} " + "".join(f"{c:>13}" for c in row))
    safe = [c for c in cells if c[1] <= MAX_WRONG] or cells
    accuracy, wrong, threshold, ratio = max(safe, key=lambda c: (c[0], -abs(c[2] - middle)))
    print(
        f"best: accuracy {accuracy:.3f}, confidently wrong {wrong:.3f} at threshold "
        f"{threshold:.2f}, ratio {ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
