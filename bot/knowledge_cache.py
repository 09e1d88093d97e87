"""A cache of the parsed, validated knowledge base, for commands that start often.

Parsing and validating the YAML (and importing jsonschema to do it) is most of what
``python -m bot ask`` spends before it answers. The cache keeps the loaded
``KnowledgeBase`` as a pickle in the user's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache``, under ``mva-enquiry-bot/``), one file per knowledge folder. It is used
only when its key matches: a digest of every file in the knowledge folder (names and
bytes, sources/ included) and of the bot modules that define what a loaded knowledge
base is. Any change to either loads and validates the folder again, so a cache never
hides a curator's mistake from the commands that use it.

The cache is a convenience, never a requirement: where the cache folder cannot be
written (the read-only Docker image) or a cache file cannot be read, the knowledge
base is loaded as without it. ``MVA_BOT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from bot.knowledge import KnowledgeBase, load_knowledge

CACHE_FORMAT = 1
# The modules whose code decides what load_knowledge returns.
_LOADER_MODULES = (
    "knowledge.py",
    "kb_schema.py",
    "sources.py",
    "yamlfile.py",
    "errors.py",
    "textnorm.py",
)
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mva-enquiry-bot"


def cache_key(directory: Path) -> str:
    """Digest of every file under ``directory`` (path and bytes) and of the loader's code."""
    digest = hashlib.blake2b(str(CACHE_FORMAT).encode(), digest_size=20)
    for name in _LOADER_MODULES:
        digest.update(name.encode() + b"\0" + (_PACKAGE / name).read_bytes())
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest.update(f"\0{path.relative_to(directory)}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def cache_file(directory: Path) -> Path:
    name = hashlib.blake2b(str(directory.resolve()).encode(), digest_size=10).hexdigest()
    return cache_dir() / f"knowledge-{name}.pickle"


def load_knowledge_cached(directory: Path) -> KnowledgeBase:
    """``load_knowledge(directory)``, from the cache when nothing changed since it was written."""
    if os.environ.get("MVA_BOT_NO_CACHE") or not directory.is_dir():
        return load_knowledge(directory)
    try:
        key = cache_key(directory)
    except OSError:
        return load_knowledge(directory)
    target = cache_file(directory)
    cached = _read(target, key)
    if cached is not None:
        return cached
    kb = load_knowledge(directory)  # raises KnowledgeError: nothing is cached then
    _write(target, key, kb)
    return kb


def _read(target: Path, key: str) -> KnowledgeBase | None:
    try:
        with target.open("rb") as stream:
            stored_key, kb = pickle.load(stream)
    except Exception:  # missing, truncated, written by another version: load instead
        return None
    return kb if stored_key == key and isinstance(kb, KnowledgeBase) else None


def _write(target: Path, key: str, kb: KnowledgeBase) -> None:
    """Write atomically (a reader never sees half a file); give up quietly if we cannot."""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".knowledge-")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((key, kb), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass
