"""Chat shorthand ("u", "abt", "pls", "w/") expanded to plain words, from
knowledge/shorthand.yaml. Runs on the word list, before spelling correction, so that
"wat yr massbio founded" reaches retrieval as "what year massbio founded"; and on the
text before it is split into sentences and clauses (``respell``), so that a question
word typed as shorthand ("hwor", "whr") starts a question of its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

# A word standing alone between spaces or punctuation: not the "R" of "R&D", the "e"
# of "e-mail" or the "w" of "w/"; nor one before a period ("medl. antal", "MA."), which
# may be an abbreviation's that the segmenter knows not to end a sentence at.
_TOKEN = re.compile(r"(?<![^\s,;:!?()\"])[\w'’]+(?![^\s,;:!?()\"])")
_IS = ("'s", "’s")


class Shorthand:
    """``fold`` splits keys and values into words as messages are split (a language's
    ``Analyzer.words``): "hvornaar" and "hvornår" are then one word."""

    def __init__(
        self, table: Mapping[str, str], fold: Callable[[str], list[str]] = str.split
    ) -> None:
        self._fold = fold
        self._table = {
            " ".join(fold(key)): tuple(fold(value))
            for key, value in table.items()
            if " " not in key
        }
        # For respell: each one-word key and its value as the YAML writes them, since a
        # language's folding is lossy (Danish "æ" and "å" both read "a"); not a pair's
        # first piece ("r" of "r & d"), which the word list reads with the piece after.
        firsts = {key.split()[0] for key in table if " " in key}
        self._written = {
            k.casefold(): v for k, v in table.items() if " " not in k and k not in firsts
        }
        # For respell too: a two-word key of two plain words ("an how"), as typed.
        spaced = sorted(
            (k for k, v in table.items() if " " in k and k.replace(" ", "").isalpha() and k != v),
            key=lambda k: (-len(k), k),
        )
        self._written_pairs = {k.casefold(): v for k, v in table.items() if k in spaced}
        self._pair_pattern = (
            re.compile(
                # "an' whit's": Scots drops a letter for an apostrophe, and "'s" is "is".
                r"(?<![^\s,;:!?()\"])(?:"
                + "|".join(r"['’]?\s+".join(map(re.escape, k.split())) for k in spaced)
                + r")(?=['’]s\b|[\s,;:!?()\"]|$)",
                re.IGNORECASE,
            )
            if spaced
            else None
        )
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

    def respell(self, text: str) -> str:
        """``text`` with each word that is shorthand written out, for what reads
        the text rather than its words: "hwem e manden, hwor sidder han" splits at its
        question words only once they are "hvem" and "hvor"; a pair of plain words ("an
        how") is written out too. A word with an apostrophe in it ("y'all") is left
        alone, since its pieces are read together."""
        written = self._written

        def written_out(match: re.Match[str]) -> str:
            token = match.group()
            if token.isdigit() and text[match.end() : match.end() + 1] == ")":
                return token  # "2) what is ..., 3) when ...": an item's mark, no number
            found = written.get(token.casefold())
            if found is None and token[-2:].casefold() in _IS:
                # "Whit's his key task?": the word before "'s" written out.
                stem = written.get(token[:-2].casefold())
                return token if stem is None else stem + token[-2:]
            return token if found is None else found

        def pair_written_out(match: re.Match[str]) -> str:
            pieces = (piece.strip("'’") for piece in match.group().casefold().split())
            return self._written_pairs.get(" ".join(pieces), match.group())

        if self._starts.isdisjoint(self._fold(text)):
            return text
        if self._pair_pattern is not None:
            # "..., an how mony drugs": a pair's first piece is no word of its own.
            text = self._pair_pattern.sub(pair_written_out, text)
        return _TOKEN.sub(written_out, text)

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
