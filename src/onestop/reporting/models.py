"""Models of onestop.reporting (built by issue 6)."""
