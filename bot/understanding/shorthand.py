"""Chat shorthand ("u", "abt", "pls", "w/") expanded to plain words, from
knowledge/shorthand.yaml. Runs on the word list, before spelling correction, so that
"wat yr massbio founded" reaches retrieval as "what year massbio founded"."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence


class Shorthand:
    """``fold`` splits keys and values into words as messages are split (a language's
    ``Analyzer.words``): "hvornaar" and "hvornår" are then one word."""

    def __init__(
        self, table: Mapping[str, str], fold: Callable[[str], list[str]] = str.split
    ) -> None:
        self._table = {
            " ".join(fold(key)): tuple(fold(value))
            for key, value in table.items()
            if " " not in key
        }
        # Two-word keys are a contraction's pieces ("y all" for "y'all"), looked at first.
        self._pairs = {
            tuple(fold(key)): tuple(fold(value)) for key, value in table.items() if " " in key
        }
        # A key that folds onto what it stands for ("hvornaar": "hvornår") expands nothing.
        self._table = {k: v for k, v in self._table.items() if (k,) != v}
        # Every word that can start an expansion: most messages hold none (one set test).
        self._starts = frozenset(self._table) | {pair[0] for pair in self._pairs}

    @property
    def words(self) -> frozenset[str]:
        """The shorthand words it knows."""
        return frozenset(self._table)

    def expand(self, ws: Sequence[str]) -> list[str]:
        table, pairs = self._table, self._pairs
        if self._starts.isdisjoint(ws):
            return list(ws)
        out: list[str] = []
        i, end = 0, len(ws)
        while i < end:
            pair = pairs.get(tuple(ws[i : i + 2])) if pairs else None
            if pair is not None:
                out.extend(pair)
                i += 2
                continue
            expansion = table.get(ws[i])
            if expansion is None:
                out.append(ws[i])
            else:
                out.extend(expansion)
            i += 1
        return out
