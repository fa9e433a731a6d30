"""Institution pages: the public directory (public), the enterprise's own
institution under /institutions/mine/ (mine) and the service center's
onboarding review (review)."""
