from typing import Any

from django.conf import settings
from django.http import HttpRequest

from onestop.web.region import current_region


def platform(request: HttpRequest) -> dict[str, Any]:
    """Brand and the visitor's region, for every layout."""
    return {
        "platform_name": settings.ONESTOP_PLATFORM_NAME,
        "brand_primary": settings.ONESTOP_BRAND_PRIMARY,
        "brand_accent": settings.ONESTOP_BRAND_ACCENT,
        "service_phone": settings.ONESTOP_SERVICE_PHONE,
        "current_region": current_region(request),
    }
