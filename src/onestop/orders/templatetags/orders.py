"""``{% order_button offering %}``: the "在线下单" button of an offering's public
page (WX App. A), shown only while the offering can be ordered. It reads only
what the page already loaded (the offering, its institution and
qualification), so it adds no query."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from onestop.institutions.models import Offering
from onestop.orders.services.placing import is_orderable

register = template.Library()


@register.inclusion_tag("orders/_order_button.html", takes_context=True)
def order_button(context: template.Context, offering: Offering) -> dict[str, Any]:
    return {
        "orderable": is_orderable(offering, today=timezone.localdate()),
        "order_url": reverse("orders:new", args=[offering.pk]),
        "user": context.get("user"),
    }
