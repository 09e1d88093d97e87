"""The shared vocabulary of languages: codes, staff names, Telegram's client language."""

from __future__ import annotations

import pytest

from bot.common.languages import LANGUAGE_NAMES, Language, language_of_code

pytestmark = pytest.mark.unit


def test_languages_are_their_iso_codes() -> None:
    assert [lang.value for lang in Language] == ["en", "da", "sv"]
    assert Language("da") is Language.DA
    assert f"{Language.SV}" == "sv"


def test_every_language_has_an_english_name_for_staff() -> None:
    assert LANGUAGE_NAMES == {
        Language.EN: "English",
        Language.DA: "Danish",
        Language.SV: "Swedish",
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("da", Language.DA),
        ("sv", Language.SV),
        ("en", Language.EN),
        ("en-GB", Language.EN),
        ("en-us", Language.EN),
        ("sv-FI", Language.SV),
        ("DA", Language.DA),
        ("da_DK", Language.DA),
        (" da ", Language.DA),
    ],
)
def test_client_codes_of_spoken_languages(code: str, expected: Language) -> None:
    assert language_of_code(code) is expected


@pytest.mark.parametrize("code", [None, "", "nb", "no", "de", "fi", "dan", "e", "-"])
def test_other_codes_are_no_language(code: str | None) -> None:
    assert language_of_code(code) is None
