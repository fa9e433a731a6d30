"""Writes of onestop.summaries: the improvement plan (plans) and the annual
summary's generation and publication (generation)."""

from onestop.summaries.services.generation import (
    STALE_AFTER,
    SummaryRunning,
    summary_file_open,
    summary_generate,
    summary_publish,
    summary_request,
)
from onestop.summaries.services.plans import (
    PlanPublished,
    improvement_item_add,
    improvement_item_complete,
    improvement_item_move,
    improvement_item_recheck,
    improvement_item_remove,
    improvement_item_reopen,
    improvement_item_start,
    improvement_item_update,
)

__all__ = [
    "STALE_AFTER",
    "PlanPublished",
    "SummaryRunning",
    "improvement_item_add",
    "improvement_item_complete",
    "improvement_item_move",
    "improvement_item_recheck",
    "improvement_item_remove",
    "improvement_item_reopen",
    "improvement_item_start",
    "improvement_item_update",
    "summary_file_open",
    "summary_generate",
    "summary_publish",
    "summary_request",
]
