"""Complaint pages, by door: the complainant's, the workbench's, the institution's."""
