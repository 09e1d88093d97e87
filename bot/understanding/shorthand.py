"""Chat shorthand ("u", "abt", "pls", "w/") expanded to plain words, from
knowledge/shorthand.yaml. Runs on the word list, before spelling correction, so that
"wat yr massbio founded" reaches retrieval as "what year massbio founded"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Shorthand:
    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = {key: tuple(value.split()) for key, value in table.items()}

    @property
    def words(self) -> frozenset[str]:
        """The shorthand words it knows."""
        return frozenset(self._table)

    def expand(self, ws: Sequence[str]) -> list[str]:
        table = self._table
        if not table:
            return list(ws)
        out: list[str] = []
        for w in ws:
            expansion = table.get(w)
            if expansion is None:
                out.append(w)
            else:
                out.extend(expansion)
        return out
