import pytest

from onestop.verification.models import Application
from onestop.verification.tests.conftest import VALID_ID, VALID_USCC, png


def test_the_api_needs_login(client, db):
    assert client.get("/api/v1/verification/applications").status_code == 401
    assert client.post("/api/v1/verification/individual", {"real_name": "赵明"}).status_code == 401


@pytest.mark.clause("WX 7.1.1.3")
def test_submit_and_follow_through_the_api(individual):
    from django.test import Client

    client = Client(enforce_csrf_checks=False)
    client.force_login(individual)

    created = client.post(
        "/api/v1/verification/individual",
        {"real_name": "赵明", "id_number": VALID_ID, "id_card": png()},
    )
    listed = client.get("/api/v1/verification/applications")

    assert created.status_code == 201, created.content
    assert created.json()["status"] == "submitted"
    assert [a["id"] for a in listed.json()] == [created.json()["id"]]
    assert VALID_ID not in listed.content.decode()


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"real_name": "赵明", "id_number": "110105194912310021"}, 400, "invalid_input"),
        ({"real_name": "赵明", "id_number": VALID_ID}, 400, "invalid_input"),  # no scan
    ],
)
def test_api_errors_are_json_with_a_code(client, individual, data, status, code):
    client.force_login(individual)
    payload = {**data}
    if "id_number" in data and data["id_number"] == "110105194912310021":
        payload["id_card"] = png()

    response = client.post("/api/v1/verification/individual", payload)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Application.objects.exists()


def test_a_bad_file_is_refused_with_its_status(client, individual):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(individual)
    exe = SimpleUploadedFile(
        "scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"
    )

    response = client.post(
        "/api/v1/verification/individual",
        {"real_name": "赵明", "id_number": VALID_ID, "id_card": exe},
    )

    assert response.status_code == 415
    assert not Application.objects.exists()


def test_enterprise_submission_through_the_api(client, enterprise_user):
    client.force_login(enterprise_user)

    response = client.post(
        "/api/v1/verification/enterprise",
        {
            "name": "江阴接口示范有限公司",
            "uscc": VALID_USCC,
            "legal_representative": "周磊",
            "address": "江阴市示范路3号",
            "region_code": "320281",
            "industry": "制造业",
            "licence": png(),
            "qualification": png(),
            "pledge": png(),
        },
    )
    unknown_region = client.post(
        "/api/v1/verification/enterprise",
        {
            "name": "江阴接口示范有限公司",
            "uscc": VALID_USCC,
            "legal_representative": "周磊",
            "address": "江阴市示范路3号",
            "region_code": "999999",
            "industry": "制造业",
        },
    )

    assert response.status_code == 201, response.content
    assert unknown_region.status_code == 404
    assert unknown_region.json()["code"] == "unknown_region"
