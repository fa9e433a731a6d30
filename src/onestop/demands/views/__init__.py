"""Demand pages: the user's and the institution's side (public) and the
staff's workbench side under /demands/manage/ (queues, intake, handling,
recommend; what they share is in _common)."""
