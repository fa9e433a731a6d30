import pytest
from cryptography.fernet import Fernet

from onestop.core import crypto


@pytest.fixture
def fresh_keys(settings):
    yield settings
    crypto.reset_keys()


@pytest.mark.clause("HM 6.3")
def test_values_round_trip_and_are_not_stored_in_clear(fresh_keys):
    token = crypto.encrypt("110101199003070018")

    assert "110101199003070018" not in token
    assert crypto.decrypt(token) == "110101199003070018"


def test_rotation_reads_old_tokens_and_rewrites_them_with_the_new_key(fresh_keys):
    old_key = fresh_keys.ONESTOP_FIELD_KEYS[0]
    token = crypto.encrypt("13800138000")
    new_key = Fernet.generate_key().decode()
    fresh_keys.ONESTOP_FIELD_KEYS = [new_key, old_key]
    crypto.reset_keys()

    rotated = crypto.rotate(token)
    fresh_keys.ONESTOP_FIELD_KEYS = [new_key]
    crypto.reset_keys()

    assert crypto.decrypt(rotated) == "13800138000"
    with pytest.raises(Exception, match="cannot be decrypted"):
        crypto.decrypt(token)


def test_blind_index_is_stable_normalised_and_purpose_bound(settings):
    a = crypto.blind_index("11010119900307001x", purpose="id")

    assert a == crypto.blind_index(" 11010119900307001X ", purpose="id")
    assert a != crypto.blind_index("11010119900307001X", purpose="mobile")
    assert "1101" not in a


@pytest.mark.parametrize(
    ("function", "value", "masked"),
    [
        (crypto.mask_mobile, "13812341234", "138****1234"),
        (crypto.mask_id_number, "11010119900307002X", "1101**********002X"),
        (crypto.mask_name, "张三丰", "张**"),
        (crypto.mask_name, "李", "李*"),
        (crypto.mask_mobile, "123", "***"),
    ],
)
def test_masks(function, value, masked):
    assert function(value) == masked
