"""The live preview's watcher: a saved profile regenerates the served project; a broken one keeps the last."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import serve, site
from generator.build import prepare
from generator.cli import cli
from tests.conftest import PROFILES


def _wait_for(predicate: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_saving_the_profile_regenerates_the_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "me.yaml"
    shutil.copy(PROFILES / "us-late-applying.yaml", profile)
    project = tmp_path / "project"
    site.write_files(project, prepare(profile).files)
    stop = threading.Event()
    watcher = threading.Thread(target=serve._watch, args=(profile, project, None, False, stop), daemon=True)
    watcher.start()
    try:
        time.sleep(serve.POLL_SECONDS * 2)
        profile.write_text(profile.read_text().replace("name: Maria Lopez", "name: Maria Lopez-Garcia"))
        index = project / "docs" / "index.md"
        assert _wait_for(lambda: "Maria Lopez-Garcia" in index.read_text())
        profile.write_text(profile.read_text().replace("match_year: 2028", "match_year: 1999"))
        assert _wait_for(lambda: "expected 2000 or more" in capsys.readouterr().err)
        assert "Maria Lopez-Garcia" in index.read_text()
    finally:
        stop.set()
        watcher.join(5)


def _watching(profile: Path, project: Path, good: dict[str, bytes]) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    watcher = threading.Thread(target=serve._watch, args=(profile, project, None, False, stop, good), daemon=True)
    watcher.start()
    time.sleep(serve.POLL_SECONDS * 2)
    return watcher, stop


def test_a_broken_profile_shows_in_the_browser_and_the_preview_recovers(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    shutil.copy(PROFILES / "us-late-applying.yaml", profile)
    project = tmp_path / "project"
    good = prepare(profile).files
    site.write_files(project, good)
    watcher, stop = _watching(profile, project, good)
    index = project / "docs" / "index.md"
    try:
        text = profile.read_text()
        profile.write_text(text.replace("match_year: 2028", "match_year: 1999"))
        assert _wait_for(lambda: index.read_text().startswith('!!! failure "Your profile has a problem'))
        assert "me.yaml:19: goal.match_year: found" in index.read_text()
        assert "Maria Lopez" in index.read_text()  # the last good handbook stays below the notice
        profile.write_text(text)
        assert _wait_for(lambda: not index.read_text().startswith("!!!"))
    finally:
        stop.set()
        watcher.join(5)


def test_an_internal_error_does_not_stop_the_preview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "me.yaml"
    shutil.copy(PROFILES / "us-late-applying.yaml", profile)
    project = tmp_path / "project"
    good = prepare(profile).files
    site.write_files(project, good)
    calls = {"n": 0}
    real = serve.prepare

    def flaky(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(serve, "prepare", flaky)
    watcher, stop = _watching(profile, project, good)
    index = project / "docs" / "index.md"
    try:
        profile.write_text(profile.read_text().replace("name: Maria Lopez", "name: Maria L"))
        said = re.compile(r"internal error \(RuntimeError in test_serve\.py, line \d+\); please report it\n")
        assert _wait_for(lambda: said.search(capsys.readouterr().err) is not None)  # its message may quote a private value
        time.sleep(serve.POLL_SECONDS)
        profile.write_text(profile.read_text().replace("name: Maria L\n", "name: Maria Lopez-Garcia\n"))
        assert _wait_for(lambda: "Maria Lopez-Garcia" in index.read_text() and not index.read_text().startswith("!!!"))
    finally:
        stop.set()
        watcher.join(5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_prints_its_address_and_serves_the_handbook(tmp_path: Path) -> None:
    port = _free_port()
    handbook = Path(sys.executable).parent / "handbook"
    profile = PROFILES / "us-late-applying.yaml"
    process = subprocess.Popen(
        [str(handbook), "serve", str(profile), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        url = f"http://127.0.0.1:{port}/"
        assert line == f"Serving the handbook of {profile} on {url} (press Ctrl+C to stop)"

        def answers() -> bool:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    return b"Maria Lopez" in response.read()
            except OSError:
                return False

        assert _wait_for(answers, 60)
    finally:
        process.terminate()
        process.communicate(timeout=10)  # also closes the pipes


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(PROFILES / "us-late-applying.yaml"), "-a", f"127.0.0.1:{port}"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: port {port} on 127.0.0.1 is in use (another preview?); choose another with -a 127.0.0.1:{port + 1}\n"
    )


def test_a_malformed_address_is_one_line() -> None:
    result = CliRunner().invoke(cli, ["serve", str(PROFILES / "us-late-applying.yaml"), "-a", "localhost"])
    assert (result.exit_code, result.stderr) == (2, "error: -a localhost: write the address as HOST:PORT, e.g. 127.0.0.1:8000\n")


def test_the_error_banner_goes_after_a_pages_front_matter() -> None:
    banner = b'!!! failure "x"\n\n'
    assert serve._with_banner(b"---\nhide:\n  - toc\n---\n\n# Print\n", banner) == (
        b'---\nhide:\n  - toc\n---\n\n!!! failure "x"\n\n\n# Print\n'
    )
    assert serve._with_banner(b"# Letters\n", banner) == b'!!! failure "x"\n\n# Letters\n'
