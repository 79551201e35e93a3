"""Password protection for assessment files and their autosave journals (docs/file-format.md).

An encrypted file is an envelope:

    line 1  LLM Deployment Advisor encrypted assessment - open it in the app with its password
    line 2  {"envelope": 1, "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<base64>"},
             "cipher": {"name": "AES-256-GCM", "nonce": "<base64>"}}          (one line of JSON)
    rest    AES-256-GCM ciphertext of the plain .llmassess bytes, followed by the 16-byte tag

Both header lines, newlines included, are the AEAD's associated data: changing a parameter, the salt
or the nonce makes decryption fail, exactly like a changed ciphertext byte. The key is derived with
scrypt (memory-hard: 128 MiB with the defaults), so a stolen file resists password guessing.

Public API: `encrypt_bytes(data, password)`, `decrypt_bytes(data, password)`, `is_encrypted(data)`, and
`SealingKey` for callers that encrypt often with one password (the autosave journal derives the key once).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.domain.errors import AssessmentFileError, PasswordRequiredError

MAGIC_LINE = b"LLM Deployment Advisor encrypted assessment - open it in the app with its password\n"
ENVELOPE_VERSION = 1
KDF_NAME = "scrypt"
CIPHER_NAME = "AES-256-GCM"
# OWASP's scrypt recommendation (2^17, 8, 1): about 0.3 s and 128 MiB per derivation on a laptop.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
SALT_BYTES, NONCE_BYTES, KEY_BYTES = 16, 12, 32
# A hostile header must not make us allocate gigabytes: refuse scrypt settings above 256 MiB.
MAX_SCRYPT_MEMORY = 256 * 2**20
# ... nor work for seconds per try: scrypt's time grows with n*r*p; this app never writes more than its
# defaults, so a header asking for more is hostile (or from a future version, which would say so).
MAX_SCRYPT_WORK = SCRYPT_N * SCRYPT_R * SCRYPT_P
MAX_HEADER_BYTES = 1024


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC_LINE)


@dataclass(frozen=True)
class KdfParams:
    n: int
    r: int
    p: int
    salt: bytes

    def derive(self, password: str) -> bytes:
        kdf = Scrypt(salt=self.salt, length=KEY_BYTES, n=self.n, r=self.r, p=self.p)
        try:
            return kdf.derive(password.encode("utf-8"))
        except (MemoryError, ValueError):  # parameters OpenSSL refuses though they passed our checks
            raise AssessmentFileError("the file has a damaged encryption header (scrypt parameters this app "
                                      "cannot use)") from None

    def as_json(self) -> dict:
        return {"name": KDF_NAME, "n": self.n, "r": self.r, "p": self.p, "salt": _b64(self.salt)}


class SealingKey:
    """A key derived once from a password, with the salt that goes into every envelope it seals. Each
    envelope gets a fresh random nonce, so one key may seal many journal writes safely."""

    def __init__(self, password: str, params: KdfParams | None = None):
        if not password:
            raise AssessmentFileError("a password cannot be empty")
        self.params = params or KdfParams(SCRYPT_N, SCRYPT_R, SCRYPT_P, os.urandom(SALT_BYTES))
        self._aead = AESGCM(self.params.derive(password))

    def seal(self, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        header = {"envelope": ENVELOPE_VERSION, "kdf": self.params.as_json(),
                  "cipher": {"name": CIPHER_NAME, "nonce": _b64(nonce)}}
        aad = MAGIC_LINE + json.dumps(header, separators=(", ", ": ")).encode("ascii") + b"\n"
        return aad + self._aead.encrypt(nonce, data, aad)


def encrypt_bytes(data: bytes, password: str) -> bytes:
    """Seal `data` under a key derived from `password` with a fresh salt."""
    return SealingKey(password).seal(data)


def decrypt_bytes(data: bytes, password: str | None, source: str = "file") -> bytes:
    """Open an envelope. No password: PasswordRequiredError; wrong password or any tampering:
    AssessmentFileError saying so."""
    if password is None:
        raise PasswordRequiredError(f"{source} is encrypted: a password is needed to open it", path=source)
    return OpeningKey(password).open(data, source)


class OpeningKey:
    """Opens many envelopes sealed under one password (a journal's records), deriving the key once per
    distinct set of scrypt parameters and salt instead of once per envelope."""

    def __init__(self, password: str):
        self._password = password
        self._aeads: dict[KdfParams, AESGCM] = {}

    def open(self, data: bytes, source: str = "file") -> bytes:
        params, nonce, aad = _read_header(data, source)
        if params not in self._aeads:
            self._aeads[params] = AESGCM(params.derive(self._password))
        try:
            return self._aeads[params].decrypt(nonce, data[len(aad):], aad)
        except InvalidTag:
            raise AssessmentFileError(f"wrong password for {source} (or the file was damaged)",
                                      path=source) from None


def _read_header(data: bytes, source: str) -> tuple[KdfParams, bytes, bytes]:
    """(scrypt parameters, nonce, associated data) from an envelope's two header lines."""
    end = data.find(b"\n", len(MAGIC_LINE), len(MAGIC_LINE) + MAX_HEADER_BYTES)
    if not is_encrypted(data) or end < 0:
        raise AssessmentFileError(f"{source} is not an encrypted assessment", path=source)
    try:
        header = json.loads(data[len(MAGIC_LINE):end].decode("ascii"))
        return _kdf_params(header), _nonce(header), data[:end + 1]
    except (ValueError, TypeError, KeyError, binascii.Error) as error:
        raise AssessmentFileError(f"{source} has a damaged encryption header ({error})", path=source) from None


def _kdf_params(header: dict) -> KdfParams:
    if header["envelope"] != ENVELOPE_VERSION:
        raise ValueError(f"envelope version {header['envelope']!r} is not one this app reads")
    kdf = header["kdf"]
    if kdf["name"] != KDF_NAME:
        raise ValueError(f"unsupported key derivation {kdf['name']!r}")
    n, r, p = (kdf[k] for k in ("n", "r", "p"))
    if not all(type(v) is int and v >= 1 for v in (n, r, p)) or n & (n - 1) or n < 2:
        raise ValueError("scrypt parameters must be positive integers, n a power of two")
    if 128 * n * r * p > MAX_SCRYPT_MEMORY or p > 16:
        raise ValueError("scrypt parameters ask for more memory than this app allows")
    if n * r * p > MAX_SCRYPT_WORK:
        raise ValueError("scrypt parameters ask for more work than this app allows")
    salt = base64.b64decode(kdf["salt"], validate=True)
    if len(salt) < SALT_BYTES:
        raise ValueError("salt is too short")
    return KdfParams(n, r, p, salt)


def _nonce(header: dict) -> bytes:
    cipher = header["cipher"]
    if cipher["name"] != CIPHER_NAME:
        raise ValueError(f"unsupported cipher {cipher['name']!r}")
    nonce = base64.b64decode(cipher["nonce"], validate=True)
    if len(nonce) != NONCE_BYTES:
        raise ValueError("nonce must be 12 bytes")
    return nonce


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
