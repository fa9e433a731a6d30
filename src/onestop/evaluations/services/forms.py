"""The shipped questionnaires and the choice of one for an order or a consultation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import NotFound
from onestop.evaluations import surveys
from onestop.evaluations.models import SurveyForm
from onestop.regions.models import Region


@transaction.atomic
def evaluations_load_forms() -> list[SurveyForm]:
    """Create the shipped questionnaires (HM Appendix A, GB/T 39734 five levels)
    if missing; an existing (code, version) is never changed."""
    loaded = []
    for data in surveys.SHIPPED_FORMS:
        form, _created = SurveyForm.objects.get_or_create(
            code=data["code"],
            version=data["version"],
            defaults={
                "title": data["title"],
                "source": data["source"],
                "definition": data["definition"],
                "anonymous_to_provider": data["anonymous_to_provider"],
            },
        )
        loaded.append(form)
    return loaded


def _newest(code: str) -> SurveyForm:
    form = SurveyForm.objects.filter(code=code, active=True).order_by("-version").first()
    if form is None:
        evaluations_load_forms()
        form = SurveyForm.objects.filter(code=code, active=True).order_by("-version").first()
    if form is None:
        raise NotFound(_("No questionnaire is available for this region."))
    return form


def form_for_order(region: Region) -> SurveyForm:
    """The region's profile chooses: HM → Appendix A, others → five levels.
    The newest active version of that questionnaire."""
    hm = region.effective_profile() == "HM"
    return _newest(surveys.HM_CODE if hm else surveys.FIVE_LEVEL_CODE)


def form_for_consultation(region: Region) -> tuple[SurveyForm, list[str]]:
    """A consultation evaluates the service center: HM → part one of
    Appendix A only; others → the five-level consultation form."""
    if region.effective_profile() == "HM":
        return _newest(surveys.HM_CODE), ["center"]
    return _newest(surveys.CONSULTATION_CODE), []
