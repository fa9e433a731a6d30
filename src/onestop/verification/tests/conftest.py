import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onestop.core import crypto

VALID_ID = "11010519491231002X"
VALID_USCC = "91320281MA1X2Y3W4B"
OTHER_USCC = "91450200MA5K6L7N8N"


def png(name: str = "scan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def individual(make_user, regions):
    return make_user(
        "individual",
        "450202",
        kind="individual",
        mobile="13800138001",
        mobile_index=crypto.blind_index("13800138001", purpose="mobile"),
    )


@pytest.fixture
def enterprise_user(make_user, regions):
    return make_user(
        "enterprise",
        "320281",
        kind="enterprise",
        mobile="13800138002",
        mobile_index=crypto.blind_index("13800138002", purpose="mobile"),
    )


@pytest.fixture
def reviewer(make_user, regions):
    return make_user("center_staff", "450200", kind="staff")


@pytest.fixture
def reviewer_wx(make_user, regions):
    return make_user("center_staff", "320200", kind="staff")
