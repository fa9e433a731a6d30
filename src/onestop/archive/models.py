"""Models of onestop.archive (built by issue 6)."""
