"""Catalog update packs: one signed file a consultancy distributes with catalogs, questionnaires, report
templates and brand files (docs/catalog-packs.md). The manifest lists every member with its SHA-256, and the
Ed25519 signature covers the manifest's exact bytes, so it covers every member."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.domain.errors import AdvisorError

PACK_FORMAT = 1
# Top-level folders a pack may fill in the user data folder, and the file types each may hold.
PACK_FOLDERS: dict[str, tuple[str, ...]] = {
    "catalogs": (".yaml",),
    "questionnaires": (".yaml",),
    "templates": (".j2",),
    "brands": (".yaml", ".png", ".svg"),
}


class PackError(AdvisorError):
    """A pack cannot be built or imported; nothing was installed."""


class _Pack(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class PackManifest(_Pack):
    format: int = Field(PACK_FORMAT, ge=1, le=PACK_FORMAT)
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._\-]*$")
    version: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._+\-]*$")
    date: date
    publisher: str = Field(default="", max_length=200)
    files: dict[str, str] = Field(min_length=1, max_length=500)  # member path -> SHA-256 (hex)


class TrustedKey(_Pack):
    name: str
    public_key: bytes = Field(min_length=32, max_length=32)  # raw Ed25519 public key

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public_key).hexdigest()[:16]


class InstalledPack(_Pack):
    name: str
    version: str
    date: date
    publisher: str = ""
    signed_by: str  # the trusted key's name
    imported_at: datetime
    files: tuple[str, ...]
