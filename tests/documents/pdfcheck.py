"""Look into generated PDFs with poppler-utils and pypdf (what a reader's viewer sees)."""

import io
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def _with_file(pdf: bytes, *command: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            [*command, str(path), "-"] if command[0] == "pdftotext" else [*command, str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def text(pdf: bytes) -> str:
    """Extracted text (pdftotext), with line breaks and spaces removed."""
    return "".join(_with_file(pdf, "pdftotext").split())


def fonts(pdf: bytes) -> list[dict]:
    """pdffonts rows: name, type, emb, sub, uni."""
    lines = _with_file(pdf, "pdffonts").splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object-id gen
        rows.append(
            {
                "name": parts[0],
                "type": " ".join(parts[1:-6]),
                "emb": parts[-5],
                "sub": parts[-4],
                "uni": parts[-3],
            }
        )
    return rows


def family(font_name: str) -> str:
    """ABCDEF+SX-FangSong -> SX-FangSong (subset tag and trailing punctuation dropped)."""
    return font_name.split("+", 1)[-1].rstrip(",")


def word_boxes(pdf: bytes, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) in points from the top-left corner (pdftotext -bbox)."""
    import re

    html = _with_file(pdf, "pdftotext", "-bbox", "-f", str(page), "-l", str(page))
    return [
        (float(a), float(b), float(c), float(d), word)
        for a, b, c, d, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]


def page_png(pdf: bytes, page: int = 1, dpi: int = 40):
    """Page rendered to an RGB Pillow image (pdftoppm)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        png = subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
            check=True,
            capture_output=True,
        ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def embedded_font_files(pdf: bytes) -> dict[str, str]:
    """Embedded font program per font (pypdf): name -> FontFile / FontFile2 / FontFile3."""
    found = {}
    for page in reader(pdf).pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                kinds = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
                found[str(descendant["/BaseFont"])] = kinds[0] if kinds else ""
    return found
