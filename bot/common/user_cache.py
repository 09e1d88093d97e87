"""Pickles in the user's cache folder, for what is slow to build and cheap to load.

The folder is ``$XDG_CACHE_HOME`` or ``~/.cache``, under ``mva-enquiry-bot/``. A cached
value is stored with the key it was built from and is returned only for that same key,
so a change to what it depends on builds it again. The cache is a convenience, never a
requirement: where the folder cannot be written (the read-only Docker image) or a file
cannot be read, the caller builds the value as without it. ``MVA_BOT_NO_CACHE=1``
turns it off.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    """Where the cache lives; None when it is off or there is no absolute place for it
    (a relative $XDG_CACHE_HOME is ignored, as the XDG spec says; a user without a home
    has none)."""
    if os.environ.get("MVA_BOT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        base = os.path.join(home, ".cache") if os.path.isabs(home) else ""
    return Path(base) / "mva-enquiry-bot" if base else None


def read(target: Path, key: object) -> Any | None:
    """The value stored in ``target`` for ``key``; None if there is none (missing,
    truncated, written for another key or by another version)."""
    try:
        with target.open("rb") as stream:
            stored_key, value = pickle.load(stream)
    except Exception:
        return None
    return value if stored_key == key else None


def write(target: Path, key: object, value: object) -> None:
    """Store ``value`` for ``key`` atomically (a reader never sees half a file); give up
    quietly if we cannot."""
    import tempfile  # only when writing: the cache is read far more often than written

    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((key, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:  # read-only or full disk, or something that does not pickle
        pass
