"""Deploy failures as sitegen errors: ``target: error: message (hint)``, never a traceback."""

from __future__ import annotations

import errno

from sitegen import oserrors
from sitegen.deploy.endpoint import Endpoint
from sitegen.deploy.layout import CURRENT, LINK
from sitegen.errors import Diagnostic, SiteError
from sitegen.messages import _


class DeployFailed(SiteError):
    """The deploy stopped (network, disk, permissions, guard): the live site is as it was."""

    exit_code = 1


class DeployRefused(SiteError):
    """Set-up problems the user must fix first: host key, client key, config."""

    exit_code = 2


#: Free space (KiB) on the target below which a write that failed is taken for a full disk:
#: a write fails with the disk nearly, not always exactly, full.
FULL_BELOW_KB = 1024


def failed(target: str, message: str, hint: str | None = None) -> DeployFailed:
    return DeployFailed([Diagnostic(target, None, message, "error", hint)])


def refused(target: str, message: str, hint: str | None = None) -> DeployRefused:
    return DeployRefused([Diagnostic(target, None, message, "error", hint)])


def needs_passphrase(target: str, key: object) -> DeployRefused:
    """A key that could not be used for want of its passphrase, which sitegen never asks for."""
    return refused(target, _("the key {file} needs its passphrase").format(file=key),
                   _("load it into ssh-agent first (ssh-add); sitegen never asks for passwords"))


def os_problem(target: str, exc: OSError, doing: str) -> DeployFailed:
    """An OS error on the target, in words: full disk, permissions, or what the system said.
    Of a call on two paths (a copy, a link, a rename) the second is named: the one written
    (``shutil.copyfile`` names its source first, the local build's file)."""
    named = exc.filename2 if isinstance(exc.filename2, str) else exc.filename
    where = named if isinstance(named, str) else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(target, doing, where)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return failed(target, _("permission denied while {doing}{where}").format(
            doing=doing, where=f" ({where})" if where else ""),
            _("the deploy user must own the target folder; the live site is unchanged"))
    reason = oserrors.words(exc, lower=False)
    return failed(target, _("{doing} failed: {reason}{where}").format(
        doing=doing, reason=reason, where=f" ({where})" if where else ""), _("the live site is unchanged"))


def made_folder(target: str, endpoint: Endpoint) -> Diagnostic:
    """The warning of a deploy that made the target's missing folder. A first deploy to a new
    folder needs it; but where a disk or share is not mounted, its mount point is an empty
    folder on the disk beneath, and a release made there is "published" while the web server
    sees nothing: the person is to check, once."""
    if endpoint.scheme == "file":
        message = _("the target folder {folder} did not exist on this computer: deploy made it").format(
            folder=endpoint.path)
    else:
        message = _("the target folder {folder} did not exist on {host}: deploy made it").format(
            folder=endpoint.path, host=endpoint.host)
    return Diagnostic(target, None, message, "warning",
                      _("if a disk or share should be mounted there, check that it is: the web server would not see "
                        "this release otherwise"))


def would_make_folder(endpoint: Endpoint) -> str:
    """What a dry run says of a missing target folder (see ``made_folder``)."""
    if endpoint.scheme == "file":
        return _("the target folder {folder} does not exist on this computer: a deploy would make it").format(
            folder=endpoint.path)
    return _("the target folder {folder} does not exist on {host}: a deploy would make it").format(
        folder=endpoint.path, host=endpoint.host)


def blocked(folder: str, what: str = CURRENT) -> tuple[str, str]:
    """What is wrong, and how to fix it, when ``what`` stands in the way in the target's
    ``folder`` (``layout.in_the_way``)."""
    current = f"{folder}/{CURRENT}"
    after = _("move it away once, then deploy again; the web server's document root is to point at {current}").format(
        current=current)
    if what == CURRENT:
        return _("{current} is not a symbolic link: deploy never replaces a folder or file it did not make").format(
            current=current), after
    if what == LINK:
        return _("{current} leads to a site sitegen did not publish: deploy never replaces it").format(
            current=current), after
    return _("{path} is not a folder: deploy keeps its releases there and never replaces a file it did not make"
             ).format(path=f"{folder}/{what}"), _("move it away once, then deploy again")


def no_links(folder: str) -> tuple[str, str]:
    """What is wrong, and how to fix it, when the target's ``folder`` holds no symbolic link."""
    return (_("{folder} cannot hold a symbolic link (a FAT or exFAT disk, or a share from Windows), and the live "
              "site is switched with one").format(folder=folder),
            _("deploy to a folder on a Linux filesystem (ext4, XFS), or to the web server with an ssh:// url; "
              "nothing was sent"))


def disk_full(target: str, doing: str, where: str | None = None) -> DeployFailed:
    """``where``: the file that could not be written whole, where the failure names one."""
    return failed(target, _("the target's disk is full while {doing}{where}").format(
        doing=doing, where=f" ({where})" if where else ""),
                  _("free space there, or lower keep: to hold fewer releases; the live site is unchanged"))


def dropped(target: str, host: str, doing: str, reason: str | None = None) -> DeployFailed:
    """A connection lost in a step. The hint holds whether or not the step had sent anything:
    lost while reading the releases, nothing was, and the next deploy removes what was."""
    message = _("the connection to {host} dropped while {doing}").format(host=host, doing=doing)
    if reason:
        message = _("the connection to {host} dropped while {doing} ({reason})").format(
            host=host, doing=doing, reason=reason)
    return failed(target, message, _("run the deploy again: the live site is unchanged, and the next deploy "
                                     "removes anything sent in part"))


def no_reason(target: str, doing: str, said: str, where: str | None) -> DeployFailed:
    """A failure the server gave no reason for: SFTP has codes for a missing file and a
    refused permission only, so OpenSSH's server answers every other error (a full disk, a
    read-only disk, a quota) with a bare "Failure". Its words, the step and the path are all
    there is to tell; which cause it was is left open, not guessed."""
    return failed(target, _("{doing} failed: the server said only '{said}'{where}").format(
        doing=doing, said=said, where=f" ({where})" if where else ""),
        _("the server gave no reason: usually a full disk or quota, a read-only disk, or missing permissions; "
          "the live site is unchanged"))
