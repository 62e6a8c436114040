"""Publishing: ``sitegen deploy`` puts the built site on a server as a release and switches
``current`` to it in one atomic step.

Modules, in the order a deploy uses them: ``endpoint`` (a target's URL), ``snapshot`` (the
local build and its digests), ``layout`` (release names, what to prune, the release
manifest), ``plan`` (what differs from the live release, the deletion guard, what to clear
from a copy of it), one transport per kind of target (``rsync``, ``sftp`` with ``sftpbatch``
and ``sftpsweep``, ``local`` with ``sweep``; all speak ``transport.Transport``), ``progress``,
``websub`` and ``command``, which runs them in order.
"""
