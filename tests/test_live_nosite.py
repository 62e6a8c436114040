"""serve and watch started outside a site (a mistyped --site, the wrong folder) say so and end
with status 2, as build does, instead of serving an empty folder and waiting."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_process
from tests.test_serve import free_port


@pytest.mark.parametrize("command", [["serve", "--port", str(free_port())], ["watch"]])
def test_a_folder_without_config_is_refused(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "bukan-situs"
    folder.mkdir()
    result = run_process(*command, "--site", folder, timeout=60)
    assert result.code == 2
    assert result.err.splitlines()[0] == (f"config.yaml: error: no config.yaml in {folder} "
                                          "(run sitegen in the site folder or pass --site)")
    assert "serving" not in result.out and "watching" not in result.out
    assert list(folder.iterdir()) == []  # no output folder, no cache
