"""The command line contract: ask, eval, kb check and --help, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from tests.support.kbfactory import write_kb

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_ask_json_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "when", "was", "massbio", "founded"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    obj = json.loads(line)
    assert set(obj) == {
        "question",
        "kind",
        "entry_id",
        "entry_ids",
        "score",
        "reply",
        "options",
        "lang",
    }
    assert obj["lang"] == "en"
    assert obj["entry_ids"] == [obj["entry_id"]]
    assert obj["question"] == "when was massbio founded"
    assert obj["kind"] == "answer" and obj["entry_id"] == "massbio-founded"
    assert "1985" in obj["reply"]
    assert all(set(o) == {"action", "id", "label"} for o in obj["options"])


def test_ask_answers_in_the_language_of_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    questions = ["Hvornår blev MassBio grundlagt?", "När grundades MassBio?", "When was it set up?"]
    for question in questions:
        assert main(["ask", "--json", question]) == 0
    replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["lang"] for r in replies] == ["da", "sv", "en"]
    assert all(r["kind"] == "answer" and "1985" in r["reply"] for r in replies[:2])
    assert "Kilde:" in replies[0]["reply"] and "Källa:" in replies[1]["reply"]


def test_ask_lang_forces_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--lang", "sv", "massbio"]) == 0
    assert main(["ask", "--lang", "da", "massbio"]) == 0
    first, *rest = capsys.readouterr().out.splitlines()
    assert json.loads(first)["lang"] == "sv"
    assert "Kilde:" in "\n".join(rest)


def test_ask_in_a_language_the_bot_does_not_speak(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "Wer ist der Botschafter von MVA in Boston?"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["lang"] == "en" and reply["kind"] == "fallback"
    assert "Danish" in reply["reply"] and "Swedish" in reply["reply"]


def test_ask_reads_stdin_lines() -> None:
    result = run("ask", "--json", stdin="hello\n\nwhat is the weather in paris tomorrow\n")
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["kind"] for line in result.stdout.splitlines()]
    assert kinds == ["greeting", "fallback"]


def test_ask_plain_shows_reply_and_numbered_buttons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "when was massbio founded"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[answer massbio-founded ")
    assert "1985" in out and "[1] " in out and "Talk to a person" in out


def test_eval_prints_failures_and_accuracy_line(tmp_path: Path) -> None:
    cases = [
        {"ask": "when was massbio founded", "expect": "answer", "contains": ["1985"]},
        {"ask": "when was massbio founded", "expect": "answer", "contains": ["1999"]},
        {"ask": "hello", "expect": "greeting"},
        {"ask": "can someone call me back", "expect": "contact"},
    ]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    result = run("eval", str(path))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "accuracy: 0.750 (3/4)"
    assert len([line for line in lines if line.startswith("FAIL")]) == 1
    assert run("eval", str(path), "--min-accuracy", "0.8").returncode == 1
    report = json.loads(run("eval", str(path), "--json").stdout)
    assert report["total"] == 4 and report["passed"] == 3 and report["accuracy"] == 0.75
    assert report["failures"] == [
        {
            "ask": "when was massbio founded",
            "expect": "answer",
            "kind": "answer",
            "reply": report["failures"][0]["reply"],
            "lang": "en",
        }
    ]


def test_eval_fails_a_reply_in_another_language_than_the_case_expects(tmp_path: Path) -> None:
    cases = [
        {"ask": "Hvornår blev MassBio grundlagt?", "expect": "answer", "contains": ["1985"]},
        {"ask": "Hvornår blev MassBio grundlagt?", "expect": "answer", "lang": "da"},
        # Right kind and fact, wrong language: a Danish case answered in Swedish.
        {"ask": "När grundades MassBio?", "expect": "answer", "contains": ["1985"], "lang": "da"},
    ]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases, allow_unicode=True))
    result = run("eval", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "accuracy: 0.667 (2/3)"
    assert lines[-3] == "in the question's language: 0.667 (2/3)"
    [failure] = [line for line in lines if line.startswith("FAIL")]
    assert "in da" in failure and "in sv" in failure
    path.write_text(yaml.safe_dump([{"ask": "hej", "expect": "greeting", "lang": "de"}]))
    bad = run("eval", str(path))
    assert bad.returncode == 1 and "lang must be one of en, da, sv" in bad.stderr


def test_kb_check_clean_on_shipped_knowledge() -> None:
    result = run("kb", "check")
    assert result.returncode == 0, result.stdout
    assert " 0 error(s)" in result.stdout.splitlines()[-1]


def test_kb_check_malformed_file_gives_file_line_and_exit_1(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    (kb / "broken.yaml").write_text("entries:\n  - id: a\n    question: 'unterminated\n")
    result = run("kb", "check", str(kb))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{kb / 'broken.yaml'}:" in result.stdout
    assert "YAML syntax error" in result.stdout


def test_kb_check_near_duplicate_questions(tmp_path: Path) -> None:
    from tests.support.kbfactory import DEFAULT_ENTRIES, entry

    twin = entry(
        "twin",
        "When was the MassBio founded?",
        ["x y z", "y z w", "z w v", "w v u"],
        "Twin.",
    )
    kb = write_kb(tmp_path / "kb", [*DEFAULT_ENTRIES, twin])
    result = run("kb", "check", str(kb))
    assert result.returncode == 1
    assert "is the same question as 'When was MassBio founded?' (massbio-founded)" in result.stdout


@pytest.mark.parametrize(
    "command", [[], ["run"], ["chat"], ["ask"], ["eval"], ["kb"], ["kb", "check"]]
)
def test_help_on_every_command(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m bot")


def chat(session: str, data_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot chat [OPTIONS]`` with ``session`` typed in, on its own data folder."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *options],
        input=session,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BOT_DATA_DIR": str(data_dir)},
        timeout=120,
    )


def test_chat_shows_what_an_enquirer_sees(tmp_path: Path) -> None:
    result = chat("hello\nwhen was massbio founded\n1\n+\n/about\n/quit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("bot> ") >= 6
    assert "Welcome" in out and "1985" in out
    assert "[+] Helpful" in out and "Thank you for your feedback" in out
    assert "4 July 2011" in out


def test_chat_in_a_chosen_language_and_language_switches_it(tmp_path: Path) -> None:
    session = "/language\n3\nnär grundades massbio\n/language auto\n/quit\n"
    result = chat(session, tmp_path, "--lang", "da")
    assert result.returncode == 0, result.stderr
    welcome, menu, chosen, answer, automatic = result.stdout.split("bot> ")[1:]
    assert welcome.startswith("Velkommen!")
    assert "[1] English" in menu and "[2] ✓ Dansk" in menu and "[3] Svenska" in menu
    assert chosen.startswith("Från och med nu skriver jag på svenska")
    assert "grundades 1985" in answer and "[+] Till hjälp" in answer
    assert automatic.startswith("Från och med nu svarar jag på varje meddelande")
    assert "Welcome" not in result.stdout


def test_contact_flow_in_the_terminal_with_tickets_and_reply(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BOT_DATA_DIR": str(tmp_path)}

    def bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    # /contact, agree, name, organisation, reply in chat, topic 1, message, send.
    form = "/contact\n1\nTerry Terminal\nTermCo\n1\n1\nPlease call <me> & co\n1\n/quit\n"
    chat = bot("chat", stdin=form)
    assert chat.returncode == 0, chat.stderr
    assert "Your request #A-0001 has been received" in chat.stdout

    listed = bot("tickets")
    assert (
        "#A-0001 [open] Investment and venture capital — Terry Terminal · TermCo" in listed.stdout
    )
    assert "Please call <me> & co" in listed.stdout

    replied = bot("reply", "#A-0001", "We", "will", "call", "you", "--as", "Anna")
    assert replied.returncode == 0 and "queued" in replied.stdout
    assert bot("reply", "99", "nobody").returncode == 1

    later = bot("chat", stdin="/quit\n")
    assert "staff> Anna from the programme staff replied to #A-0001:" in later.stdout
    assert "We will call you" in later.stdout
    assert "claimed (Anna)" in bot("tickets").stdout


def test_chat_reads_a_follow_up_against_the_previous_answer(tmp_path: Path) -> None:
    session = [
        "Who is the ambassador?",
        "and when was it founded?",
        "What is MassBio?",
        "and when was it founded?",
        "/quit\n",
    ]
    result = chat("\n".join(session), tmp_path)
    assert result.returncode == 0, result.stderr
    replies = result.stdout.split("bot> ")
    # After the ambassador, "it" is the programme, whose founding the source does not
    # give; after MassBio, it is MassBio, founded in 1985.
    assert "1985" not in replies[3] and "1985" in replies[5]  # [1] is the welcome


def test_a_cached_ask_reads_no_yaml(tmp_path: Path) -> None:
    """PyYAML, the schema and the parsers are for building, rank-bm25 (and the
    multiprocessing it imports) for indexing, rapidfuzz for correcting a word the
    knowledge base does not know, numpy for the postings of a large knowledge base: a
    cached start with no such word needs none."""
    unused = "yaml jsonschema sqlite_utils spellchecker rank_bm25 multiprocessing rapidfuzz numpy"
    code = (
        "import sys; from bot.cli import main; "
        "main(['ask', 'when was massbio founded']); "
        f"print(sorted(m for m in {unused.split()!r} if m in sys.modules))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # the first run builds the cache
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
    assert done.stdout.strip().splitlines()[-1] == "[]"
