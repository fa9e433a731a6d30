"""The roles of the authorisation matrix as the policy names them, alone and
in the groups that share an answer (see policy.py)."""

from __future__ import annotations

VISITOR = frozenset({"visitor"})
INDIVIDUAL = frozenset({"individual"})
OWNER = frozenset({"enterprise_owner"})  # owner of the victim enterprise
MEMBER = frozenset({"enterprise_member"})  # member of the victim enterprise
OTHER_ENTERPRISE = frozenset({"other_enterprise"})
INSTITUTION = frozenset({"institution_staff"})  # owner of the serving institution's enterprise
OTHER_INSTITUTION = frozenset({"other_institution"})
EXPERT = frozenset({"expert"})
STATION = frozenset({"station_staff"})  # staff of the Liuzhou station holding the records
STATION_ELSEWHERE = frozenset({"station_staff_elsewhere"})  # staff of a Hami station
CENTER = frozenset({"center_staff"})  # Liuzhou service center, two-factor session
AUTHORITY = frozenset({"authority"})  # Liuzhou market-regulation bureau
SYSADMIN = frozenset({"sysadmin"})

VICTIM_ENTERPRISE = OWNER | MEMBER
INSTITUTIONS = INSTITUTION | OTHER_INSTITUTION
ENTERPRISES = VICTIM_ENTERPRISE | OTHER_ENTERPRISE | INSTITUTIONS
CUSTOMERS = INDIVIDUAL | ENTERPRISES
STATIONS = STATION | STATION_ELSEWHERE
MANAGERS = CENTER | SYSADMIN  # the service center's permissions
SUPERVISORS = MANAGERS | AUTHORITY  # supervision, statistics, summaries
HANDLERS = STATIONS | MANAGERS  # demands, fieldwork, complaint registration
OVERSEERS = HANDLERS | AUTHORITY  # every order in one's region
STAFF = OVERSEERS | EXPERT
USERS = CUSTOMERS | STAFF
ROLES = USERS | VISITOR
