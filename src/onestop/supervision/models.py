"""Models of onestop.supervision (built by issue 6)."""
