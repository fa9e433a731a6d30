"""Models of onestop.summaries (built by issue 6)."""
