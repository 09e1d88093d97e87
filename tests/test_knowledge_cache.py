"""The answerer cache: used only while nothing it was built from changed, never required."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.answering import cache as knowledge_cache
from bot.answering.answerer import Answerer
from bot.answering.cache import cache_file, load_answerers_cached
from bot.common.errors import KnowledgeError
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, load_knowledge
from tests.support.kbfactory import write_kb

pytestmark = pytest.mark.unit


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("MVA_BOT_NO_CACHE", raising=False)
    return home


def loads_counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every real load_knowledge the cache makes."""
    calls: list[Path] = []

    def counted(directory: Path) -> object:
        calls.append(directory)
        return load_knowledge(directory)

    monkeypatch.setattr("bot.knowledge.base.load_knowledge", counted)
    return calls


def test_second_load_comes_from_the_cache_and_equals_a_fresh_load(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_kb(tmp_path / "kb")
    calls = loads_counted(monkeypatch)
    first = load_answerers_cached(folder)
    second = load_answerers_cached(folder)
    assert len(calls) == 1
    assert cached_file(folder).is_relative_to(cache_home)
    assert cached_file(folder).exists()
    assert second.english.kb == first.english.kb == load_knowledge(folder)
    for question in ("When was MassBio founded?", "who is the envoy", "weather in boston"):
        assert second.ask(question) == first.ask(question)


def test_a_changed_entry_file_is_loaded_again(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    entries = folder / "entries.yaml"
    stat = entries.stat()
    # Same length and same modification time: only the bytes tell the change.
    entries.write_text(entries.read_text().replace("1985", "1986"))
    os.utime(entries, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    calls = loads_counted(monkeypatch)
    kb = load_answerers_cached(folder).english.kb
    assert len(calls) == 1
    assert "1986" in kb.entries["massbio-founded"].answer


def test_a_changed_source_file_is_loaded_again(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    source = next((folder / "sources").iterdir())
    source.write_text(source.read_text() + "One more line.\n")
    calls = loads_counted(monkeypatch)
    load_answerers_cached(folder)
    assert len(calls) == 1


def test_a_mistake_made_after_caching_is_still_reported(tmp_path: Path, cache_home: Path) -> None:
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    (folder / "entries.yaml").write_text("entries: [\n")
    with pytest.raises(KnowledgeError):
        load_answerers_cached(folder)


def cached_file(folder: Path) -> Path:
    found = cache_file(folder)
    assert found is not None
    return found


def loads_twice(folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Load ``folder`` twice, check what comes back; how many real loads that took."""
    calls = loads_counted(monkeypatch)
    assert load_answerers_cached(folder).english.kb == load_knowledge(folder)
    assert load_answerers_cached(folder).english.kb == load_knowledge(folder)
    return len(calls)


@pytest.mark.parametrize("where", ["a file", "relative", "no home"])
def test_without_a_writable_cache_folder_it_loads_without_a_cache(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_kb(tmp_path / "kb")
    monkeypatch.chdir(tmp_path)
    if where == "a file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")  # a file where the cache folder would go: mkdir fails
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache" if where == "relative" else "")
        monkeypatch.setenv("HOME", "relative-home" if where == "relative" else "~")
    assert loads_twice(folder, monkeypatch) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"] + (
        ["not-a-folder"] if where == "a file" else []
    )


def test_a_damaged_cache_file_is_replaced(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    cached_file(folder).write_bytes(b"not a pickle")
    assert loads_twice(folder, monkeypatch) == 1


def test_the_cache_can_be_turned_off(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MVA_BOT_NO_CACHE", "1")
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    assert not list(cache_home.rglob("*.pickle"))


def test_a_changed_bot_module_builds_again(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "answering.py").write_text("THRESHOLD = 0.40\n")
    monkeypatch.setattr(knowledge_cache, "_PACKAGE", package)
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    (package / "answering.py").write_text("THRESHOLD = 0.35\n")
    calls = loads_counted(monkeypatch)
    load_answerers_cached(folder)
    load_answerers_cached(folder)
    assert len(calls) == 1


def test_the_key_holds_the_modules_of_every_layer(tmp_path: Path) -> None:
    folder = write_kb(tmp_path / "kb")
    _, _, files = knowledge_cache.snapshot(folder)
    names = {name for name, _ in files}
    layers = {p.parent.name for p in Path(knowledge_cache.__file__).parents[1].glob("*/*.py")}
    assert {name.split("/")[0] for name in names if name.endswith(".py")} >= layers
    assert {"cli.py", "knowledge/base.py", "answering/answerer.py", "telegram/app.py"} <= names


def test_a_moved_bot_module_builds_again(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    (package / "answering").mkdir(parents=True)
    (package / "answering.py").write_text("THRESHOLD = 0.40\n")
    monkeypatch.setattr(knowledge_cache, "_PACKAGE", package)
    folder = write_kb(tmp_path / "kb")
    load_answerers_cached(folder)
    (package / "answering.py").rename(package / "answering" / "answerer.py")  # same bytes
    calls = loads_counted(monkeypatch)
    load_answerers_cached(folder)
    assert len(calls) == 1


def test_the_english_word_list_is_built_once_then_read_from_the_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Building it parses pyspellchecker's whole dictionary (about half a second, which
    the first question with an unknown word would wait); a cached table loads at once."""
    import spellchecker

    from bot.understanding import spelling

    spelling._english.cache_clear()
    request.addfinalizer(spelling._english.cache_clear)
    built = spelling._english()
    assert (cache_home / "mva-enquiry-bot" / "english-words.pickle").is_file()
    assert built["think"] > spelling.COMMON_FROM
    assert all(count >= spelling.ENGLISH_MIN_COUNT for count in built.values())

    def no_dictionary(*args: object, **kwargs: object) -> None:
        raise AssertionError("the dictionary was parsed again")

    monkeypatch.setattr(spellchecker, "SpellChecker", no_dictionary)
    spelling._english.cache_clear()
    assert spelling._english() == built


def test_each_cached_language_is_unpickled_when_first_needed(
    cache_home: Path,
) -> None:
    from bot.common.languages import Language

    fresh = load_answerers_cached(DEFAULT_KNOWLEDGE_DIR)  # built, or read: then cached
    cached = load_answerers_cached(DEFAULT_KNOWLEDGE_DIR)

    def packed() -> list[Language]:
        return [lang for lang, a in cached._answerers.items() if not isinstance(a, Answerer)]

    assert packed() == [Language.EN, Language.DA, Language.SV]
    swedish = cached.ask("när grundades massbio")
    assert packed() == [Language.EN, Language.DA]
    english = cached.ask("when was massbio founded")
    assert packed() == [Language.DA]
    assert english == fresh.ask("when was massbio founded")
    assert swedish == fresh.ask("när grundades massbio")
    assert cached.ask("hvornår blev massbio grundlagt") == fresh.ask(
        "hvornår blev massbio grundlagt"
    )


def test_each_cached_language_holds_its_own_knowledge_base_only(cache_home: Path) -> None:
    """Every language's Answerer is packed without the map of all languages' knowledge
    bases, which would repeat the others in each; unpickled, that map still gives every
    language's, unpacking it only when it is asked for."""
    import pickle

    from bot.common.languages import Language

    load_answerers_cached(DEFAULT_KNOWLEDGE_DIR)
    cached = load_answerers_cached(DEFAULT_KNOWLEDGE_DIR)
    texts = {
        lang: cached.for_language(lang).kb.entries["massbio-founded"].answer
        for lang in (Language.EN, Language.DA, Language.SV)
    }
    state = pickle.loads(pickle.dumps(cached))  # packed again, as a cache write packs it
    for lang, packed in state._answerers.items():
        assert texts[lang].encode() in packed.data
        # A translation keeps the English texts it translates (for kb check), never the
        # other translation's.
        others = [o for o in texts if o not in (lang, Language.EN)]
        assert others and not [o for o in others if texts[o].encode() in packed.data]
    english = state.english.kb
    assert english.languages == (Language.EN, Language.DA, Language.SV)
    assert isinstance(state._answerers[Language.SV], knowledge_cache_packed())
    assert english.translated(Language.SV).entries["massbio-founded"].answer == texts[Language.SV]
    assert english.translated(Language.SV) is state.for_language(Language.SV).kb
    assert state.for_language(Language.SV).kb.translated(Language.EN) is english


def knowledge_cache_packed() -> type:
    from bot.answering.languages import _Packed

    return _Packed
