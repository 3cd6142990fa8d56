"""The fonts of generated documents.

The project ships subset open-licence CJK fonts (documents/static/documents/fonts/,
built by scripts/build_fonts.py), so PDFs never depend on system fonts. The
CSS font-family names below are the contract other apps use in their templates:

    "SX Serif Bold"  issuing-authority mark and title (小标宋 style)
    "SX FangSong"    body text (仿宋 style; the open default is a Song/Ming serif)
    "SX Hei"         first-level headings (黑体), weights 400 and 700
    "SX Kai"         second-level headings (楷体)

A deployment holding licensed fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312)
sets DOCUMENT_FONT_DIR (setting or environment variable) to a directory that
contains them; a file there whose name (without extension, case-insensitive)
is one of a role's ``override_names`` replaces the shipped face for that role.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import pdf_process

logger = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).resolve().parent / "static" / "documents" / "fonts"
FONT_SUFFIXES = (".otf", ".ttf", ".woff2", ".woff", ".OTF", ".TTF")


@dataclass(frozen=True)
class FontRole:
    key: str
    family: str
    weights: tuple[int, ...]
    shipped: str
    override_names: tuple[str, ...]


ROLES: tuple[FontRole, ...] = (
    FontRole(
        key="serif_bold",
        family="SX Serif Bold",
        # The face is bold by design: declared for both weights so that nothing
        # is synthesised on top of it.
        weights=(400, 700),
        shipped="sx-serif-bold.woff2",
        override_names=(
            "serif-bold",
            "xiaobiaosong",
            "FZXBSJW",
            "FZXBSK",
            "FZXiaoBiaoSong-B05S",
            "FZXiaoBiaoSong-B05",
            "方正小标宋简体",
            "方正小标宋_GBK",
        ),
    ),
    FontRole(
        key="fangsong",
        family="SX FangSong",
        weights=(400,),
        shipped="sx-serif-regular.woff2",
        override_names=(
            "fangsong",
            "FangSong_GB2312",
            "仿宋_GB2312",
            "FZFSJW",
            "FZFSK",
            "方正仿宋简体",
            "方正仿宋_GBK",
            "simfang",
        ),
    ),
    FontRole(
        key="hei",
        family="SX Hei",
        weights=(400,),
        shipped="sx-sans-regular.woff2",
        override_names=("hei", "simhei", "SimHei", "黑体", "FZHTJW", "FZHTK", "方正黑体简体"),
    ),
    FontRole(
        key="hei_bold",
        family="SX Hei",
        weights=(700,),
        shipped="sx-sans-bold.woff2",
        override_names=("hei-bold",),
    ),
    FontRole(
        key="kai",
        family="SX Kai",
        weights=(400,),
        shipped="sx-kai-regular.woff",
        override_names=(
            "kai",
            "KaiTi_GB2312",
            "楷体_GB2312",
            "simkai",
            "KaiTi",
            "FZKTJW",
            "FZKTK",
            "方正楷体简体",
        ),
    ),
)
ROLES_BY_KEY = {role.key: role for role in ROLES}


def override_dir() -> Path | None:
    """The deployment's directory of licensed fonts, if configured."""
    value = getattr(settings, "DOCUMENT_FONT_DIR", None) or os.environ.get("DOCUMENT_FONT_DIR")
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise ImproperlyConfigured(f"DOCUMENT_FONT_DIR {path} is not a directory.")
    return path


def _override_for(role: FontRole, directory: Path) -> Path | None:
    wanted = {name.casefold() for name in role.override_names}
    candidates = sorted(
        entry
        for entry in directory.iterdir()
        if entry.is_file() and entry.suffix in FONT_SUFFIXES and entry.stem.casefold() in wanted
    )
    return candidates[0] if candidates else None


def font_file(role_key: str) -> Path:
    """The font file used for a role: the deployment's override, else the shipped subset."""
    role = ROLES_BY_KEY[role_key]
    directory = override_dir()
    if directory is not None:
        found = _override_for(role, directory)
        if found is not None:
            return found.resolve()
    path = SHIPPED_DIR / role.shipped
    if not path.is_file():
        raise ImproperlyConfigured(
            f"Shipped font {path} is missing; run scripts/build_fonts.py to regenerate it."
        )
    return path


def cache_dir() -> Path:
    """Where unpacked copies of WOFF/WOFF2 fonts are kept (see ``renderable_file``)."""
    configured = getattr(settings, "DOCUMENT_FONT_CACHE_DIR", None)
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", tempfile.gettempdir())) / "cache" / "document-fonts"


@lru_cache(maxsize=32)
def _renderable(path: str, mtime: float, directory: str) -> Path:
    try:
        # in a child process: fontTools holds some 60 MB while it decompresses a WOFF2 face
        return pdf_process.unpack(Path(path), Path(directory))
    except (OSError, pdf_process.DocumentRenderError) as error:
        logger.warning("Cannot cache an unpacked copy of %s (%s); using it packed.", path, error)
        return Path(path)


def renderable_file(role_key: str) -> Path:
    """The role's font as WeasyPrint loads it fastest: WOFF/WOFF2 unpacked once to OTF/TTF.

    WeasyPrint unpacks a WOFF2 font on every document (about 2 s for the five faces);
    an unpacked copy in the cache directory renders a notice in a fraction of that.
    """
    path = font_file(role_key)
    if path.suffix.lower() not in (".woff", ".woff2"):
        return path
    return _renderable(str(path), path.stat().st_mtime, str(cache_dir()))


def font_faces() -> list[dict]:
    """One entry per @font-face rule: family, weight and the absolute file URI."""
    faces = []
    for role in ROLES:
        uri = renderable_file(role.key).as_uri()
        for weight in role.weights:
            faces.append({"family": role.family, "weight": weight, "uri": uri, "role": role.key})
    return faces


def font_face_css() -> str:
    rules = [
        "@font-face {{ font-family: '{family}'; font-style: normal; font-weight: {weight}; "
        "src: url('{uri}'); }}".format(**face)
        for face in font_faces()
    ]
    return "\n".join(rules)


@lru_cache(maxsize=16)
def _codepoints(path: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


def covered_codepoints(role_key: str) -> frozenset[int]:
    path = font_file(role_key)
    return _codepoints(str(path), path.stat().st_mtime)


def missing_characters(text: str, role_key: str = "fangsong") -> list[str]:
    """Characters of ``text`` the role's font cannot draw (sorted, unique)."""
    covered = covered_codepoints(role_key)
    return sorted(
        {
            char
            for char in text
            if not char.isspace() and ord(char) > 0x1F and ord(char) not in covered
        }
    )
