"""After a switch: tell the WebSub hub which feeds changed, so subscribers fetch them now."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from sitegen import oserrors

TIMEOUT = 15


def ping(hub: str, feed_urls: Iterable[str]) -> list[tuple[str, str]]:
    """POST ``hub.mode=publish`` and ``hub.url`` once per feed; the (url, reason) of each failure.
    A hub that cannot be reached, or does not answer within TIMEOUT, is not asked again for the
    other feeds (they fail with the same reason): a silent hub must not hold a deploy that is
    live already for TIMEOUT per feed."""
    failures: list[tuple[str, str]] = []
    unreachable = None
    for url in feed_urls:
        if unreachable is not None:
            failures.append((url, unreachable))
            continue
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(hub, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the configured hub
                response.read()
        except urllib.error.HTTPError as exc:
            failures.append((url, f"HTTP {exc.code}"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            unreachable = oserrors.words(reason) if isinstance(reason, OSError) else str(reason) or \
                type(reason).__name__
            failures.append((url, unreachable))
    return failures
