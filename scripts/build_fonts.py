#!/usr/bin/env python
"""Regenerate the subset CJK fonts shipped in documents/static/documents/fonts/.

The official documents (GB/T 9704-2012 layout) must render on a machine with no
system fonts, so the project ships its own fonts: open-licence (SIL OFL 1.1)
faces, subset to what an official document needs and renamed (the OFL forbids
a modified font — a subset is one — to keep a Reserved Font Name).

Sources (Debian packages; install them, or pass --source-dir with the files):

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai

    ===================  =========================================  ==========================
    shipped file         source file (Debian path)                  role (CSS family)
    ===================  =========================================  ==========================
    sx-serif-bold        NotoSerifCJK-Bold.ttc, face "…CJK SC"      "SX Serif Bold" (小标宋 style)
    sx-serif-regular     NotoSerifCJK-Regular.ttc, face "…CJK SC"   "SX FangSong" (body)
    sx-sans-regular      NotoSansCJK-Regular.ttc, face "…CJK SC"    "SX Hei" 400 (黑体)
    sx-sans-bold         NotoSansCJK-Bold.ttc, face "…CJK SC"       "SX Hei" 700
    sx-kai-regular       LXGWWenKai-Regular.ttf                     "SX Kai" (楷体)
    ===================  =========================================  ==========================

No open-licence 仿宋 (FangSong) face covering simplified Chinese exists in the
registries we can use (Debian's fonts-cwtex-fs lacks about 2,400 GB 2312
characters), so the body face "SX FangSong" is Noto Serif CJK SC Regular by
default. A deployment with licensed 方正小标宋 / 仿宋_GB2312 files drops them
into DOCUMENT_FONT_DIR (see documents/fonts.py); nothing needs rebuilding.

CFF-outline faces are written as WOFF2, TrueType-outline ones (LXGW WenKai)
as WOFF: WeasyPrint unpacks WOFF2 glyf tables in pure Python (~25 s a document).

Character set: GB 2312 in full (symbols, level-1 and level-2 hanzi: 7,445
characters), printable ASCII, Latin-1, general punctuation, CJK symbols and
punctuation (including 〔〕), full-width forms, plus extra_chars.txt (common
name characters outside GB 2312).

Usage:
    .venv/bin/python scripts/build_fonts.py [--source-dir DIR] [--out DIR]

Needs fontTools and brotli (both come with WeasyPrint's fonttools[woff]).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "documents" / "static" / "documents" / "fonts"

SEARCH_DIRS = [
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/lxgw-wenkai"),
]

# shipped name -> (source file, face name inside a collection, new family, new style)
FONTS = {
    "sx-serif-bold": ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "SX Serif SC", "Bold"),
    "sx-serif-regular": (
        "NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
        "SX Serif SC",
        "Regular",
    ),
    "sx-sans-regular": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "SX Sans SC", "Regular"),
    "sx-sans-bold": ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "SX Sans SC", "Bold"),
    "sx-kai-regular": ("LXGWWenKai-Regular.ttf", None, "SX Kai SC", "Regular"),
}

LICENCE_NOTES = {
    "SX Serif SC": "Subset of Noto Serif CJK SC (Debian fonts-noto-cjk), "
    "with Reserved Font Name 'Source'.",
    "SX Sans SC": "Subset of Noto Sans CJK SC (Debian fonts-noto-cjk), "
    "with Reserved Font Name 'Source'.",
    "SX Kai SC": "Subset of LXGW WenKai (Debian fonts-lxgw-wenkai), "
    "with Reserved Font Names '霞鹜' and 'LXGW'.",
}


def gb2312_characters() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def ranges(*pairs: tuple[int, int]) -> set[str]:
    return {chr(cp) for start, end in pairs for cp in range(start, end + 1)}


def character_set() -> set[str]:
    chars = gb2312_characters()
    chars |= ranges(
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 supplement (·, ×, °, …)
        (0x2010, 0x2027),  # dashes, quotes, ellipsis
        (0x2030, 0x203B),  # ‰ ′ ″ ※
        (0x2160, 0x216B),  # Roman numerals
        (0x2460, 0x2473),  # ① … ⑳
        (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〈〉《》「」『』【】〔〕〖〗
        (0xFF01, 0xFF5E),  # full-width forms
        (0xFFE0, 0xFFE5),  # full-width signs ￥
    )
    extra = OUT_DIR / "extra_chars.txt"
    for line in extra.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            chars |= set(line.strip())
    return chars


def find_source(filename: str, source_dirs: list[Path]) -> Path:
    for directory in source_dirs:
        candidate = directory / filename
        if candidate.exists():
            return candidate
    sys.exit(
        f"Source font {filename} not found in {', '.join(map(str, source_dirs))}.\n"
        "Install the Debian packages fonts-noto-cjk and fonts-lxgw-wenkai, "
        "or pass --source-dir with the files."
    )


def load_face(path: Path, face: str | None, lazy: bool = False) -> TTFont:
    if path.suffix.lower() in (".ttc", ".otc"):
        for font in TTCollection(path, lazy=lazy).fonts:
            if font["name"].getDebugName(1) == face:
                return font
        sys.exit(f"No face {face!r} in {path}")
    return TTFont(path, lazy=lazy)


def rename(font: TTFont, family: str, style: str) -> None:
    """Give the subset its own names (OFL: no Reserved Font Name on a modified font)."""
    full = f"{family} {style}"
    postscript = f"{family.replace(' ', '')}-{style}"
    name_table = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, vendor, designer, licence
    name_table.names = [record for record in name_table.names if record.nameID in keep]
    for name_id, value in (
        (1, family),
        (2, style),
        (3, f"{postscript};subset"),
        (4, full),
        (5, "Version 1.0; subset for official documents"),
        (6, postscript),
    ):
        name_table.setName(value, name_id, 3, 1, 0x409)
        name_table.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = full
        top.FamilyName = family
        for private_font in getattr(top, "FDArray", []) or []:
            if hasattr(private_font, "FontName"):
                private_font.FontName = f"{postscript}-{private_font.FontName.split('-')[-1]}"


def build(name: str, source: Path, face: str | None, family: str, style: str, out_dir: Path):
    font = load_face(source, face)
    copyright_notice = font["name"].getDebugName(0) or ""
    # CFF outlines ship as WOFF2 (plain Brotli, quick to unpack); TrueType outlines
    # as WOFF: unpacking a WOFF2 glyf table takes WeasyPrint ~25 s per document.
    flavor = "woff2" if "CFF " in font else "woff"
    options = subset.Options()
    options.flavor = flavor
    options.hinting = False
    options.desubroutinize = False
    options.layout_features = ["kern", "liga", "locl", "palt", "halt", "ccmp", "pwid", "fwid"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.drop_tables += ["vhea", "vmtx", "VORG", "DSIG"]
    chars = character_set()
    cmap = font.getBestCmap()
    missing = sorted(c for c in chars if ord(c) not in cmap and c.isprintable() and c != " ")
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    rename(font, family, style)
    target = out_dir / f"{name}.{flavor}"
    font.flavor = flavor
    font.save(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
    print(
        f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
        f"{target.stat().st_size / 1024 / 1024:.2f} MB, sha256 {digest}…, "
        f"{len(missing)} requested characters not in the source"
    )
    return copyright_notice


OFL_TEXT = """\
This Font Software is licensed under the SIL Open Font License, Version 1.1.
This license is copied below, and is also available with a FAQ at:
https://openfontlicense.org


-----------------------------------------------------------
SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007
-----------------------------------------------------------

PREAMBLE
The goals of the Open Font License (OFL) are to stimulate worldwide
development of collaborative font projects, to support the font creation
efforts of academic and linguistic communities, and to provide a free and
open framework in which fonts may be shared and improved in partnership
with others.

The OFL allows the licensed fonts to be used, studied, modified and
redistributed freely as long as they are not sold by themselves. The
fonts, including any derivative works, can be bundled, embedded,
redistributed and/or sold with any software provided that any reserved
names are not used by derivative works. The fonts and derivatives,
however, cannot be released under any other type of license. The
requirement for fonts to remain under this license does not apply
to any document created using the fonts or their derivatives.

DEFINITIONS
"Font Software" refers to the set of files released by the Copyright
Holder(s) under this license and clearly marked as such. This may
include source files, build scripts and documentation.

"Reserved Font Name" refers to any names specified as such after the
copyright statement(s).

"Original Version" refers to the collection of Font Software components as
distributed by the Copyright Holder(s).

"Modified Version" refers to any derivative made by adding to, deleting,
or substituting -- in part or in whole -- any of the components of the
Original Version, by changing formats or by porting the Font Software to a
new environment.

"Author" refers to any designer, engineer, programmer, technical
writer or other person who contributed to the Font Software.

PERMISSION & CONDITIONS
Permission is hereby granted, free of charge, to any person obtaining
a copy of the Font Software, to use, study, copy, merge, embed, modify,
redistribute, and sell modified and unmodified copies of the Font
Software, subject to the following conditions:

1) Neither the Font Software nor any of its individual components,
in Original or Modified Versions, may be sold by itself.

2) Original or Modified Versions of the Font Software may be bundled,
redistributed and/or sold with any software, provided that each copy
contains the above copyright notice and this license. These can be
included either as stand-alone text files, human-readable headers or
in the appropriate machine-readable metadata fields within text or
binary files as long as those fields can be easily viewed by the user.

3) No Modified Version of the Font Software may use the Reserved Font
Name(s) unless explicit written permission is granted by the corresponding
Copyright Holder. This restriction only applies to the primary font name as
presented to the users.

4) The name(s) of the Copyright Holder(s) and the Author(s) of the Font
Software shall not be used to promote, endorse or advertise any
Modified Version, except to acknowledge the contribution(s) of the
Copyright Holder(s) and the Author(s) or with their explicit written
permission.

5) The Font Software, modified or unmodified, in part or in whole,
must be distributed entirely under this license, and must not be
distributed under any other license. The requirement for fonts to
remain under this license does not apply to any document created
using the Font Software.

TERMINATION
This license becomes null and void if any of the above conditions are
not met.

DISCLAIMER
THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT
OF COPYRIGHT, PATENT, TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL THE
COPYRIGHT HOLDER BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
INCLUDING ANY GENERAL, SPECIAL, INDIRECT, INCIDENTAL OR CONSEQUENTIAL
DAMAGES, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
FROM, OUT OF THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM
OTHER DEALINGS IN THE FONT SOFTWARE.
"""

LICENCE_FILES = {
    "OFL-NotoCJK.txt": ("SX Serif SC", "SX Sans SC"),
    "OFL-LXGWWenKai.txt": ("SX Kai SC",),
}


def write_licences(out_dir: Path, copyrights: dict[str, str]) -> None:
    for filename, families in LICENCE_FILES.items():
        header = "\n\n".join(
            f"{family}: {LICENCE_NOTES[family]}\n{copyrights.get(family, '').strip()}\n"
            "Modified (subset, renamed) for this project by scripts/build_fonts.py."
            for family in families
        )
        (out_dir / filename).write_text(header + "\n\n" + OFL_TEXT, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", action="append", type=Path, default=[])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--only", action="append", choices=sorted(FONTS), default=[])
    args = parser.parse_args(argv)
    source_dirs = args.source_dir + SEARCH_DIRS
    args.out.mkdir(parents=True, exist_ok=True)
    copyrights = {}
    for name, (filename, face, family, style) in FONTS.items():
        source = find_source(filename, source_dirs)
        if args.only and name not in args.only:
            copyrights[family] = load_face(source, face, lazy=True)["name"].getDebugName(0) or ""
            continue
        copyrights[family] = build(name, source, face, family, style, args.out)
    write_licences(args.out, copyrights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
