"""The test OpenSSH server itself (tests/sshd.py): what the deploy tests take for granted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import need
from tests.sshd import missing, sshd


@pytest.fixture(autouse=True)
def _openssh() -> None:
    reason = missing()
    need(reason is None, reason or "")


def test_sessions_set_the_variables_given_and_read_none_of_the_machine_s_start_up_files(tmp_path: Path) -> None:
    """A session's shell reads ``$HOME/.bashrc`` (bash started by sshd does): the server's own
    empty home keeps the machine's out, whatever they start; and every variable given reaches
    the session (sshd would drop a second SetEnv line)."""
    with sshd(tmp_path / "sshd", env={"LANGUAGE": "id", "SITEGEN_TEST": "ya"}) as server:
        said = server.shell('printf "%s|%s|%s|" "$HOME" "$LANGUAGE" "$SITEGEN_TEST"; ls -A "$HOME"')
    assert said.returncode == 0, said.stderr
    assert said.stdout == f"{tmp_path / 'sshd' / 'home'}|id|ya|", said.stdout


@pytest.mark.parametrize("variable", ["HOME", "PATH"])
def test_a_variable_given_replaces_the_server_s_own(tmp_path: Path, variable: str) -> None:
    with sshd(tmp_path / "sshd", env={variable: "/nowhere"}) as server:
        said = server.shell(f'printf %s "${variable}"')
    assert said.stdout == "/nowhere", said
