"""A system administrator and a service-center staff member, both past
their second factor, and the private upload directory in a temporary place."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def admin(regions, make_user):
    return make_user("sysadmin")


@pytest.fixture
def staff(regions, make_user):
    return make_user("center_staff", "450200")
