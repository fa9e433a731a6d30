import io

import pytest

from onestop.documents.inspection import CHUNK, active_pdf_names, sniff
from onestop.documents.models import MediaType


@pytest.mark.parametrize("offset", [-11, -6, -1, 0, 1])
def test_a_pdf_name_across_a_chunk_boundary_is_found(offset):
    before = b"%PDF-1.7\n" + b"x" * (CHUNK + offset - 9)
    data = before + b"/JavaScript (alert)"

    assert active_pdf_names(io.BytesIO(data)) == {b"JavaScript"}


def test_names_that_only_start_like_an_active_one_pass():
    data = b"%PDF-1.7 /JSON /JavaScriptish /AAA /Launcher /js /javascript"

    assert active_pdf_names(io.BytesIO(data)) == set()


def test_escaped_names_are_decoded():
    assert active_pdf_names(io.BytesIO(b"/#4A#53 1 0 R")) == {b"JS"}


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.4", MediaType.PDF),
        (b"\xff\xd8\xff\xe1", MediaType.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00", MediaType.PNG),
        (b" %PDF-1.4", None),
        (b"\x89PNG\r\n", None),
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_the_type_is_decided_by_the_first_bytes(head, expected):
    assert sniff(head) == expected
