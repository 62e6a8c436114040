"""Write one `corpus.Corpus` as a sitegen, Hugo or Pelican site.

Each writer lays out the same releases, sections, tags, images, pagination (10)
and feed limit (20) in its tool's own conventions. The Hugo templates are plain
files under `hugo_layouts/`; Pelican uses its bundled theme.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import vocab
import yaml
from corpus import Corpus, Release, Text

MARKER = ".benchmark-corpus"
HUGO_LAYOUTS = Path(__file__).with_name("hugo_layouts")
# The smallest well-formed JPEG (1x1 pixel): the corpus only needs images to exist.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////"
    "////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/a"
    "AAgBAQABPxA="
)


class OutDirError(Exception):
    pass


def prepare_out(out: Path, discard: Callable[[Path], object] = shutil.rmtree) -> None:
    """Empty `out` if this module made it (with `discard`); refuse any other non-empty folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise OutDirError("folder is not empty and was not made by corpus.py; choose another --out")
        discard(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by benchmarks/corpus.py; safe to delete\n")


# --- shared helpers -----------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_images(folder: Path, corpus: Corpus) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(corpus.images):
        (folder / name).write_bytes(photo(number))


def photo(number: int, width: int = 800, height: int = 533) -> bytes:
    """A small, valid JPEG (sitegen reads and publishes the photos a text shows): a gradient
    with a few blocks, different for each number, the same bytes on every run. Without
    Pillow, a one-pixel JPEG."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return JPEG
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for block in range(6):
        x, y = (number * 97 + block * 131) % (width - 120), (number * 53 + block * 71) % (height - 90)
        draw.rectangle((x, y, x + 120, y + 90), fill=((number * 40) % 256, (block * 50) % 256, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def yaml_document(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9)


def markdown_file(front_matter: dict[str, Any], body: str) -> str:
    return f"---\n{yaml_document(front_matter)}---\n\n{body}"


def iso(release: Release) -> str:
    return release.date.isoformat()


def texts(corpus: Corpus) -> Iterator[tuple[Release, str, Text]]:
    for release in corpus.releases:
        for lang in corpus.languages:
            yield release, lang, release.texts[lang]


def article_path(content: Path, release: Release, lang: str) -> Path:
    return content / release.section / f"{release.key}.{lang}.md"


def common_front_matter(release: Release, text: Text) -> dict[str, Any]:
    return {
        "title": text.title,
        "date": iso(release),  # a str, so YAML quotes it
        "summary": text.summary,
        "author": release.author,
        "location": release.location,
        "agency": text.agency,
        "tags": list(text.tags),
    }


# --- sitegen -----------------------------------------------------------------------


def sitegen_config(corpus: Corpus) -> dict[str, Any]:
    return {
        "base_url": corpus.base_url,
        "default_language": corpus.default_language,
        "timezone": corpus.timezone,
        "theme": "humas",
        "languages": {lang: dict(vocab.SITE[lang]) for lang in corpus.languages},
        "sections": {
            section: {lang: corpus.section_name(section, lang) for lang in corpus.languages}
            for section in sorted({r.section for r in corpus.releases})
        },
        "paginate": corpus.paginate,
        "feeds": {"items": corpus.feed_items},
        # Hugo and Pelican draw no share pictures: like for like leaves sitegen's off too.
        **({} if corpus.defaults else {"social_cards": False}),
    }


def write_sitegen(corpus: Corpus, out: Path) -> None:
    """config.yaml, content/<section>/<key>.<lang>.md, static/images/. The theme is
    not written: run.py copies the repository's themes/ in."""
    write(out / "config.yaml", yaml_document(sitegen_config(corpus)))
    for release, lang, text in texts(corpus):
        front = common_front_matter(release, text)
        if text.category:
            front["category"] = text.category
        write(article_path(out / "content", release, lang), markdown_file(front, text.body))
    write_images(out / "static" / "images", corpus)


# --- Hugo --------------------------------------------------------------------------


def toml_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)


def toml_table(name: str, values: dict[str, str | int | bool]) -> str:
    lines = [f"[{name}]"] + [f"{k} = {toml_value(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def hugo_config(corpus: Corpus) -> str:
    top: dict[str, str | int | bool] = {
        "baseURL": corpus.base_url,
        "defaultContentLanguage": corpus.default_language,
        "defaultContentLanguageInSubdir": False,
        "timeZone": corpus.timezone,
        "title": vocab.SITE[corpus.default_language]["title"],
        "buildFuture": True,  # sitegen gets --now; Hugo must not drop releases on a wrong clock
    }
    parts = ["\n".join(f"{k} = {toml_value(v)}" for k, v in top.items()) + "\n"]
    parts.append(toml_table("pagination", {"pagerSize": corpus.paginate}))
    parts.append(toml_table("services.rss", {"limit": corpus.feed_items}))
    parts.append(toml_table("taxonomies", {"tag": "tags", "category": "categories"}))
    for weight, lang in enumerate(corpus.languages, start=1):
        site = vocab.SITE[lang]
        parts.append(toml_table(f"languages.{lang}", {
            "label": site["name"],
            "locale": site["locale"].replace("_", "-"),
            "title": site["title"],
            "weight": weight,
        }))
        parts.append(toml_table(f"languages.{lang}.params", {"description": site["description"]}))
    return "\n".join(parts)


def write_hugo(corpus: Corpus, out: Path) -> None:
    """hugo.toml, content/<section>/{_index,<key>}.<lang>.md, static/images/, layouts/."""
    write(out / "hugo.toml", hugo_config(corpus))
    for section in sorted({r.section for r in corpus.releases}):
        for lang in corpus.languages:
            index = {"title": corpus.section_name(section, lang)}
            write(out / "content" / section / f"_index.{lang}.md", markdown_file(index, ""))
    for release, lang, text in texts(corpus):
        front = common_front_matter(release, text)
        front["categories"] = [corpus.category_or_section(release, lang)]
        write(article_path(out / "content", release, lang), markdown_file(front, text.body))
    write_images(out / "static" / "images", corpus)
    shutil.copytree(HUGO_LAYOUTS, out / "layouts")


# --- Pelican -----------------------------------------------------------------------


def pelican_config(corpus: Corpus) -> str:
    site_url = corpus.base_url.rstrip("/")
    settings: dict[str, Any] = {
        "SITENAME": vocab.SITE[corpus.default_language]["title"],
        "SITEURL": site_url,
        "FEED_DOMAIN": site_url,
        "RELATIVE_URLS": False,
        "PATH": "content",
        "OUTPUT_PATH": "output",
        "CACHE_PATH": "cache",
        "TIMEZONE": corpus.timezone,
        "DEFAULT_LANG": corpus.default_language,
        "DEFAULT_PAGINATION": corpus.paginate,
        "FEED_MAX_ITEMS": corpus.feed_items,
        "RSS_FEED_SUMMARY_ONLY": False,
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "FEED_ALL_RSS": "feeds/all.rss.xml",
        "CATEGORY_FEED_ATOM": "feeds/category/{slug}.atom.xml",
        "CATEGORY_FEED_RSS": "feeds/category/{slug}.rss.xml",
        "TAG_FEED_ATOM": "feeds/tag/{slug}.atom.xml",
        "TAG_FEED_RSS": "feeds/tag/{slug}.rss.xml",
        "TRANSLATION_FEED_ATOM": "feeds/all-{lang}.atom.xml",
        "TRANSLATION_FEED_RSS": "feeds/all-{lang}.rss.xml",
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        "ARTICLE_URL": "{category}/{slug}/",
        "ARTICLE_SAVE_AS": "{category}/{slug}/index.html",
        "ARTICLE_LANG_URL": "{lang}/{category}/{slug}/",
        "ARTICLE_LANG_SAVE_AS": "{lang}/{category}/{slug}/index.html",
        "YEAR_ARCHIVE_SAVE_AS": "arsip/{date:%Y}/index.html",
        "STATIC_PATHS": ["images"],
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
    }
    lines = ['"""Pelican settings written by benchmarks/corpus.py."""']
    lines += [f"{key} = {value!r}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def pelican_metadata(corpus: Corpus, release: Release, lang: str, text: Text) -> dict[str, str]:
    meta = {
        "Title": text.title,
        "Date": iso(release),
        "Slug": release.key,
        "Lang": lang,
        "Category": corpus.category_or_section(release, lang),
        "Tags": ", ".join(text.tags),
        "Author": release.author,
        "Summary": text.summary,
        "Location": release.location,
        "Agency": text.agency,
    }
    if lang != corpus.default_language:
        meta["Translation"] = "true"
    return meta


def write_pelican(corpus: Corpus, out: Path) -> None:
    """pelicanconf.py, content/<section>/<key>.<lang>.md with Markdown metadata, content/images/."""
    write(out / "pelicanconf.py", pelican_config(corpus))
    for release, lang, text in texts(corpus):
        meta = pelican_metadata(corpus, release, lang, text)
        head = "".join(f"{key}: {value}\n" for key, value in meta.items())
        write(article_path(out / "content", release, lang), f"{head}\n{text.body}")
    write_images(out / "content" / "images", corpus)


WRITERS: dict[str, Callable[[Corpus, Path], None]] = {
    "sitegen": write_sitegen,
    "hugo": write_hugo,
    "pelican": write_pelican,
}
