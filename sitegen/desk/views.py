"""The desk's HTML: Jinja templates in ``templates/``, escaped everywhere, in the UI language.

Scripts and styles are the package's own files in ``assets/``, served by the desk itself:
no third-party script, font or stylesheet is ever loaded.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from sitegen.build import Prepared
from sitegen.desk.overview import state_name
from sitegen.errors import Diagnostic
from sitegen.messages import _, current_language

HERE = Path(__file__).parent
_ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def local_time(moment: datetime | None, zone: ZoneInfo | str) -> str:
    if moment is None:
        return ""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


_env.globals.update(_=_, state_name=state_name, local_time=local_time)
_env.filters["diagnostic"] = lambda d: diagnostic_text(d)


def render(template: str, **context: Any) -> bytes:
    return _env.get_template(template).render(ui_lang=current_language(), **context).encode("utf-8")


def asset(name: str) -> tuple[bytes, str] | None:
    """One of the desk's own files; nothing outside ``assets/`` (names are looked up, not joined)."""
    files = {p.name: p for p in (HERE / "assets").iterdir() if p.is_file()}
    path = files.get(name)
    if path is None or path.suffix not in _ASSET_TYPES:
        return None
    return path.read_bytes(), _ASSET_TYPES[path.suffix]


def site_title(prepared: Prepared | None) -> str:
    if prepared is None:
        return "sitegen"
    config = prepared.config
    return config.languages[config.default_language].title


def diagnostic_text(d: Diagnostic) -> str:
    """A diagnostic for the form: its hint only when it does not tell how to write YAML (staff
    never see the front matter; the field the message sits beside is where to fix it)."""
    # "write it as ..." in either UI language ("tulis sebagai ...")
    yaml_talk = d.hint is not None and ("front matter" in d.hint or "  " in d.hint or ": ..." in d.hint
                                        or d.hint.startswith(("write", "tulis")))
    return d.message + (f" ({d.hint})" if d.hint and not yaml_talk else "")
