"""A cache of the parsed, validated knowledge base and the Answerers built on it.

Parsing and validating the YAML (and importing jsonschema to do it), then building the
index, is most of what ``python -m bot ask`` spends before it answers. The cache keeps
the built ``Answerers`` (one ``Answerer`` per language, their knowledge bases included)
as a pickle in the user's cache folder (``bot.common.user_cache``), one file per
knowledge folder. It is used only when what it was built from is byte for byte what is
there now: every file in the knowledge folder (names and bytes, sources/ included) and
every module of the bot package, in every layer (paths and bytes: a moved module counts
as a change). Any change to either loads, validates and builds again, so a cache never
hides a curator's mistake, and never outlives a change to the code.

The cache is a convenience, never a requirement: where the cache folder cannot be
written (the read-only Docker image) or a cache file cannot be read, everything is
built as without it. ``MVA_BOT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from bot.answering.languages import Answerers
from bot.common import user_cache
from bot.common.user_cache import cache_dir

# 3: the modules moved into a package per layer (their paths are part of the key).
# 4: an Answerer per language (Answerers).
# 5: every language packed, without the map of all knowledge bases (bot/answering/languages.py).
CACHE_FORMAT = 5
# The whole bot package, every layer's modules: this file is bot/answering/cache.py.
_PACKAGE = Path(__file__).resolve().parents[1]
Snapshot = tuple[str, int, tuple[tuple[str, bytes], ...]]


def _files(folder: Path, suffix: str = "") -> list[tuple[str, bytes]]:
    """The names (relative to ``folder``, in order) and bytes of the files under it whose
    names end with ``suffix``, bytecode caches aside."""
    # os.walk, not Path.rglob: it never lists the __pycache__ folders it skips, and a
    # cached start spends a good part of its time here.
    found: list[str] = []
    for root, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if f != "__pycache__"]
        found.extend(os.path.join(root, name) for name in names if name.endswith(suffix))
    found.sort()
    start = len(str(folder)) + 1
    files = []
    for path in found:
        with open(path, "rb") as stream:
            files.append((path[start:], stream.read()))
    return files


def snapshot(directory: Path) -> Snapshot:
    """What cached Answerers depend on: the knowledge folder and the bot's modules."""
    return str(directory.resolve()), CACHE_FORMAT, (*_files(directory), *_files(_PACKAGE, ".py"))


def cache_file(directory: Path) -> Path | None:
    folder = cache_dir()
    name = zlib.crc32(str(directory.resolve()).encode())
    return folder / f"answerer-{name:08x}.pickle" if folder is not None else None


def load_answerers_cached(directory: Path) -> Answerers:
    """``Answerers.from_knowledge(load_knowledge(directory))``, from the cache when nothing
    they were built from changed since it was written; raises ``KnowledgeError`` as
    loading does."""
    target = cache_file(directory)
    if target is None or not directory.is_dir():
        return _built(directory)
    try:
        key = snapshot(directory)
    except OSError:
        return _built(directory)
    cached = user_cache.read(target, key)
    if isinstance(cached, Answerers):  # each language unpacked when first needed
        return cached
    # KnowledgeError: nothing is cached
    answerers = _built(directory)
    user_cache.write(target, key, answerers)
    return answerers


def _built(directory: Path) -> Answerers:
    # Imported here: reading the YAML (PyYAML, the schema, the parsers) is what a cached
    # start does without.
    from bot.knowledge.base import load_knowledge

    return Answerers.from_knowledge(load_knowledge(directory))
