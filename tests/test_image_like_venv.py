"""The container image, emulated without Docker: build it the way the Dockerfile does, run it.

The Dockerfile is read, not restated: the builder stage's COPY lines are replayed into a
temporary build tree and its RUN lines (calls of ``scripts/install-app.sh``, the one place
the install is defined) are run with the image paths moved under a temporary root, so a
fresh venv gets the same non-editable install from PyPI as the image. The final stage's
COPY, ENV, WORKDIR, VOLUME, HEALTHCHECK and CMD give the runtime tree, environment,
working directory and command. The bot then runs from a folder outside the checkout, so
it cannot import the source tree, against a local Bot API server.

Installing the dependencies needs PyPI (pip's cache is reused): about a minute at first.
"""

from __future__ import annotations

import json
import os
import posixpath
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name

from tests.support.botapi_server import FakeBotApi
from tests.support.updates import TOKEN
from tests.test_install_scripts import pins

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
STAFF_CHAT = -1009000
# What the python base image sets before the Dockerfile's own ENV lines.
BASE_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
}
# .dockerignore keeps these out of the build context.
IGNORED = shutil.ignore_patterns("__pycache__", "*.py[cod]", "*.egg-info")


def dockerfile_stages(text: str) -> list[list[tuple[str, str]]]:
    """The Dockerfile's stages, each a list of (INSTRUCTION, arguments) after its FROM."""
    instructions: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or not (line or pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        instructions.append(pending + line)
        pending = ""
    stages: list[list[tuple[str, str]]] = []
    for instruction in instructions:
        keyword, _, arguments = instruction.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        elif stages:
            stages[-1].append((keyword.upper(), arguments.strip()))
    return stages


@dataclass
class Tree:
    """One stage's filesystem, rooted in a temporary folder instead of /."""

    root: Path
    workdir: str = "/"

    def path(self, image_path: str) -> Path:
        absolute = posixpath.normpath(posixpath.join(self.workdir, image_path))
        return self.root / absolute.lstrip("/")

    def copy(self, source: Path, destination: str, *, from_context: bool = True) -> None:
        target = self.path(destination)
        if source.is_dir():
            ignore = IGNORED if from_context else None
            shutil.copytree(source, target, symlinks=True, ignore=ignore, dirs_exist_ok=True)
            return
        if destination.endswith("/"):
            target = target / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


@dataclass
class Image:
    tree: Tree
    env: dict[str, str] = field(default_factory=dict)
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)

    def executable(self, name: str) -> str:
        found = shutil.which(name, path=self.env["PATH"])
        assert found is not None, f"{name} is not on the image's PATH {self.env['PATH']}"
        return found


def build(stage: list[tuple[str, str]], tree: Tree) -> None:
    """Replay the builder stage: its COPY lines and its install-app.sh RUN lines."""
    for keyword, arguments in stage:
        if keyword == "WORKDIR":
            tree.workdir = posixpath.join(tree.workdir, arguments)
            tree.path(".").mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            *sources, destination = shlex.split(arguments)
            for source in sources:
                tree.copy(ROOT / source, destination)
        elif keyword == "RUN":
            argv = shlex.split(arguments)
            assert argv[:2] == ["sh", "scripts/install-app.sh"] and len(argv) == 4, (
                f"the builder may only RUN scripts/install-app.sh (the test replays it): {argv}"
            )
            step = subprocess.run(
                [*argv[:3], str(tree.path(argv[3]))],
                cwd=tree.path("."),
                env={**os.environ, "PYTHON": sys.executable},
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert step.returncode == 0, f"{argv} failed:\n{step.stdout}\n{step.stderr}"
        else:
            pytest.fail(f"the test does not know how to replay {keyword} in the builder stage")


def assemble(stage: list[tuple[str, str]], builder: Tree, tree: Tree) -> Image:
    """The final stage: files, environment and commands (RUN only adds the user and /data)."""
    image = Image(tree, env=dict(BASE_ENV))
    for keyword, arguments in stage:
        if keyword == "COPY":
            *options, source, destination = shlex.split(arguments)
            if options == ["--from=builder"]:
                tree.copy(builder.path(source), destination, from_context=False)
            else:
                assert not options, f"unexpected COPY options {options}"
                tree.copy(ROOT / source, destination)
        elif keyword == "ENV":
            for assignment in shlex.split(arguments):
                name, _, value = assignment.partition("=")
                image.env[name] = value.replace("$PATH", image.env["PATH"])
        elif keyword == "WORKDIR":
            tree.workdir = posixpath.join(tree.workdir, arguments)
        elif keyword == "VOLUME":
            for volume in json.loads(arguments):
                tree.path(volume).mkdir(parents=True)
        elif keyword == "CMD":
            image.cmd = json.loads(arguments)
        elif keyword == "HEALTHCHECK":
            image.healthcheck = json.loads(arguments.partition(" CMD ")[2])
    image.env = {name: in_tree(tree, name, value) for name, value in image.env.items()}
    tree.path(".").mkdir(parents=True, exist_ok=True)
    return image


def in_tree(tree: Tree, name: str, value: str) -> str:
    """An environment value with its image paths moved under the temporary root."""
    if name == "PATH":  # image folders (the venv) moved, the base image's ones kept as they are
        return ":".join(str(tree.path(p)) if tree.path(p).exists() else p for p in value.split(":"))
    return str(tree.path(value)) if value.startswith("/") else value


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    builder_stage, final_stage = dockerfile_stages(DOCKERFILE.read_text())
    builder = Tree(tmp_path_factory.mktemp("builder"))
    build(builder_stage, builder)
    return assemble(final_stage, builder, Tree(tmp_path_factory.mktemp("image")))


def free_port() -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = int(server.server_address[1])
    server.server_close()
    return port


def test_image_layout(image: Image) -> None:
    assert image.cmd == ["python", "-m", "bot", "run"]
    assert image.env["PYTHONDONTWRITEBYTECODE"] == "1" and image.env["PYTHONUNBUFFERED"] == "1"
    assert Path(image.env["KNOWLEDGE_DIR"], "messages.yaml").is_file()
    assert Path(image.env["BOT_DATA_DIR"]).is_dir()
    python = image.executable("python")
    assert python.startswith(str(image.tree.root / "opt" / "venv")), python
    # The bot is the installed package, not the checkout, and the image holds no source tree.
    where = subprocess.run(
        [python, "-c", "import bot; print(bot.__file__)"],
        cwd=image.tree.path("."),
        env=image.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "/site-packages/bot/" in where and where.startswith(str(image.tree.root)), where
    assert sorted(p.name for p in image.tree.root.iterdir()) == ["app", "data", "opt"]


def test_image_holds_exactly_the_locked_versions(image: Image) -> None:
    """The image is built from requirements.lock: every package at its pinned version."""
    frozen = subprocess.run(
        [image.executable("python"), "-m", "pip", "list", "--format=json", "--exclude-editable"],
        env=image.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {
        canonicalize_name(p["name"]): p["version"]
        for p in json.loads(frozen)
        if canonicalize_name(p["name"]) not in ("mva-enquiry-bot", "setuptools")
    }
    locked = {name: str(version) for name, (version, _) in pins(ROOT / "requirements.lock").items()}
    assert installed == locked


def wait_polling(api: FakeBotApi, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for the bot's first getUpdates; fail at once, with its output, if it exits."""
    deadline = time.monotonic() + 60
    while not api.calls_to("getUpdates"):
        if process.poll() is not None:
            pytest.fail(f"the bot exited with {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the bot did not start polling within 60 s:\n{log.read_text()}")
        time.sleep(0.1)


def test_bot_answers_and_stops_cleanly(image: Image, tmp_path: Path) -> None:
    log_path = tmp_path / "bot.log"
    with FakeBotApi(token=TOKEN) as api, log_path.open("w") as log:
        api.group("Staff", chat_id=STAFF_CHAT)
        env = {
            **image.env,
            **api.bot_env(),
            "STAFF_CHAT_ID": str(STAFF_CHAT),
            "HEALTH_PORT": str(free_port()),  # never the fixed 8080 on a shared machine
        }
        process = subprocess.Popen(
            [image.executable(image.cmd[0]), *image.cmd[1:]],
            cwd=image.tree.path("."),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_polling(api, process, log_path)
            user = api.user("Alice")
            user.send_text("/start")
            welcome = user.wait_for_message("Welcome")
            user.send_text("When was MassBio founded?")
            user.wait_for_message("1985", after=welcome)
            process.send_signal(signal.SIGTERM)
            assert process.wait(20) == 0, log_path.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
    assert "Traceback" not in log_path.read_text()
    assert Path(image.env["BOT_DATA_DIR"], "bot.sqlite3").is_file()


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = json.dumps({"ok": self.status == 200}).encode()
        self.send_response(self.status if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def health_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize(
    ("status", "healthy"), [(200, True), (503, False), (None, False), ("off", True)]
)
def test_healthcheck_command(
    image: Image, health_server: ThreadingHTTPServer, status: int | str | None, healthy: bool
) -> None:
    """The HEALTHCHECK one-liner, run in the image's environment against a stand-in /health.
    With HEALTH_PORT=0 the endpoint is off (README): the check passes, nothing to ask."""
    port = int(health_server.server_address[1])
    if status is None:
        port = free_port()  # nothing listens: unhealthy, not an error of the check itself
    elif status == "off":
        port = 0
    else:
        assert isinstance(status, int)
        _Health.status = status
    argv = [image.executable(image.healthcheck[0]), *image.healthcheck[1:]]
    check = subprocess.run(
        argv, env={**image.env, "HEALTH_PORT": str(port)}, capture_output=True, timeout=30
    )
    assert check.returncode == (0 if healthy else 1), check.stderr
