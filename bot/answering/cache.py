"""A cache of the parsed, validated knowledge base and the Answerers built on it.

Parsing and validating the YAML (and importing jsonschema to do it), then building the
index, is most of what ``python -m bot ask`` spends before it answers. The cache keeps
the built ``Answerers`` (one ``Answerer`` per language, their knowledge bases included)
as a pickle in the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``, under ``mva-enquiry-bot/``), one file per
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
import pickle
import zlib
from pathlib import Path

from bot.answering.languages import Answerers
from bot.knowledge.base import KnowledgeBase, load_knowledge

# 3: the modules moved into a package per layer (their paths are part of the key).
# 4: an Answerer per language (Answerers).
CACHE_FORMAT = 4
# The whole bot package, every layer's modules: this file is bot/answering/cache.py.
_PACKAGE = Path(__file__).resolve().parents[1]
Snapshot = tuple[str, int, tuple[tuple[str, bytes], ...]]


def cache_dir() -> Path | None:
    """Where the cache lives; None when there is no absolute place for it (a relative
    $XDG_CACHE_HOME is ignored, as the XDG spec says; a user without a home has none)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        base = os.path.join(home, ".cache") if os.path.isabs(home) else ""
    return Path(base) / "mva-enquiry-bot" if base else None


def _files(folder: Path) -> list[tuple[str, bytes]]:
    found = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [(str(p.relative_to(folder)), p.read_bytes()) for p in found]


def snapshot(directory: Path) -> Snapshot:
    """What cached Answerers depend on: the knowledge folder and the bot's modules."""
    code = [(name, data) for name, data in _files(_PACKAGE) if name.endswith(".py")]
    return str(directory.resolve()), CACHE_FORMAT, (*_files(directory), *code)


def cache_file(directory: Path) -> Path | None:
    folder = cache_dir()
    name = zlib.crc32(str(directory.resolve()).encode())
    return folder / f"answerer-{name:08x}.pickle" if folder is not None else None


def load_answerers_cached(directory: Path) -> Answerers:
    """``Answerers.from_knowledge(load_knowledge(directory))``, from the cache when nothing
    they were built from changed since it was written; raises ``KnowledgeError`` as
    loading does."""
    target = cache_file(directory)
    if os.environ.get("MVA_BOT_NO_CACHE") or target is None or not directory.is_dir():
        return Answerers.from_knowledge(load_knowledge(directory))
    try:
        key = snapshot(directory)
    except OSError:
        return Answerers.from_knowledge(load_knowledge(directory))
    cached = _read(target, key)
    if cached is not None:
        return cached
    # KnowledgeError: nothing is cached
    answerers = Answerers.from_knowledge(load_knowledge(directory))
    _write(target, key, answerers)
    return answerers


def _read(target: Path, key: Snapshot) -> Answerers | None:
    try:
        with target.open("rb") as stream:
            stored_key, answerers = pickle.load(stream)
    except Exception:  # missing, truncated, written by another version: build instead
        return None
    if stored_key != key or not isinstance(answerers, Answerers):
        return None
    return answerers if isinstance(answerers.english.kb, KnowledgeBase) else None


def _write(target: Path, key: Snapshot, answerer: Answerers) -> None:
    """Write atomically (a reader never sees half a file); give up quietly if we cannot."""
    import tempfile  # only when writing: ask reads far more often than it writes

    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".answerer-")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((key, answerer), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:  # read-only or full disk, or something that does not pickle
        pass
