"""The framework's own answers on /api/v1/ are JSON of the documented shape
(onestop.config.api): 401 without a session, 403 when the CSRF check fails,
404 for an unknown path object, 413 for a body over the upload limit, 422
with the offending fields for input that does not match the document; and
the OpenAPI document lists them on every operation they can come from."""

from __future__ import annotations

import pytest
from django.test import Client

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def schema(client) -> dict:
    return client.get(OPENAPI).json()


def test_the_document_lists_the_framework_answers_on_every_operation(schema):
    # given the OpenAPI document
    # when every operation is looked at
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            # then 503 is everywhere, 401 where a session is needed, 403 on
            # unsafe ones of those (CSRF), 422 where there is input, 413 where there is a body
            assert "503" in responses, (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
                if method == "post":
                    assert "403" in responses, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, (method, path)
            if operation.get("requestBody"):
                assert "413" in responses, (method, path)


@pytest.mark.django_db
def test_without_a_session_the_answer_is_a_json_401(client):
    # given a visitor
    # when they ask for their orders
    response = client.get("/api/v1/orders/")
    # then 401 with a code and a message
    assert response.status_code == 401
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_a_json_403(make_user, regions):
    # given a logged-in user whose client enforces CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("individual", "320281"))
    # when they post a message without the CSRF token
    response = client.post(
        "/api/v1/orders/DD1/messages", {"body": "hi"}, content_type="application/json"
    )
    # then 403 of the documented shape, and nothing else ran
    assert response.status_code == 403
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] == "forbidden"


@pytest.mark.django_db
def test_input_that_does_not_match_the_document_is_a_json_422_naming_the_field(client):
    # given a malformed date
    # when the calendar is asked about it
    response = client.get("/api/v1/calendar/deadline", {"start": "x", "working_days": "y"})
    # then 422 with the code, a message and each offending field
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["detail"]
    locations = {tuple(error["loc"]) for error in body["errors"]}
    assert ("query", "start") in locations
    assert ("query", "working_days") in locations


@pytest.mark.django_db
def test_an_unknown_path_object_is_a_json_404(client):
    # given no such station
    # when it is asked for
    response = client.get("/api/v1/stations/987654")
    # then 404 of the documented shape
    assert response.status_code == 404
    assert set(response.json()) == {"code", "detail"}


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_a_json_413(client, settings):
    # given a request body above DATA_UPLOAD_MAX_MEMORY_SIZE
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"mobile": "' + "1" * 4096 + '", "purpose": "register"}'
    # when it is posted to an API operation
    response = client.post("/api/v1/accounts/codes", body, content_type="application/json")
    # then 413 of the documented shape (not Django's HTML 400 page)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orders/DD%00x",
        "/api/v1/open311/requests?service_request_id=a%00",
        "/api/v1/search/?q=a%00b",
        "/api/v1/regions/32%00",
    ],
)
def test_a_nul_character_anywhere_in_the_input_is_a_json_422(make_user, regions, url):
    # given a logged-in user (PostgreSQL refuses NUL even in a query: was a 500)
    client = Client()
    client.force_login(make_user("individual", "320281"))
    # when a path or query carries a NUL character
    response = client.get(url)
    # then 422 of the documented shape
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
def test_a_nul_character_in_a_json_body_is_a_json_422_naming_the_field(make_user, regions):
    # given a logged-in user
    client = Client()
    client.force_login(make_user("individual", "320281"))
    # when a body field carries a NUL character
    response = client.post(
        "/api/v1/orders/",
        {"offering_id": 1, "description": "a\x00", "contact_name": "x"},
        content_type="application/json",
    )
    # then 422 naming the field, before anything is looked up
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [["data", "description"]]
