"""A whole-installation scope stays whole when OR-ed with another condition."""

from __future__ import annotations

import pytest
from django.db.models import Q

from onestop.accounts import authz
from onestop.regions.models import Region


@pytest.mark.django_db
def test_everywhere_survives_being_combined(regions, make_user):
    admin = make_user("sysadmin")
    scope = authz.region_scope(admin, authz.Perm.AUDIT_VIEW)
    assert scope.everywhere
    everything = Region.objects.count()
    assert Region.objects.filter(scope.q("")).count() == everything
    assert Region.objects.filter(scope.q("") | Q(code="nothing")).count() == everything
    assert Region.objects.filter(Q(code="nothing") | scope.q("")).count() == everything
