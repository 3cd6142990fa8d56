import io
import zipfile

import pytest

from documents.uploads import sniff


def office(folder):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(f"{folder}/document.xml", "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "ole"),
        (office("word"), "docx"),
        (office("xl"), "xlsx"),
        (b"PK\x03\x04 not a zip", None),
        (b"just text named .pdf", None),
    ],
)
def test_sniff_reads_the_bytes_and_rewinds(data, kind):
    handle = io.BytesIO(data)
    handle.read(3)
    assert sniff(handle) == kind
    assert handle.tell() == 0


def test_a_zip_announcing_too_many_entries_is_not_an_office_file():
    data = bytearray(office("word"))
    at = data.rfind(b"PK\x05\x06")
    data[at + 10 : at + 12] = (10_001).to_bytes(2, "little")  # claims 10,001 entries
    assert sniff(io.BytesIO(bytes(data))) is None
    data[at + 10 : at + 12] = (0xFFFF).to_bytes(2, "little")  # ZIP64 marker
    assert sniff(io.BytesIO(bytes(data))) is None


def test_a_truncated_zip_is_not_an_office_file():
    data = office("xl")
    assert sniff(io.BytesIO(data[: len(data) - 30])) is None
