"""The README's config reference names every key config.yaml accepts (issue 21)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from sitegen import configdoc
from tests.conftest import REPO


def documented() -> dict[str, str]:
    """``key path → meaning`` from the README's reference table."""
    text = (REPO / "README.md").read_text("utf-8")
    start, end = text.index(configdoc.BEGIN), text.index(configdoc.END)
    rows = re.findall(r"^\| `([^`]+)` \| [^|]* \| (.*) \|$", text[start:end], re.M)
    return dict(rows)


def test_every_key_the_config_accepts_is_in_the_readme() -> None:
    readme = documented()
    accepted = [key.path for key in configdoc.config_keys()]
    assert len(accepted) > 30
    missing = [path for path in accepted if path not in readme]
    assert not missing, "run python -m sitegen.configdoc --write README.md; missing: " + ", ".join(missing)
    assert all(readme[key.path] for key in configdoc.config_keys()), "a key without its meaning"


def test_the_keys_named_in_the_issue_are_explained() -> None:
    readme = documented()
    for path in ("base_url", "default_language", "timezone", "languages.<code>.name", "languages.<code>.locale",
                 "languages.<code>.title", "languages.<code>.description", "sections", "permalinks", "paginate",
                 "theme", "output_dir", "feeds.items", "feeds.full_content", "feeds.hub", "contact",
                 "markdown.unsafe_html", "logo", "social_cards", "translations.require", "ui_language"):
        assert readme.get(path), path


def _written(data: Any, prefix: str = "") -> Iterator[str]:
    """Key paths of a config as written, with the names of named groups replaced."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        path = f"{prefix}{key}"
        yield path
        if path in ("sections", "translations.require"):
            continue  # section folder names
        if isinstance(value, dict) and f"{path}.<code>" in documented():  # a text per language
            yield from (f"{path}.<code>" for _ in value)
        elif path == "languages" or path == "deploy":
            for spec in value.values():
                yield from _written(spec, f"{path}.{'<code>' if path == 'languages' else '<name>'}.")
        else:
            yield from _written(value, path + ".")


def test_every_key_of_the_bundled_config_is_explained() -> None:
    """config.yaml says so in its first line."""
    config = (REPO / "config.yaml").read_text("utf-8")
    assert "Every key is explained in README.md" in config.splitlines()[0]
    readme = documented()
    for path in _written(yaml.safe_load(config)):
        assert path in readme, path
