import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from onestop.core.errors import NotFound
from onestop.documents.models import DocumentKind
from onestop.documents.selectors import document_get_for, register_reader, unregister_reader
from onestop.documents.services import document_soft_delete, document_store
from onestop.documents.tests.files import png_bytes, upload


@pytest.fixture
def licence(make_user, regions):
    """A business licence uploaded by an enterprise in Liuzhou's Chengzhong district."""
    return document_store(
        owner=make_user(kind="enterprise"),
        kind=DocumentKind.BUSINESS_LICENCE,
        upload=upload(png_bytes()),
        region=regions["450202"],
    )


def test_the_owner_reads_their_own_document(licence):
    assert document_get_for(user=licence.owner, public_id=licence.public_id) == licence


@pytest.mark.clause("HM 6.3")
def test_another_user_guessing_the_id_is_not_told_it_exists(licence, make_user):
    stranger = make_user()

    with pytest.raises(NotFound) as guessed:
        document_get_for(user=stranger, public_id=licence.public_id)
    with pytest.raises(NotFound) as invented:
        document_get_for(user=stranger, public_id=uuid.uuid4())

    assert guessed.value.status == invented.value.status == 404
    assert guessed.value.message == invented.value.message


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize(
    ("role", "region_code"),
    [
        ("center_staff", "450200"),  # the city above the district
        ("center_staff", "450202"),  # the district itself
        ("sysadmin", None),  # everywhere
    ],
)
def test_reviewing_staff_in_scope_read_it(licence, make_user, role, region_code):
    staff = verified(make_user(role, region_code))

    assert document_get_for(user=staff, public_id=str(licence.public_id)) == licence


@pytest.mark.clause("WX 4.1.4")
def test_staff_without_the_second_factor_cannot_read(licence, make_user):
    staff = make_user("center_staff", "450200")  # logged in with the password only

    with pytest.raises(NotFound):
        document_get_for(user=staff, public_id=licence.public_id)


def verified(user):
    """The request user as django_otp's middleware leaves it after a TOTP check."""
    user.is_verified = lambda: True
    return user


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize(
    ("role", "region_code"),
    [
        ("center_staff", "320200"),  # Wuxi: another city
        ("center_staff", "450203"),  # a sibling district
        ("station_staff", "450202"),  # right region, no review permission
        ("authority", "450200"),  # supervises, but does not read personal documents
        ("enterprise", "450202"),
    ],
)
def test_everyone_else_gets_not_found(licence, make_user, role, region_code):
    outsider = make_user(role, region_code)

    with pytest.raises(NotFound):
        document_get_for(user=outsider, public_id=licence.public_id)


def test_a_document_without_region_is_for_the_owner_and_staff_everywhere(make_user, regions):
    owner = make_user()
    document = document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))

    assert (
        document_get_for(user=verified(make_user("sysadmin")), public_id=document.public_id)
        == document
    )
    with pytest.raises(NotFound):
        document_get_for(
            user=verified(make_user("center_staff", "450200")), public_id=document.public_id
        )


def test_anonymous_users_and_malformed_ids_get_not_found(licence):
    with pytest.raises(NotFound):
        document_get_for(user=AnonymousUser(), public_id=licence.public_id)
    with pytest.raises(NotFound):
        document_get_for(user=licence.owner, public_id="1")


def test_a_deleted_document_is_gone_for_everyone(licence, make_user):
    document_soft_delete(actor=licence.owner, document=licence)

    for reader in (licence.owner, make_user("sysadmin")):
        with pytest.raises(NotFound):
            document_get_for(user=reader, public_id=licence.public_id)


def test_a_registered_reader_extends_access(licence, make_user):
    colleague, stranger = make_user(), make_user()

    def same_enterprise(user, document):
        return user == colleague and document.owner_id == licence.owner_id

    register_reader(same_enterprise)
    try:
        assert document_get_for(user=colleague, public_id=licence.public_id) == licence
        with pytest.raises(NotFound):
            document_get_for(user=stranger, public_id=licence.public_id)
    finally:
        unregister_reader(same_enterprise)

    with pytest.raises(NotFound):
        document_get_for(user=colleague, public_id=licence.public_id)


def test_the_lookup_takes_one_query_for_the_owner(licence, django_assert_num_queries):
    with django_assert_num_queries(1):
        document_get_for(user=licence.owner, public_id=licence.public_id)
