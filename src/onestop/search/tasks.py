from celery import shared_task

from onestop.search import index


@shared_task(name="onestop.search.rebuild_index")  # type: ignore[untyped-decorator]
def rebuild_index() -> dict[str, int]:
    """Rebuild the whole index (after a synonym change; nightly in production,
    so offerings whose qualification expired drop their qualification filter)."""
    return index.rebuild()
