import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Every test gets an empty PRIVATE_MEDIA_ROOT of its own."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def stored_files(private_root):
    """stored_files() -> every file under PRIVATE_MEDIA_ROOT, staged or published."""

    def files():
        return sorted(p for p in private_root.rglob("*") if p.is_file())

    return files
