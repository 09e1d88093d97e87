"""Chat shorthand ("u", "abt", "pls", "w/") expanded to plain words, from
knowledge/shorthand.yaml. Runs on the word list, before spelling correction, so that
"wat yr massbio founded" reaches retrieval as "what year massbio founded"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Shorthand:
    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = {key: tuple(value.split()) for key, value in table.items() if " " not in key}
        # Two-word keys are a contraction's pieces ("y all" for "y'all"), looked at first.
        self._pairs = {
            tuple(key.split()): tuple(value.split()) for key, value in table.items() if " " in key
        }

    @property
    def words(self) -> frozenset[str]:
        """The shorthand words it knows."""
        return frozenset(self._table)

    def expand(self, ws: Sequence[str]) -> list[str]:
        table, pairs = self._table, self._pairs
        if not table and not pairs:
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
