"""Demand pages: the user's and the institution's side (public) and the
staff's workbench side (manage)."""
