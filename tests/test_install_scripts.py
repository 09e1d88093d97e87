"""The install as a newcomer meets it: scripts/start.sh, scripts/_venv.sh and the lock files.

``start.sh`` is run on a copy of the scripts whose ``.venv/bin/python`` is a stand-in that
records how it was called, so the test sees every pip call and the bot's own arguments
without installing anything. The lock files are read against pyproject.toml: every
dependency pinned to one version, with hashes, inside pyproject.toml's range.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$")
STAND_IN = """#!/bin/sh
# A stand-in for .venv/bin/python: one line per call, its arguments separated by '|'.
printf '%s|' "$@" >>"$CALLS"
printf '\\n' >>"$CALLS"
"""


def project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]  # type: ignore[no-any-return]


def pins(lock: Path) -> dict[str, tuple[Version, int]]:
    """``name -> (version, number of hashes)`` for every package a lock file pins."""
    found: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in lock.read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            found[name] = (Version(match.group(2)), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line and not line.startswith(("#", " ")):
            raise AssertionError(f"{lock.name}: not a pinned requirement: {line!r}")
    return found


def start(copy: Path, calls: Path, *args: str) -> list[list[str]]:
    """Run the copy's start.sh; return the stand-in's calls made by this run."""
    before = calls.read_text().splitlines() if calls.exists() else []
    run = subprocess.run(
        ["bash", str(copy / "scripts" / "start.sh"), *args],
        env={**os.environ, "CALLS": str(calls), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    after = calls.read_text().splitlines()
    return [line.split("|")[:-1] for line in after[len(before) :]]


def test_start_passes_every_argument_to_the_bot_and_installs_once(tmp_path: Path) -> None:
    copy = tmp_path / "checkout"
    (copy / "scripts").mkdir(parents=True)
    for name in ("scripts/start.sh", "scripts/_venv.sh", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    for lock in ROOT.glob("requirements*.lock"):
        shutil.copy(lock, copy / lock.name)
    python = copy / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STAND_IN)
    python.chmod(0o755)
    calls = tmp_path / "calls"

    first = start(copy, calls, "--help")
    installs = [call for call in first if call[:2] == ["-m", "pip"]]
    assert installs, "the first start installs the project"
    assert not any("--help" in arg for call in installs for arg in call), installs
    assert first[-1] == ["-m", "bot", "--help"]
    assert any("requirements.lock" in call for call in installs), installs

    second = start(copy, calls, "ask", "who is the ambassador")
    assert second == [["-m", "bot", "ask", "who is the ambassador"]]
    third = start(copy, calls, "tickets", "--all")
    assert third == [["-m", "bot", "tickets", "--all"]]
    # One record of what is installed, not a stamp file per subcommand.
    assert sorted(p.name for p in (copy / ".venv").iterdir() if p.name.startswith(".")) == [
        ".installed"
    ]


def test_the_lock_pins_every_dependency_within_pyproject_ranges() -> None:
    locked = pins(ROOT / "requirements.lock")
    dependencies = project()["dependencies"]
    assert isinstance(dependencies, list)
    for spec in dependencies:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements.lock"
        version, _ = locked[name]
        assert requirement.specifier.contains(version), f"{name}=={version} is outside {spec}"
    assert all(hashes >= 1 for _, hashes in locked.values()), "every pin carries its hashes"


def test_the_dev_lock_is_the_app_lock_plus_the_dev_tools() -> None:
    app = pins(ROOT / "requirements.lock")
    dev = pins(ROOT / "requirements-dev.lock")
    for name, (version, _) in app.items():
        assert dev.get(name, (None, 0))[0] == version, f"{name}: the two locks disagree"
    extras = project()["optional-dependencies"]
    assert isinstance(extras, dict)
    for spec in extras["dev"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in dev and requirement.specifier.contains(dev[name][0]), spec
    assert all(hashes >= 1 for _, hashes in dev.values())


def test_the_base_image_is_pinned_by_digest_with_how_to_refresh_it() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", dockerfile, re.M)
    assert base is not None
    assert re.fullmatch(r"python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", base.group(1))
    assert "imagetools inspect python:3.11-slim-bookworm" in dockerfile
    assert "--format docker" in dockerfile  # podman users keep the HEALTHCHECK


def test_the_readme_is_ordered_for_its_readers() -> None:
    """What it is, quick start, running it on Telegram, knowledge curation, operations,
    configuration reference; measured figures live in benchmarks/README.md."""
    readme = (ROOT / "README.md").read_text()
    sections = re.findall(r"^## (.+)$", readme, re.M)
    assert sections[:6] == [
        "Quick start",
        "Running it on Telegram",
        "Knowledge curation",
        "Operations",
        "Configuration reference",
        "Development",
    ]
    running = readme.split("## Running it on Telegram", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^### (.+)$", running, re.M)
    assert steps[:4] == ["BotFather", "The staff group", "Long polling or a webhook", "Docker"]
    assert "podman build --format docker" in running  # next to the docker commands
    assert "HEALTH_PORT=0" in running
    # Measured figures and their tables are in benchmarks/README.md, linked.
    assert "p99 ms" not in readme and "0.983, 1.1%" not in readme
    assert "benchmarks/README.md" in readme
    figures = (ROOT / "benchmarks" / "README.md").read_text()
    assert "p99 ms" in figures and "| `dev.yaml` |" in figures and "updates/s" in figures
