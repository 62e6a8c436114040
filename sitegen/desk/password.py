"""``sitegen desk-password``: the admin sets the password the desk asks for off loopback."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from sitegen.desk import security
from sitegen.errors import Diagnostic, UsageError
from sitegen.messages import _


def _ask() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")  # from a script: the first line of its input
    first = getpass.getpass(_("New desk password: "))
    if getpass.getpass(_("The same password again: ")) != first:
        raise UsageError([Diagnostic("desk-password", None, _("the two passwords differ; nothing was changed"))])
    return first


def desk_password(site_dir: Path) -> int:
    if not (site_dir / "config.yaml").is_file():
        raise UsageError([Diagnostic(str(site_dir), None, _("this is not a site folder (no config.yaml)"),
                                     hint=_("use --site DIR"))])
    password = _ask()
    if len(password) < security.MIN_PASSWORD:
        raise UsageError([Diagnostic("desk-password", None,
                                     _("the password needs at least {n} characters; nothing was changed")
                                     .format(n=security.MIN_PASSWORD))])
    target = security.set_password(site_dir, password)
    print(_("desk password saved (as a salted scrypt hash) in {path}; signed-in sessions of a running "
            "sitegen serve stay valid until they expire").format(path=target))
    return 0
