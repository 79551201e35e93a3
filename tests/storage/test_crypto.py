"""The encrypted envelope: readable header, scrypt + AES-256-GCM, header authenticated, clear errors."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import AssessmentFileError, PasswordRequiredError
from app.storage import crypto
from app.storage.crypto import MAGIC_LINE, decrypt_bytes, encrypt_bytes, is_encrypted

SECRET = b'{"client": "Harbour Bank plc"}'


def _header(envelope: bytes) -> dict:
    return json.loads(envelope.split(b"\n")[1])


def test_round_trip_and_readable_header():
    envelope = encrypt_bytes(SECRET, "pw")
    assert is_encrypted(envelope) and not is_encrypted(SECRET)
    assert envelope.startswith(MAGIC_LINE) and b"encrypted assessment" in envelope.split(b"\n")[0]
    header = _header(envelope)
    assert header["kdf"]["name"] == "scrypt" and header["cipher"]["name"] == "AES-256-GCM"
    assert b"Harbour" not in envelope
    assert decrypt_bytes(envelope, "pw") == SECRET


def test_defaults_are_memory_hard(monkeypatch):
    monkeypatch.undo()  # the real defaults, not the fast test setting
    assert (crypto.SCRYPT_N, crypto.SCRYPT_R, crypto.SCRYPT_P) == (2**17, 8, 1)  # 128 MiB per guess


def test_each_encryption_uses_a_fresh_salt_and_nonce():
    first, second = encrypt_bytes(SECRET, "pw"), encrypt_bytes(SECRET, "pw")
    assert _header(first)["kdf"]["salt"] != _header(second)["kdf"]["salt"]
    assert first != second


def test_wrong_and_missing_password():
    envelope = encrypt_bytes(SECRET, "pw")
    with pytest.raises(AssessmentFileError, match="wrong password"):
        decrypt_bytes(envelope, "PW")
    with pytest.raises(PasswordRequiredError):
        decrypt_bytes(envelope, None)
    with pytest.raises(AssessmentFileError, match="cannot be empty"):
        encrypt_bytes(SECRET, "")


def test_unicode_passwords_work():
    assert decrypt_bytes(encrypt_bytes(SECRET, "pässwörd-密码"), "pässwörd-密码") == SECRET


@pytest.mark.parametrize("field, value", [
    (("kdf", "n"), 2**15),  # authenticated: a changed parameter is detected, not silently used
    (("kdf", "salt"), "AAAAAAAAAAAAAAAAAAAAAA=="),
    (("cipher", "nonce"), "AAAAAAAAAAAAAAAA"),
])
def test_the_header_is_authenticated(field, value):
    envelope = encrypt_bytes(SECRET, "pw")
    header = _header(envelope)
    header[field[0]][field[1]] = value
    lines = envelope.split(b"\n", 2)
    tampered = lines[0] + b"\n" + json.dumps(header).encode() + b"\n" + lines[2]
    with pytest.raises(AssessmentFileError, match="wrong password for file .or the file was damaged"):
        decrypt_bytes(tampered, "pw")


@pytest.mark.parametrize("kdf, message", [
    ({"name": "scrypt", "n": 2**30, "r": 8, "p": 1}, "more memory than this app allows"),
    ({"name": "scrypt", "n": 1000, "r": 8, "p": 1}, "power of two"),
    ({"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "salt": "c2hvcnQ="}, "salt is too short"),
    ({"name": "pbkdf2", "n": 2**14, "r": 8, "p": 1}, "unsupported key derivation"),
])
def test_hostile_kdf_parameters_are_refused_before_any_work(kdf, message):
    envelope = encrypt_bytes(SECRET, "pw")
    header = _header(envelope)
    header["kdf"] = {"salt": header["kdf"]["salt"], **kdf}
    lines = envelope.split(b"\n", 2)
    started = time.perf_counter()
    with pytest.raises(AssessmentFileError, match=message):
        decrypt_bytes(lines[0] + b"\n" + json.dumps(header).encode() + b"\n" + lines[2], "pw")
    assert time.perf_counter() - started < 0.5


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_damage_to_an_envelope_is_one_clear_error(data):
    envelope = encrypt_bytes(SECRET, "pw")
    mutation = data.draw(st.sampled_from(["truncate", "flip", "insert"]))
    position = data.draw(st.integers(0, len(envelope) - 1))
    if mutation == "truncate":
        damaged = envelope[:position]
    elif mutation == "flip":
        bit = data.draw(st.integers(0, 7))
        damaged = envelope[:position] + bytes([envelope[position] ^ (1 << bit)]) + envelope[position + 1:]
    else:
        damaged = envelope[:position] + data.draw(st.binary(min_size=1, max_size=8)) + envelope[position:]
    with pytest.raises(AssessmentFileError):
        decrypt_bytes(damaged, "pw")
