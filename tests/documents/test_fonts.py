"""The shipped fonts: present, licensed, small, complete, embedded as subsets, no system fonts."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont

from documents import fonts
from documents.pdf import DocumentRenderError, render_official_document, render_pdf
from tests.documents import pdfcheck

TEMPLATES = Path(__file__).parent / "templates"
SX_FAMILIES = {"SX-Serif-Bold", "SX-FangSong", "SX-Hei", "SX-Kai"}


@pytest.fixture
def test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]


def gb2312_hanzi():
    chars = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def test_shipped_fonts_are_small_licensed_and_cover_gb2312():
    files = [fonts.SHIPPED_DIR / role.shipped for role in fonts.ROLES]
    sizes = [path.stat().st_size for path in files]
    assert all(size < 4 * 1024 * 1024 for size in sizes), sizes
    assert sum(sizes) < 15 * 1024 * 1024
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts.SHIPPED_DIR / "OFL-NotoCJK.txt").read_text(
        encoding="utf-8"
    )
    assert "Reserved Font Names '霞鹜' and 'LXGW'" in (
        fonts.SHIPPED_DIR / "OFL-LXGWWenKai.txt"
    ).read_text(encoding="utf-8")
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    needed = hanzi | set("〔〕《》「」『』【】（）、。，：；！？“”‘’—…·") | set("0123456789ABCxyz")
    for path in files:
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        missing = [char for char in needed if ord(char) not in cmap]
        assert missing == [], (path.name, missing[:20])
        # Renamed: a subset must not carry a Reserved Font Name (OFL §3).
        assert font["name"].getDebugName(1).startswith("SX ")
        assert "LXGW" not in font["name"].getDebugName(4)


def test_font_face_rules_point_to_unpacked_copies_of_the_shipped_files(settings, tmp_path):
    settings.DOCUMENT_FONT_CACHE_DIR = str(tmp_path / "cache")
    css = fonts.font_face_css()
    for family in ("SX Serif Bold", "SX FangSong", "SX Hei", "SX Kai"):
        assert f"font-family: '{family}'" in css
    for role in fonts.ROLES:
        unpacked = fonts.renderable_file(role.key)
        assert unpacked.parent == tmp_path / "cache"
        assert unpacked.as_uri() in css
        assert unpacked.suffix in (".otf", ".ttf")
        shipped = TTFont(fonts.SHIPPED_DIR / role.shipped)
        copy = TTFont(unpacked)
        assert copy.flavor is None
        assert copy.getBestCmap() == shipped.getBestCmap()
        assert copy.getGlyphOrder() == shipped.getGlyphOrder()
    # Unpacked once: a second call reuses the file.
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    fonts.font_face_css()
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == before


@pytest.mark.django_db
def test_pdf_embeds_only_the_shipped_subset_fonts_with_unicode_maps(test_templates):
    pdf = render_official_document(
        "documents_test/sample.html",
        {"extra": "晋科发〔2026〕12号"},
        title="测试文件标题",
        number="晋科发〔2026〕12号",
    )
    rows = pdfcheck.fonts(pdf)
    assert {pdfcheck.family(row["name"]) for row in rows} == SX_FAMILIES
    for row in rows:
        # Embedded, subset (ABCDEF+ tag), with a ToUnicode map (so text can be copied).
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
        assert "+" in row["name"]
    assert all(kind for kind in pdfcheck.embedded_font_files(pdf).values())

    text = pdfcheck.text(pdf)
    for expected in (
        "山西省科学技术厅文件",
        "晋科发〔2026〕12号",
        "测试文件标题",
        "太原市科学技术局，山西示范科技有限公司：",
        "《山西省技术创新中心管理办法（试行）》第九条",
        "一、黑体标题",
        "（一）楷体标题",
        "正文仿宋体「测试」——ABC123",
    ):
        assert expected in text
    assert "\ufffd" not in text

    page = pdfcheck.page_png(pdf)
    pixels = list(page.get_flattened_data())
    dark = sum(1 for r, g, b in pixels if r + g + b < 300)
    red = sum(1 for r, g, b in pixels if r > 180 and g < 90 and b < 90)
    assert dark > 500, "page 1 is blank"
    assert red > 200, "no red issuing-authority mark"


@pytest.mark.django_db
def test_glyphs_are_drawn_not_boxes(test_templates):
    """Two different characters render differently; a box (.notdef) would look the same."""
    images = {}
    for char in ("山", "水", "\ue000"):  # U+E000: private use, in no font -> a box
        pdf = render_pdf("documents_test/glyph.html", {"family": "SX FangSong", "char": char})
        images[char] = pdfcheck.page_png(pdf, dpi=30).tobytes()
    assert images["山"] != images["水"]
    assert images["山"] != images["\ue000"]
    assert images["水"] != images["\ue000"]


@pytest.mark.django_db
def test_deployment_font_directory_overrides_a_role(settings, tmp_path, test_templates):
    licensed = tmp_path / "licensed"
    licensed.mkdir()
    # Stand-in for a licensed 仿宋_GB2312 file: any font file with a known name.
    shutil.copy(fonts.SHIPPED_DIR / "sx-kai-regular.woff", licensed / "仿宋_GB2312.woff")
    settings.DOCUMENT_FONT_DIR = str(licensed)

    assert fonts.font_file("fangsong") == (licensed / "仿宋_GB2312.woff").resolve()
    assert fonts.font_file("serif_bold") == fonts.SHIPPED_DIR / "sx-serif-bold.woff2"
    pdf = render_official_document("documents_test/sample.html", {}, title="覆盖字体")
    body = next(r for r in pdfcheck.fonts(pdf) if pdfcheck.family(r["name"]) == "SX-FangSong")
    assert body["type"] == "CID TrueType"  # the override (TrueType outlines), not the CFF default
    assert body["emb"] == "yes"

    settings.DOCUMENT_FONT_DIR = str(tmp_path / "nowhere")
    with pytest.raises(ImproperlyConfigured):
        fonts.font_file("fangsong")


@pytest.mark.django_db
@pytest.mark.parametrize("src", ["http://127.0.0.1:9/x.png", "file:///etc/passwd"])
def test_renderer_fetches_nothing_outside_the_static_directories(test_templates, src):
    with pytest.raises(DocumentRenderError) as raised:
        render_pdf("documents_test/remote.html", {"src": src})
    assert src.rsplit("/", 1)[-1] in str(raised.value)


SCRIPT = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
sys.path.insert(0, {root!r})
django.setup()
from documents.pdf import render_official_document
sys.stdout.buffer.write(render_official_document("documents/official_base.html", {{}}, title="无系统字体的测试", number="晋科发〔2026〕3号"))
"""


def test_renders_on_a_machine_without_system_fonts(tmp_path):
    """fontconfig with no font directories at all: the document still gets every glyph."""
    from django.conf import settings

    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONWARNINGS": "ignore"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(root=str(settings.BASE_DIR))],
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
    pdf = result.stdout
    assert pdf.startswith(b"%PDF")
    assert {pdfcheck.family(r["name"]) for r in pdfcheck.fonts(pdf)} <= SX_FAMILIES
    assert "山西省科学技术厅文件晋科发〔2026〕3号无系统字体的测试" in pdfcheck.text(pdf)


@pytest.mark.django_db
def test_characters_outside_the_fonts_are_reported(test_templates, caplog):
    caplog.set_level("WARNING", logger="documents.pdf")
    render_pdf("documents_test/glyph.html", {"family": "SX FangSong", "char": "山𠀀"})
    assert "𠀀" in caplog.text
    assert "山" not in caplog.text.split(":")[-1]
    assert fonts.missing_characters("山西省晋科发〔2026〕12号《》「」—") == []
