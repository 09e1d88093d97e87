"""Translations kept in step with the English: stamps, and what kb check reports of a
translation that is missing, stale, or says other figures or names than its English;
``kb check --stamp``; faithfulness of every language's answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.common.errors import KbIssue
from bot.common.languages import Language
from bot.curation.lint import lint
from bot.curation.stamping import stamp_translations
from bot.knowledge import faithfulness, stamps
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, load_knowledge
from tests.support.kbfactory import (
    DANISH_ENTRIES,
    DEFAULT_ENTRIES,
    entry,
    write_kb,
    write_translation,
)

pytestmark = pytest.mark.unit

ANSWER = "MassBio blev grundlagt i 1985."


def line_of(path: Path, text: str, after: str = "") -> int:
    """The 1-based line of the first line of ``path`` with ``text`` (after ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start=start + 1) if text in line)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def errors(directory: Path) -> list[str]:
    found, _ = lint(load_knowledge(directory))
    return [str(e) for e in found]


def translation_errors(directory: Path) -> list[str]:
    found, _ = stamps.check(load_knowledge(directory))
    return [str(e) for e in found]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A factory knowledge folder with a Danish translation, stamped."""
    write_kb(tmp_path)
    write_translation(tmp_path, "da")
    stamp_translations(load_knowledge(tmp_path))
    return tmp_path


def test_a_stamp_is_of_the_text_not_its_wrapping() -> None:
    assert stamps.stamp("MassBio was founded\n in 1985.") == stamps.stamp(
        "MassBio was founded in 1985."
    )
    assert stamps.stamp("MassBio was founded in 1985.") != stamps.stamp(
        "MassBio was founded in 1986."
    )
    assert len(stamps.stamp("x")) == 8 and int(stamps.stamp("x"), 16) >= 0


def test_a_stamped_translation_is_clean(folder: Path) -> None:
    assert errors(folder) == []
    danish = load_knowledge(folder).translated(Language.DA)
    assert {t.stamp for t in danish.translations} == {
        stamps.stamp(t.english) for t in danish.translations
    }


def test_unstamped_translations_are_errors_at_their_key(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_translation(tmp_path, "da")
    path = tmp_path / "da" / "entries.yaml"
    found = translation_errors(tmp_path)
    assert (
        f"{path}:{line_of(path, 'massbio-founded:')}: entry 'massbio-founded' has no stamp: "
        f"check the translation against the English at {tmp_path / 'entries.yaml'}:"
        f"{line_of(tmp_path / 'entries.yaml', 'MassBio was founded in 1985.')}, "
        "then run kb check --stamp"
    ) in found
    messages = tmp_path / "da" / "messages.yaml"
    assert any(
        e.startswith(f"{messages}:") and "message 'welcome' has no stamp" in e for e in found
    )
    assert any("topic 'other' has no stamp" in e for e in found)


def test_an_english_answer_changed_makes_its_translation_stale(folder: Path) -> None:
    edit(folder / "entries.yaml", "MassBio was founded in 1985.", "MassBio was set up in 1985.")
    path = folder / "da" / "entries.yaml"
    english = folder / "entries.yaml"
    assert translation_errors(folder) == [
        f"{path}:{line_of(path, 'stamp:', after='massbio-founded:')}: entry 'massbio-founded' "
        f"is stale: its English answer ({english}:{line_of(english, 'set up in 1985')}) "
        "changed since it was translated; bring the translation up to date, then run "
        "kb check --stamp"
    ]


def test_an_english_message_or_label_changed_makes_its_translation_stale(folder: Path) -> None:
    edit(folder / "messages.yaml", "<welcome> text", "<welcome> new text")
    edit(folder / "routing.yaml", "label: Investment", "label: Investing")
    messages = folder / "da" / "messages.yaml"
    routing = folder / "da" / "routing.yaml"
    found = translation_errors(folder)
    assert len(found) == 2
    assert found[0].startswith(f"{messages}:{line_of(messages, 'welcome:', after='stamps:')}: ")
    assert "message 'welcome' is stale: its English text" in found[0]
    assert found[1].startswith(f"{routing}:{line_of(routing, 'stamp:', after='investment')}: ")
    assert "topic 'investment' is stale" in found[1]


def test_a_missing_translation_is_an_error_a_drafts_a_warning(folder: Path) -> None:
    draft = entry(
        "travel-grants",
        "Are there travel grants?",
        ["travel grants"],
        "The article does not say (2011).",
        todo="write alternates",
    )
    finished = entry("more", "More?", ["a b", "c d", "e f", "g h"], "MassBio was founded in 1985.")
    write_kb(folder, [*_default_entries(folder), draft, finished])
    path = folder / "da" / "entries.yaml"
    english = folder / "entries.yaml"
    found, warnings = stamps.check(load_knowledge(folder))
    assert [str(e) for e in found] == [
        f"{path}:1: entry 'more' has no Danish translation (the English is at "
        f"{english}:{line_of(english, 'MassBio was founded in 1985.', after='id: more')})"
    ]
    assert [str(w) for w in warnings] == [
        f"{path}:1: entry 'travel-grants' has no Danish translation (the English is at "
        f"{english}:{line_of(english, 'The article does not say')}): it is a draft, "
        "translate it once it is finished"
    ]


def _default_entries(folder: Path) -> list[dict[str, object]]:
    import yaml

    data = yaml.safe_load((folder / "entries.yaml").read_text(encoding="utf-8"))
    return list(data["entries"])


@pytest.mark.parametrize(
    ("entry_id", "old", "new", "expected"),
    [
        (
            "massbio-founded",
            "i 1985.",
            "i 1986.",
            [
                "lacks the figure '1985' of the English answer",
                "has the figure '1986', which the English lacks",
            ],
        ),
        (
            "ambassador-who",
            "i Boston-Cambridge.",
            "i Boston.",
            ["lacks the name 'Boston-Cambridge' of the English answer"],
        ),
        (
            "ambassador-who",
            "Torsten Jepsen er ambassadør",
            "Han er ambassadør for MVA",
            [
                # "Torsten" starts the English answer, and no text of the factory's
                # capitalises it within a sentence: a name only in a real knowledge base.
                "lacks the name 'Jepsen' of the English answer",
                "names 'MVA', which the English answer does not",
            ],
        ),
        (
            "massbio-founded",
            "MassBio blev grundlagt i 1985.",
            "MassBio blev grundlagt i 1985 af Torsten Jepsen.",
            [
                "names 'Torsten', which the English answer does not",
                "names 'Jepsen', which the English answer does not",
            ],
        ),
    ],
)
def test_a_translated_answer_with_other_figures_or_names(
    folder: Path, entry_id: str, old: str, new: str, expected: list[str]
) -> None:
    path = folder / "da" / "entries.yaml"
    edit(path, old, new)
    found = translation_errors(folder)
    what = f"answer of {entry_id!r} (Danish) "
    line = line_of(path, "answer:", after=f"{entry_id}:")
    assert sorted(found) == sorted(f"{path}:{line}: {what}{e}" for e in expected)


def test_percentages_and_dates_are_compared_as_such(tmp_path: Path) -> None:
    english = entry(
        "growth",
        "How much did it grow?",
        ["growth", "how fast", "growth rate", "how big a growth"],
        "According to MVA's article of 4 July 2011, growth was 60% (figure from 2011).",
    )
    write_kb(tmp_path, [*DEFAULT_ENTRIES, english])
    texts = {
        "Ifølge MVA's artikel af 4. juli 2011 var væksten 60 procent (tal fra 2011).": [],
        "Ifølge MVA's artikel af 4. juli 2011 var væksten 60 (tal fra 2011).": ["60", "60%"],
        "Ifølge MVA's artikel af 5. juli 2011 var væksten 60 % (tal fra 2011).": [
            "2011-07-04",
            "2011-07-05",
        ],
    }
    for answer, differing in texts.items():
        translated = {
            "question": "Hvor meget voksede den?",
            "alternates": list("abcdef"),
            "answer": answer,
        }
        write_translation(tmp_path, entries={**DANISH_ENTRIES, "growth": translated})
        found = [e for e in translation_errors(tmp_path) if "the figure" in e]
        assert sorted(e.split("the figure ")[1].split("'")[1] for e in found) == sorted(
            differing
        ), answer


def test_a_translated_message_with_other_figures(folder: Path) -> None:
    edit(folder / "messages.yaml", "<about> text", "<about> text of 4 July 2011")
    messages = folder / "da" / "messages.yaml"
    edit(messages, "<about> tekst", "<about> tekst fra 5. juli 2011")
    found = sorted(e for e in translation_errors(folder) if "the figure" in e)
    assert found == [
        f"{messages}:{line_of(messages, 'about:', after='stamps:')}: message 'about' (Danish) "
        "has the figure '2011-07-05', which the English lacks",
        f"{messages}:{line_of(messages, 'about:', after='stamps:')}: message 'about' (Danish) "
        "lacks the figure '2011-07-04' of the English",
    ]


def test_faithfulness_holds_every_language_to_the_sources(folder: Path) -> None:
    path = folder / "da" / "entries.yaml"
    edit(path, ANSWER, "MassBio blev grundlagt i 1985 af Harvard.")
    found = [e for e in errors(folder) if "its source" in e]
    assert found == [
        f"{path}:{line_of(path, 'Harvard')}: answer of 'massbio-founded' names 'Harvard', "
        "which its source test-article does not"
    ]


def test_names_of_a_language_its_genitive_and_allowed_names(folder: Path) -> None:
    path = folder / "da" / "entries.yaml"
    edit(path, ANSWER, 'MassBio blev grundlagt i 1985 i USA; vælg "Tal med en person".')
    found = errors(folder)
    assert any("names 'USA', which its source test-article does not" in e for e in found)
    assert any("names 'Tal'" in e for e in found)
    (folder / "da" / "names.yaml").write_text("names:\n  USA: United States\n", encoding="utf-8")
    (folder / "da" / "allowed_names.yaml").write_text("names: [Tal]\n", encoding="utf-8")
    # An answer quoting a button has that button's label.
    edit(folder / "da" / "messages.yaml", "<button_talk_to_person> tekst", "Tal med en person")
    source = folder / "sources" / "test-article.txt"
    edit(
        source, "MassBio was founded in 1985.", "MassBio was founded in 1985 in the United States."
    )
    edit(
        folder / "entries.yaml",
        "MassBio was founded in 1985.",
        "MassBio was founded in 1985 in the United States.",
    )
    stamp_translations(load_knowledge(folder))
    assert errors(folder) == []
    # A genitive without an apostrophe is its name: Jepsens, MassBios.
    edit(path, "MassBio blev grundlagt", "MassBios historie begyndte, den blev grundlagt")
    assert errors(folder) == []


def test_the_shipped_translations_are_complete_stamped_and_faithful(
    shipped_kb: KnowledgeBase,
) -> None:
    assert shipped_kb.languages == (Language.EN, Language.DA, Language.SV)
    for lang in (Language.DA, Language.SV):
        translated = shipped_kb.translated(lang)
        assert [t for t in translated.translations if t.text is None] == [], lang
        assert stamps.stale(translated) == [], lang
        for translated_entry in translated:
            assert translated_entry is not shipped_kb.entries[translated_entry.id]
            assert len(translated_entry.alternates) >= 6, translated_entry.id
        assert faithfulness.check(translated) == [], lang
    found, warnings = stamps.check(shipped_kb)
    assert found == [] and warnings == []


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge folder to change."""
    return Path(shutil.copytree(DEFAULT_KNOWLEDGE_DIR, tmp_path / "knowledge"))


def test_stamp_writes_one_line_per_stamp_and_nothing_else(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        copy / "massbio.yaml",
        "founded in 1985, according",
        "founded in 1985, so says",
    )
    before = {
        lang: (copy / lang / "entries.yaml").read_text(encoding="utf-8") for lang in ("da", "sv")
    }
    assert main(["kb", "check", str(copy)]) == 1
    assert "entry 'massbio-founded' is stale" in capsys.readouterr().out
    assert main(["kb", "check", "--stamp", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "2 translation(s) stamped" in out
    assert f"stamped: {copy / 'da' / 'entries.yaml'}:" in out
    new_stamp = stamps.stamp(load_knowledge(copy).entries["massbio-founded"].answer)
    for lang, text in before.items():
        after = (copy / lang / "entries.yaml").read_text(encoding="utf-8")
        changed = [
            (old, new)
            for old, new in zip(text.splitlines(), after.splitlines(), strict=True)
            if old != new
        ]
        assert len(changed) == 1, lang
        assert changed[0][1].strip() == f'stamp: "{new_stamp}"'
    assert main(["kb", "check", str(copy)]) == 0


def test_stamp_refuses_a_translation_that_differs(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(copy / "massbio.yaml", "founded in 1985, according", "founded in 1985, so says")
    danish = copy / "da" / "entries.yaml"
    text = danish.read_text(encoding="utf-8")
    assert "1985" in text
    danish.write_text(text.replace("grundlagt i 1985", "grundlagt i 1986", 1), encoding="utf-8")
    before = danish.read_text(encoding="utf-8")
    assert main(["kb", "check", "--stamp", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "not stamped: " in out and "entry 'massbio-founded' differs from its English" in out
    assert "1 translation(s) stamped" in out  # the Swedish one
    assert danish.read_text(encoding="utf-8") == before


def test_stamp_adds_missing_stamps_in_every_layout(tmp_path: Path) -> None:
    write_kb(tmp_path)
    write_translation(tmp_path, "da")
    report = stamp_translations(load_knowledge(tmp_path))
    assert report.refused == ()
    assert len(report.stamped) == 3 + len(load_knowledge(tmp_path).messages) + 2
    routing = (tmp_path / "da" / "routing.yaml").read_text(encoding="utf-8")
    assert routing.startswith("topics:\n- id: other\n  stamp: ")
    messages = (tmp_path / "da" / "messages.yaml").read_text(encoding="utf-8")
    assert "\n# kb check --stamp writes these" in messages and '\nstamps:\n  welcome: "' in messages
    entries = (tmp_path / "da" / "entries.yaml").read_text(encoding="utf-8")
    assert entries.startswith('entries:\n  massbio-founded:\n    stamp: "')
    assert translation_errors(tmp_path) == []
    # Stamping again changes nothing.
    assert stamp_translations(load_knowledge(tmp_path)).stamped == ()
    assert (tmp_path / "da" / "messages.yaml").read_text(encoding="utf-8") == messages


def test_stamp_keeps_what_follows_the_stamps_block(folder: Path) -> None:
    messages = folder / "da" / "messages.yaml"
    text = messages.read_text(encoding="utf-8")
    messages.write_text(text + "\n# A note of the translator.\n", encoding="utf-8")
    edit(folder / "messages.yaml", "<welcome> text", "<welcome> new text")
    stamp_translations(load_knowledge(folder))
    after = messages.read_text(encoding="utf-8")
    assert after.endswith("\n# A note of the translator.\n")
    assert after.count("stamps:") == 1
    assert translation_errors(folder) == []


def test_issue_lines_are_real_lines(folder: Path) -> None:
    edit(folder / "entries.yaml", "MassBio was founded in 1985.", "MassBio was set up in 1985.")
    found, _ = stamps.check(load_knowledge(folder))
    assert all(isinstance(i, KbIssue) and i.line >= 1 for i in found)


@pytest.mark.parametrize(
    ("lang", "old", "new", "found"),
    [
        ("da", "Torsten Jepsen", "Torben Jepsen", "lacks the name 'Torsten' of the English"),
        ("sv", "Torsten Jepsen", "Torben Jepsen", "lacks the name 'Torsten' of the English"),
        ("da", "MassBio over 600", "MassBio over 700", "has the figure '700', which the English"),
        ("sv", "MassBio över 600", "MassBio över 700", "lacks the figure '600' of the English"),
    ],
)
def test_kb_check_catches_a_shipped_translation_that_differs(
    copy: Path, capsys: pytest.CaptureFixture[str], lang: str, old: str, new: str, found: str
) -> None:
    path = copy / lang / "entries.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["kb", "check", str(copy)]) == 1
    out = capsys.readouterr().out
    assert found in out
    assert f"error: {path}:{line_of(path, new)}:" in out


@pytest.mark.parametrize(
    ("lang", "old", "new"),
    [
        (
            "sv",
            'välja "Partnerskap med\n      företag eller universitet"',
            'välja "Partnerskap med företag"',
        ),
        ("da", '"Tal med en person"', '"Tal med et menneske"'),
    ],
)
def test_an_answer_quoting_a_label_the_language_lacks(
    copy: Path, lang: str, old: str, new: str
) -> None:
    path = copy / lang / "entries.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    quoted = new.split('"')[1]
    found = [e for e in errors(copy) if "which is no button or topic label" in e]
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{line_of(path, new.split(chr(10))[0])}:")
    assert f"quotes {quoted!r}, which is no button or topic label of the" in found[0]
