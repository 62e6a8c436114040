"""Deterministic bilingual press-release corpus for the build benchmarks.

    python benchmarks/corpus.py --n 1000 --out DIR [--format sitegen|hugo|pelican] [--seed 1]
                                [--terms many|few] [--defaults]

One model (`generate`) and three writers (`writers.py`). Release i is drawn from
its own seeded `random.Random`, newest first, so the corpus for N=1000 is the
newest 1,000 releases of the corpus for N=10,000, and a corpus depends only on
(n, seed), not on the format it is written in.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import vocab

JAKARTA = timezone(timedelta(hours=7), "WIB")
NEWEST = datetime(2026, 10, 31, 16, 30, tzinfo=JAKARTA)
IMAGES: tuple[str, ...] = tuple(f"kegiatan-{i:02d}.jpg" for i in range(1, 25))
BASE_URL = "https://humas.example.go.id/"


# --- the model -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """One language version of a release."""

    title: str
    summary: str
    body: str
    agency: str
    tags: tuple[str, ...]
    category: str | None


@dataclass(frozen=True, slots=True)
class Release:
    key: str
    section: str
    date: datetime
    author: str
    location: str
    texts: dict[str, Text]  # language -> text; every release exists in every language


@dataclass(frozen=True, slots=True)
class Corpus:
    releases: tuple[Release, ...]  # newest first
    languages: tuple[str, ...] = vocab.LANGS
    default_language: str = "id"
    base_url: str = BASE_URL
    timezone: str = "Asia/Jakarta"
    paginate: int = 10
    feed_items: int = 20
    images: tuple[str, ...] = IMAGES
    terms: str = "many"  # "many": about 200 tags, 12 categories; "few": 60 tags, 4 categories
    #: False: the like-for-like corpus (``social_cards: false``, as Hugo and Pelican draw no
    #: share pictures); True: sitegen's out-of-the-box settings.
    defaults: bool = False

    def section_name(self, section: str, lang: str) -> str:
        return vocab.SECTIONS[section][lang]

    def category_or_section(self, release: Release, lang: str) -> str:
        """The category sitegen assigns: the explicit one, else the section's name."""
        return release.texts[lang].category or self.section_name(release.section, lang)


# --- body skeletons: structure shared by both languages ---------------------------


@dataclass(frozen=True, slots=True)
class Para:
    sentences: tuple[int, ...]  # words per sentence


@dataclass(frozen=True, slots=True)
class Heading:
    words: int


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Table:
    rows: int
    cols: int


@dataclass(frozen=True, slots=True)
class Quote:
    sentences: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Image:
    name: str
    alt: int  # index into vocab.IMAGE_ALT


Block = Para | Heading | Bullets | Table | Quote | Image


def block_words(block: Block) -> int:
    match block:
        case Para(sentences) | Quote(sentences):
            return sum(sentences)
        case Heading(words):
            return words
        case Bullets(items):
            return sum(items)
        case Table(rows, cols):
            return (rows + 1) * cols
        case Image():
            return 8  # alt text and caption


def sentence_lengths(rng: random.Random, count: int) -> tuple[int, ...]:
    return tuple(rng.randint(8, 22) for _ in range(count))


def optional_blocks(rng: random.Random) -> list[Block]:
    """The features only some releases have: lists, tables, quotes, photos."""
    blocks: list[Block] = []
    if rng.random() < 0.35:
        blocks.append(Bullets(tuple(rng.randint(4, 12) for _ in range(rng.randint(3, 6)))))
    if rng.random() < 0.15:
        blocks.append(Table(rows=rng.randint(3, 7), cols=rng.randint(3, 4)))
    if rng.random() < 0.40:
        blocks.append(Quote(sentence_lengths(rng, rng.randint(1, 2))))
    if rng.random() < 0.35:
        blocks.append(Image(rng.choice(IMAGES), rng.randrange(len(vocab.IMAGE_ALT["id"]))))
    return blocks


def skeleton(rng: random.Random) -> tuple[Block, ...]:
    """A body of 350-600 words: lead paragraphs, then paragraphs mixed with extras."""
    target = rng.randint(355, 590)  # lands in 350-600 counted words
    extras = optional_blocks(rng)
    headings: list[Block] = [Heading(rng.randint(3, 7)) for _ in range(rng.choice((0, 0, 2, 3)))]
    words = sum(block_words(b) for b in extras + headings)
    paras: list[Block] = []
    while words < target:
        sentences = list(sentence_lengths(rng, rng.randint(2, 4)))
        remaining = target - words
        while sum(sentences) > remaining and len(sentences) > 1:
            sentences.pop()
        sentences[-1] = max(5, min(sentences[-1], remaining - sum(sentences[:-1])))
        paras.append(Para(tuple(sentences)))
        words += sum(sentences)
    rest = paras[2:] + extras
    rng.shuffle(rest)
    for heading in headings:  # a heading starts a section, never ends the body
        rest.insert(rng.randrange(len(rest)) if rest else 0, heading)
    return tuple(paras[:2] + rest)


# --- rendering a skeleton in one language -----------------------------------------


def words(rng: random.Random, lang: str, count: int) -> list[str]:
    return rng.choices(vocab.WORDS[lang], k=count)


def sentence(rng: random.Random, lang: str, count: int) -> str:
    ws = words(rng, lang, count)
    if count > 6 and rng.random() < 0.3:
        ws[rng.randrange(2, count)] = rng.choice(vocab.LOCATIONS)
    if count > 8 and rng.random() < 0.08:
        i = rng.randrange(1, count - 2)
        ws[i : i + 2] = [f"**{ws[i]} {ws[i + 1]}**"]
    if count > 8 and rng.random() < 0.05:
        i = rng.randrange(1, count - 2)
        ws[i : i + 2] = [f"[{ws[i]} {ws[i + 1]}]({BASE_URL}ppid/)"]
    text = " ".join(ws)
    return text[0].upper() + text[1:] + "."


def quoted(rng: random.Random, lang: str, count: int) -> str:
    """A quotation whose attribution counts towards its `count` words."""
    said, person = rng.choice(vocab.SPEECH_VERB[lang]), rng.choice(vocab.PEOPLE)
    inner = max(4, count - len(said.split()) - len(person.split()))
    return f"“{sentence(rng, lang, inner)[:-1]},” {said} {person}."


def render_para(rng: random.Random, lang: str, sentences: tuple[int, ...]) -> str:
    return " ".join(
        quoted(rng, lang, n) if rng.random() < 0.15 else sentence(rng, lang, n) for n in sentences
    )


def render_table(rng: random.Random, lang: str, rows: int, cols: int) -> str:
    header = list(vocab.TABLE_HEADERS[lang][:cols])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * cols]
    for _ in range(rows):
        cells = [" ".join(words(rng, lang, 2)).capitalize(), f"{rng.randint(1, 9999):,}".replace(",", ".")]
        cells += [" ".join(words(rng, lang, 1)) for _ in range(cols - 2)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_block(rng: random.Random, lang: str, block: Block) -> str:
    match block:
        case Para(sentences):
            return render_para(rng, lang, sentences)
        case Heading(n):
            return "## " + sentence(rng, lang, n)[:-1]
        case Bullets(items):
            return "\n".join("- " + sentence(rng, lang, n)[:-1] for n in items)
        case Table(rows, cols):
            return render_table(rng, lang, rows, cols)
        case Quote(sentences):
            return "> " + render_para(rng, lang, sentences)
        case Image(name, alt):
            caption = f"*{vocab.IMAGE_CAPTION[lang]}: {rng.choice(vocab.PEOPLE)}*"
            return f"![{vocab.IMAGE_ALT[lang][alt]}](/images/{name})\n{caption}"


def render_body(rng: random.Random, lang: str, blocks: tuple[Block, ...]) -> str:
    return "\n\n".join(render_block(rng, lang, b) for b in blocks) + "\n"


# --- releases --------------------------------------------------------------------


def tag_vocabulary() -> tuple[dict[str, str], ...]:
    """About 200 tags, each as {lang: tag}."""
    topics = tuple(dict(zip(vocab.LANGS, pair, strict=True)) for pair in vocab.TOPIC_TAGS)
    names = tuple({lang: name for lang in vocab.LANGS} for name in vocab.NAME_TAGS)
    return topics + names


TAGS = tag_vocabulary()
# Zipf-like popularity over a fixed shuffle, so a few tags have long, paginated lists.
TAG_ORDER = random.Random("tag-order").sample(range(len(TAGS)), len(TAGS))
TAG_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(TAGS))]
#: How many tags and categories each corpus shape draws from. "many" is the benchmark's
#: first shape; "few" is the shape of an independent newsroom corpus (60 tags, a handful
#: of categories), on which Hugo renders far fewer full-content term feeds.
TERMS: dict[str, tuple[int, int]] = {"many": (len(TAGS), len(vocab.CATEGORIES)), "few": (60, 4)}


def pick_tags(rng: random.Random, vocabulary: int = len(TAGS)) -> list[int]:
    """2-4 distinct tags among the `vocabulary` most popular ones."""
    picked: list[int] = []
    want = rng.randint(2, 4)
    ranks, weights = range(vocabulary), TAG_WEIGHTS[:vocabulary]
    while len(picked) < want:
        tag = TAG_ORDER[rng.choices(ranks, weights)[0]]
        if tag not in picked:
            picked.append(tag)
    return picked


def slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def headline(
    rng: random.Random, date: datetime, agency: tuple[str, str, str], location: str
) -> dict[str, str]:
    verb = rng.choice(vocab.HEADLINE_VERBS)
    topic = rng.choice(vocab.HEADLINE_TOPICS)
    short = agency[2]
    return {
        "id": f"{short} {verb[0]} {topic[0]} {date.year} di {location}",
        "en": f"{short} {verb[1]} {topic[1]} {date.year} in {location}",
    }


def release_rng(seed: int, index: int, part: str = "") -> random.Random:
    return random.Random(f"sitegen-bench:{seed}:{index}:{part}")


def make_release(seed: int, index: int, date: datetime, taken: set[str], terms: str = "many") -> Release:
    tag_count, category_count = TERMS[terms]
    rng = release_rng(seed, index)
    shares = vocab.SECTION_SHARES
    section = rng.choices(list(shares), list(shares.values()))[0]
    agency = rng.choice(vocab.AGENCIES)
    location = rng.choice(vocab.LOCATIONS)
    titles = headline(rng, date, agency, location)
    tags = pick_tags(rng, tag_count)
    category = rng.randrange(category_count) if rng.random() < 0.7 else None
    blocks = skeleton(rng)
    summary_length = rng.randint(18, 30)
    texts = {}
    for li, lang in enumerate(vocab.LANGS):
        text_rng = release_rng(seed, index, lang)
        texts[lang] = Text(
            title=titles[lang],
            summary=sentence(text_rng, lang, summary_length).replace("**", ""),
            body=render_body(text_rng, lang, blocks),
            agency=agency[li],
            tags=tuple(TAGS[t][lang] for t in tags),
            category=None if category is None else vocab.CATEGORIES[category][li],
        )
    key = unique_key(f"{date:%Y%m%d}-{slugify(titles['id'])}", taken)
    return Release(key, section, date, rng.choice(vocab.PEOPLE), location, texts)


def unique_key(key: str, taken: set[str]) -> str:
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        candidate = f"{key}-{n}"
    taken.add(candidate)
    return candidate


def generate(n: int, seed: int = 1, terms: str = "many", defaults: bool = False) -> Corpus:
    """N releases, newest first, one every 1-10 hours going back from NEWEST."""
    releases: list[Release] = []
    taken: set[str] = set()
    date = NEWEST
    for index in range(n):
        releases.append(make_release(seed, index, date, taken, terms))
        date -= timedelta(minutes=release_rng(seed, index, "gap").randint(60, 600))
    return Corpus(tuple(releases), terms=terms, defaults=defaults)


# --- command line ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import writers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of releases (each in id and en)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    parser.add_argument("--format", choices=sorted(writers.WRITERS), default="sitegen")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--terms", choices=sorted(TERMS), default="many",
                        help="many: about 200 tags and 12 categories; few: 60 tags and 4 categories")
    parser.add_argument("--defaults", action="store_true",
                        help="sitegen's out-of-the-box settings (social cards on) instead of like for like")
    args = parser.parse_args(argv)
    try:
        writers.prepare_out(args.out)
    except writers.OutDirError as exc:
        print(f"{args.out}: error: {exc}", file=sys.stderr)
        return 2
    corpus = generate(args.n, args.seed, args.terms, args.defaults)
    writers.WRITERS[args.format](corpus, args.out)
    print(f"wrote {len(corpus.releases)} releases x {len(corpus.languages)} languages "
          f"({args.format}, {args.terms} terms) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
