"""schema.org JSON-LD, Open Graph and Twitter card tags in every page's head."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from sitegen.build import Options, prepare
from sitegen.outputs.pages import entry_outputs
from tests.conftest import NOW, SMALL_CONFIG, article, page, photo_file
from tests.test_feeds import BASE, CONFIG, build, newsroom_files


@pytest.fixture
def newsroom(make_site: Any) -> Path:
    site: Path = make_site(newsroom_files(), CONFIG.replace("paginate: 5", "paginate: 2"))
    assert build(site).code == 0
    return site


def json_ld(doc: html.HtmlElement) -> dict[str, Any]:
    """The page's one JSON-LD block, parsed."""
    blocks = doc.xpath("//script[@type='application/ld+json']")
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0].text)
    assert data["@context"] == "https://schema.org"
    return data


def meta(doc: html.HtmlElement, name: str) -> list[str]:
    return [str(v) for v in doc.xpath("//head/meta[@property=$n or @name=$n]/@content", n=name)]


def test_article_carries_news_article(newsroom: Path) -> None:
    url = f"{BASE}/berita/2024/rapat/"
    data = json_ld(page(newsroom, "/berita/2024/rapat/"))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Rapat Koordinasi Humas"
    assert data["description"] == "Rapat koordinasi humas se-provinsi."
    assert data["datePublished"] == "2024-05-30T10:00:00+07:00"
    assert data["dateModified"] == "2024-05-31T08:00:00+07:00"
    assert data["author"] == [{"@type": "Person", "name": "Budi Santoso"}]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Situs Uji Humas"
    assert data["publisher"]["logo"] == {"@type": "ImageObject", "url": f"{BASE}/images/logo.png"}
    (og,) = (newsroom / "public/images").glob("foto-1200w.*.jpg")  # 1200 wide, metadata-free
    assert data["image"] == [{"@type": "ImageObject", "url": f"{BASE}/images/{og.name}",
                              "contentUrl": f"{BASE}/images/{og.name}", "width": 1200, "height": 750,
                              "description": "Peserta rapat"}]
    assert data["inLanguage"] == "id"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["articleSection"] == "Berita" and data["keywords"] == ["humas", "rapat"]
    # The Indonesian original names its English translation, which names it back.
    assert [w["@id"] for w in data["workTranslation"]] == [f"{BASE}/en/berita/2024/rapat/#article"]
    assert "translationOfWork" not in data
    english = json_ld(page(newsroom, "/en/berita/2024/rapat/"))
    assert english["translationOfWork"]["@id"] == data["@id"] == url + "#article"
    assert english["translationOfWork"]["inLanguage"] == "id"
    assert english["inLanguage"] == "en" and "workTranslation" not in english
    # No author in front matter: the office itself is the author.
    assert english["author"] == [english["publisher"]]
    utc = json_ld(page(newsroom, "/pengumuman/2024/libur/"))  # dated 2024-06-02T01:00Z
    assert utc["datePublished"] == utc["dateModified"] == "2024-06-02T08:00:00+07:00"
    alone = json_ld(page(newsroom, "/berita/2024/khusus/"))
    assert "workTranslation" not in alone and "translationOfWork" not in alone
    assert alone["image"] == [f"{BASE}/berita/2024/khusus/og.png"]  # no photo: its social card


def test_press_contact_documents_and_number_are_in_the_json_ld(make_site: Any) -> None:
    site = make_site({
        "content/siaran-pers/rilis.id.md": article(
            "Rilis Bernomor", release_number="HM.01.02-117",
            contact={"name": "Rina (Humas)", "phone": "+62 751 123", "email": "humas@example.go.id"},
            attachments=[{"path": "/files/rilis-resmi.pdf", "title": "Siaran pers bertanda tangan"}]),
        "content/berita/biasa.id.md": article("Tanpa Kontak Sendiri", slug="biasa"),
        "static/files/rilis-resmi.pdf": b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n",
    }, SMALL_CONFIG + "contact: {name: Subbagian Humas, email: kanwil@example.go.id}\n")
    assert build(site, "--no-search").code == 0
    data = json_ld(page(site, "/siaran-pers/2024/rilis/"))
    assert data["identifier"] == "HM.01.02-117"
    assert data["sourceOrganization"]["contactPoint"] == {
        "@type": "ContactPoint", "contactType": "Kontak media", "name": "Rina (Humas)", "telephone": "+62 751 123",
        "email": "humas@example.go.id"}
    assert data["associatedMedia"] == [{
        "@type": "MediaObject", "name": "Siaran pers bertanda tangan",
        "contentUrl": "https://humas.example.go.id/files/rilis-resmi.pdf", "encodingFormat": "application/pdf",
        "contentSize": f"{(site / 'static/files/rilis-resmi.pdf').stat().st_size} B"}]
    plain = json_ld(page(site, "/berita/2024/biasa/"))  # the office's contact from config.yaml
    assert plain["sourceOrganization"]["contactPoint"]["email"] == "kanwil@example.go.id"
    assert "associatedMedia" not in plain and "identifier" not in plain


def test_the_publisher_logo_is_the_header_emblem_without_a_logo(make_site: Any) -> None:
    site = make_site({"content/berita/a.id.md": article("A"), "static/images/lambang.png": photo_file()},
                     SMALL_CONFIG + "brand: {emblem: /images/lambang.png}\n")
    assert build(site, "--no-search").code == 0
    logo = json_ld(page(site, "/berita/2024/a/"))["publisher"]["logo"]
    assert logo == {"@type": "ImageObject", "url": "https://humas.example.go.id/images/lambang.png"}


def test_open_graph_and_twitter_tags(newsroom: Path) -> None:
    doc = page(newsroom, "/berita/2024/rapat/")
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:title") == ["Rapat Koordinasi Humas"]
    assert meta(doc, "og:description") == ["Rapat koordinasi humas se-provinsi."]
    assert meta(doc, "og:url") == [f"{BASE}/berita/2024/rapat/"]
    assert meta(doc, "og:site_name") == ["Situs Uji Humas"]
    assert meta(doc, "og:locale") == ["id_ID"] and meta(doc, "og:locale:alternate") == ["en_US"]
    (og,) = (newsroom / "public/images").glob("foto-1200w.*.jpg")
    assert meta(doc, "og:image") == [f"{BASE}/images/{og.name}"]
    assert meta(doc, "og:image:width") == ["1200"] and meta(doc, "og:image:height") == ["750"]
    assert meta(doc, "og:image:alt") == ["Peserta rapat"]
    assert meta(doc, "article:published_time") == ["2024-05-30T10:00:00+07:00"]
    assert meta(doc, "article:tag") == ["humas", "rapat"]
    assert meta(doc, "twitter:card") == ["summary_large_image"]
    assert meta(doc, "twitter:image") == [f"{BASE}/images/{og.name}"]
    assert meta(page(newsroom, "/en/berita/2024/rapat/"), "og:locale:alternate") == ["id_ID"]
    alone = page(newsroom, "/berita/2024/khusus/")
    assert meta(alone, "og:locale:alternate") == []
    assert meta(alone, "og:image") == [f"{BASE}/berita/2024/khusus/og.png"]  # its social card
    assert (newsroom / "public/berita/2024/khusus/og.png").is_file()
    assert meta(alone, "twitter:card") == ["summary_large_image"]
    home = page(newsroom, "/en/")
    assert meta(home, "og:type") == ["website"] and meta(home, "og:locale") == ["en_US"]


def test_social_card_hook_supplies_the_shared_picture(newsroom: Path) -> None:
    """When the build draws social cards it registers ``social_card``; a lead photo still wins."""
    prepared = prepare(Options(site_dir=newsroom, now=NOW))
    prepared.renderer.templates.add_globals(social_card=lambda entry: entry.url + "og.png")
    outputs = {o.path: o for o in entry_outputs(prepared.site, prepared.renderer)}
    doc = html.fromstring(outputs["berita/2024/khusus/index.html"].render())
    card = f"{BASE}/berita/2024/khusus/og.png"
    assert meta(doc, "og:image") == meta(doc, "twitter:image") == [card]
    assert meta(doc, "og:image:width") == ["1200"] and meta(doc, "twitter:card") == ["summary_large_image"]
    assert json_ld(doc)["image"] == [card]
    doc = html.fromstring(outputs["berita/2024/rapat/index.html"].render())
    assert meta(doc, "og:image")[0].startswith(f"{BASE}/images/foto-1200w.")
    doc = html.fromstring(outputs["tentang/index.html"].render())  # pages have no card
    assert meta(doc, "og:image") == [f"{BASE}/images/logo.png"]


def test_home_lists_and_pages_get_their_own_types(newsroom: Path) -> None:
    home = json_ld(page(newsroom, "/"))
    assert home["@type"] == "WebSite" and home["url"] == f"{BASE}/"
    assert home["inLanguage"] == "id" and home["publisher"]["@type"] == "Organization"
    assert json_ld(page(newsroom, "/en/"))["url"] == f"{BASE}/en/"
    for url in ("/page/2/", "/berita/", "/berita/page/2/", "/tags/humas/", "/tags/", "/archive/2024/"):
        data = json_ld(page(newsroom, url))
        assert data["@type"] == "CollectionPage", url
        assert data["url"] == BASE + url and data["isPartOf"]["@id"] == f"{BASE}/#website"
    assert json_ld(page(newsroom, "/tentang/"))["@type"] == "WebPage"
    missing = html.fromstring((newsroom / "public/404.html").read_bytes())
    assert missing.xpath("//script[@type='application/ld+json']") == [] and meta(missing, "og:type") == []


def test_quotes_and_script_end_tags_stay_inside_the_json(make_site: Any) -> None:
    title = 'Rilis "Resmi" </script><script>alert(\'x\')</script> & <b>tebal</b>'
    summary = "Ringkasan\u2028dengan pemisah baris dan </SCRIPT > lagi."
    site = make_site({"content/berita/2024-05-30-x.id.md": article(title, summary=summary)})
    assert build(site).code == 0
    raw = (site / "public/berita/2024/x/index.html").read_text("utf-8")
    assert "<script>alert" not in raw
    doc = page(site, "/berita/2024/x/")
    data = json_ld(doc)
    assert data["headline"] == title
    assert data["description"] == summary.replace("\u2028", " ")  # cleaned like every text field
    assert meta(doc, "og:title") == [title] and meta(doc, "twitter:title") == [title]
    assert not doc.xpath("//script[contains(., 'alert')][not(@type='application/ld+json')]")


def test_bundled_site_structured_data(bundled_site: Path) -> None:
    assert build(bundled_site).code == 0
    out = bundled_site / "public"
    articles: dict[str, dict[str, Any]] = {}
    for path in out.rglob("index.html"):
        doc = html.fromstring(path.read_bytes())
        if doc.xpath("//meta[@name='robots'][contains(@content, 'noindex')]"):
            continue
        data = json_ld(doc)
        assert meta(doc, "og:url") == [data["url"]]
        if data["@type"] == "NewsArticle":
            articles[data["@id"]] = data
    assert len(articles) > 5
    for data in articles.values():
        for other in data.get("workTranslation", []):
            assert articles[other["@id"]]["translationOfWork"]["@id"] == data["@id"]
        if "translationOfWork" in data:
            back = articles[data["translationOfWork"]["@id"]]["workTranslation"]
            assert data["@id"] in [w["@id"] for w in back]


def test_an_author_who_is_the_office_is_an_organisation(make_site: Any) -> None:
    site = make_site({
        "content/berita/a.id.md": article("Oleh Kantor", slug="a", author="Subbagian Humas"),
        "content/berita/b.id.md": article("Oleh Orang", slug="b", author="Rina Wati"),
        "content/berita/c.id.md": article("Oleh Situs", slug="c", author="Situs Uji Humas"),
    }, SMALL_CONFIG + "contact: {name: {id: Subbagian Humas, en: Public Relations}}\n")
    assert build(site, "--no-search").code == 0
    assert json_ld(page(site, "/berita/2024/a/"))["author"] == [{"@type": "Organization", "name": "Subbagian Humas"}]
    assert json_ld(page(site, "/berita/2024/b/"))["author"] == [{"@type": "Person", "name": "Rina Wati"}]
    assert json_ld(page(site, "/berita/2024/c/"))["author"] == [{"@type": "Organization", "name": "Situs Uji Humas"}]


def test_an_author_named_as_an_office_or_team_is_an_organisation(make_site: Any) -> None:
    """Staff sign releases as their unit in many ways ("Tim Humas ...", "subbagian humas",
    "Regional Office Public Relations Team"): as an office, not a person, whatever the case
    or spacing; a person's name that only contains such letters stays a person."""
    names = {"a": ("Tim Humas Kantor Wilayah", "Organization"), "b": ("subbagian  HUMAS", "Organization"),
             "c": ("Regional Office Public Relations Team", "Organization"),
             "d": ("Panitia Seleksi Kanwil", "Organization"), "e": ("Tim Berners-Lee", "Person"),
             "f": ("Bagus Officer", "Person"), "g": ("Humaira Siregar", "Person")}
    site = make_site({f"content/berita/{key}.id.md": article(f"Rilis {key}", slug=key, author=name)
                      for key, (name, _kind) in names.items()},
                     SMALL_CONFIG + "contact: {name: {id: Subbagian Humas, en: Public Relations}}\n")
    assert build(site, "--no-search").code == 0
    for key, (name, kind) in names.items():
        shown = " ".join(name.split())  # written with one space between words, as every name is
        assert json_ld(page(site, f"/berita/2024/{key}/"))["author"] == [{"@type": kind, "name": shown}], name


def test_a_release_without_summary_or_paragraph_has_no_empty_description(make_site: Any) -> None:
    """A release of a heading and a list has no summary to give: its JSON-LD says nothing
    rather than an empty description (which validators flag), as its feed items give its
    first words instead."""
    site = make_site({
        "content/berita/daftar.id.md": article("Daftar Peserta", slug="daftar",
                                               body="## Peserta\n\n- Kanwil Sumbar\n- Kanwil Riau\n"),
        "content/berita/biasa.id.md": article("Berita Biasa", slug="biasa", summary="Ringkasan berita."),
    })
    assert build(site, "--no-search").code == 0
    data = json_ld(page(site, "/berita/2024/daftar/"))
    assert data["headline"] == "Daftar Peserta" and "description" not in data
    assert data["datePublished"] == "2024-05-30T10:00:00+07:00"
    plain = json_ld(page(site, "/berita/2024/biasa/"))
    assert plain["description"] == "Ringkasan berita."
    assert list(plain)[list(plain).index("headline") + 1] == "description"  # where it always stood


def test_a_locale_left_out_is_named_with_its_territory_in_open_graph(make_site: Any) -> None:
    """Open Graph names a locale language_TERRITORY; a language whose ``locale:`` is left out
    (the code stands in for it) gave og:locale "id"."""
    config = SMALL_CONFIG.replace("locale: id_ID, ", "").replace("locale: en_US, ", "")
    site = make_site({"content/berita/a.id.md": article("A", translation_key="a"),
                      "content/berita/a.en.md": article("A in English", translation_key="a")}, config)
    assert build(site, "--no-search").code == 0
    doc = page(site, "/berita/2024/a/")
    assert meta(doc, "og:locale") == ["id_ID"] and meta(doc, "og:locale:alternate") == ["en_US"]
    assert meta(page(site, "/en/"), "og:locale") == ["en_US"]


def test_a_release_without_a_picture_has_an_image_in_its_news_article(make_site: Any) -> None:
    """Without a photo and with social_cards: false, the NewsArticle had no image (a property
    its readers expect), though og:image named the logo: both name the office's logo now."""
    site = make_site({"content/berita/a.id.md": article("A"), "static/images/logo.png": photo_file()},
                     SMALL_CONFIG + "social_cards: false\nlogo: /images/logo.png\n")
    assert build(site, "--no-search").code == 0
    doc = page(site, "/berita/2024/a/")
    assert json_ld(doc)["image"] == ["https://humas.example.go.id/images/logo.png"] == meta(doc, "og:image")


def test_a_logo_whose_name_has_a_space_keeps_one_address(make_site: Any) -> None:
    """config.yaml writes the logo as an address (a space as %20): it was encoded again in
    og:image and the feeds' logo (%2520, a missing file), while the header used it as written."""
    site = make_site({"content/berita/a.id.md": article("A"), "static/images/logo kantor.png": photo_file()},
                     SMALL_CONFIG + "social_cards: false\nlogo: /images/logo%20kantor.png\n")
    assert build(site, "--no-search").code == 0
    address = "https://humas.example.go.id/images/logo%20kantor.png"
    assert meta(page(site, "/berita/2024/a/"), "og:image") == [address]
    assert html.fromstring((site / "public/feed.xml").read_bytes()).xpath("//image/url/text()") == [address]
    assert json.loads((site / "public/feed.json").read_text("utf-8"))["icon"] == address
