"""Accounts API under /api/v1/accounts/: codes, registration, my account.

The two anonymous POSTs change no session: registering through the API does
not log in (a cross-site request could otherwise log a browser into an
account of the sender's choosing); log in with the number and password.
"""

from __future__ import annotations

from typing import Literal, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status

from onestop.accounts import selectors, services, sms_codes
from onestop.accounts.models import User
from onestop.regions import selectors as region_selectors

router = Router(tags=["accounts"])


class ErrorOut(Schema):
    code: str
    detail: str


class CodeIn(Schema):
    mobile: str
    purpose: Literal["register", "password_reset"]


class CodeSentOut(Schema):
    expires_in: int
    resend_after: int


class RegisterIn(Schema):
    kind: str
    mobile: str
    code: str
    password: str
    display_name: str
    region: str
    consent_version: str


class RoleOut(Schema):
    role: str
    region_code: str | None
    region_name: str | None


class MeOut(Schema):
    username: str
    display_name: str
    kind: str
    masked_mobile: str
    roles: list[RoleOut]


def _me(user: User) -> MeOut:
    return MeOut(
        username=user.get_username(),
        display_name=user.display_name,
        kind=user.kind,
        masked_mobile=user.masked_mobile,
        roles=[
            RoleOut(
                role=a.role,
                region_code=a.region.code if a.region is not None else None,
                region_name=a.region.name if a.region is not None else None,
            )
            for a in selectors.my_role_assignments(user=user)
        ],
    )


@router.post(
    "/codes",
    response={200: CodeSentOut, 400: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    auth=None,
    summary="Send an SMS verification code",
    description=(
        "At most one code a minute and ten a day per number. For password_reset the "
        "answer is the same whether or not the number is registered."
    ),
)
def code_send(request: HttpRequest, payload: CodeIn) -> CodeSentOut:
    sms_codes.sms_code_send(mobile=payload.mobile, purpose=payload.purpose)
    return CodeSentOut(
        expires_in=int(sms_codes.CODE_TTL.total_seconds()),
        resend_after=int(sms_codes.RESEND_AFTER.total_seconds()),
    )


@router.post(
    "/register",
    response={201: MeOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=None,
    summary="Register an individual or enterprise user with an SMS code",
    description=(
        "kind is individual or enterprise; region is the code of a city or district; "
        "consent_version must name the current privacy notice. 409: the number is "
        "already registered. Does not log in."
    ),
)
def register(request: HttpRequest, payload: RegisterIn) -> Status[MeOut]:
    user = services.user_register(
        kind=payload.kind,
        mobile=payload.mobile,
        code=payload.code,
        password=payload.password,
        display_name=payload.display_name,
        region=region_selectors.region_get(code=payload.region),
        consent_version=payload.consent_version,
    )
    return Status(201, _me(user))


@router.get("/me", response={200: MeOut}, summary="My account (mobile number masked)")
def me(request: HttpRequest) -> MeOut:
    # django_auth lets only logged-in users through to here.
    return _me(cast(User, request.user))
