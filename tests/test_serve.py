"""The live preview's watcher: a saved profile regenerates the served project; a broken one keeps the last."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from generator import serve, site
from generator.build import prepare
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
