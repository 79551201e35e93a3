"""Catalog update packs (docs/catalog-packs.md): build and sign one, check one against the consultant's
trusted keys, and install it all-or-nothing into the user data folder, which the resource locator searches
before the bundled files.

A pack is a zip holding `manifest.json` (name, version, date, every member's SHA-256), `signature.json`
(an Ed25519 signature over the manifest's exact bytes) and the members under catalogs/, questionnaires/,
templates/ and brands/. The file is untrusted until its signature checks: its size, member count, member
sizes and member names are bounded first, and nothing is written before every member has been validated with
the same loaders the app uses."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import TypeAdapter, ValidationError

from app.domain.errors import AdvisorError
from app.domain.packs import PACK_FOLDERS, InstalledPack, PackError, PackManifest, TrustedKey
from app.storage.atomic import atomic_write_bytes
from app.storage.brand import load_brand
from app.storage.catalogs import load_catalogs
from app.storage.hardware_catalog import FILE_SECTIONS
from app.storage.instance_catalog import HOSTED_FILE, INSTANCES_FILE
from app.storage.pricing_catalog import API_MODELS_FILE, ASSUMPTIONS_FILE
from app.storage.questionnaires import load_questionnaire
from app.storage.resources import find_resource, user_data_dir
from app.storage.yamlfiles import describe_validation_error, read_yaml

MANIFEST, SIGNATURE = "manifest.json", "signature.json"
MAX_PACK_BYTES = 100 * 1024 * 1024
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all members together, decompressed (a zip bomb stops here)
MAX_MEMBERS = 500
MAX_MEMBER_DEPTH = 4
CATALOG_FILES = (*FILE_SECTIONS, API_MODELS_FILE, ASSUMPTIONS_FILE, INSTANCES_FILE, HOSTED_FILE)
TRUSTED_KEYS_FILE, INSTALLED_FILE = "trusted-keys.txt", "packs.json"
KEY_KIND = "ed25519"
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,99}$")
_INSTALLED = TypeAdapter(list[InstalledPack])


# ---- Trusted keys -----------------------------------------------------------------------------------------


def trusted_keys_path() -> Path:
    return user_data_dir() / TRUSTED_KEYS_FILE


def parse_trusted_keys(text: str, source: str = TRUSTED_KEYS_FILE) -> list[TrustedKey]:
    """One key a line, `ed25519 <base64 raw public key> <name>`; blank lines and `#` comments are skipped."""
    keys = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or parts[0] != KEY_KIND:
            raise PackError(f"{source} line {number}: expected 'ed25519 <public key> <name>'")
        try:
            raw = base64.b64decode(parts[1], validate=True)
        except (binascii.Error, ValueError):
            raise PackError(f"{source} line {number}: the public key is not base64") from None
        if len(raw) != 32:
            raise PackError(f"{source} line {number}: an Ed25519 public key is 32 bytes, not {len(raw)}")
        keys.append(TrustedKey(name=parts[2] if len(parts) > 2 else parts[1][:12], public_key=raw))
    return keys


def load_trusted_keys(path: Path | None = None) -> list[TrustedKey]:
    path = Path(path) if path is not None else trusted_keys_path()
    if not path.is_file():
        return []
    try:
        return parse_trusted_keys(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(f"cannot read the trusted keys {path} ({error})") from None


def save_trusted_keys(text: str, path: Path | None = None) -> Path:
    """Check every line, then write atomically (what Preferences saves)."""
    path = Path(path) if path is not None else trusted_keys_path()
    parse_trusted_keys(text, str(path))
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def public_key_line(private_key: Ed25519PrivateKey, name: str) -> str:
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{KEY_KIND} {base64.b64encode(raw).decode()} {name}"


def new_signing_key(path: Path) -> Ed25519PrivateKey:
    """A new private key, written (PEM, PKCS#8, owner-only) to `path`."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    atomic_write_bytes(path, pem)
    return key


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise PackError(f"cannot read the signing key {path} ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(f"{path} is not an Ed25519 private key")
    return key


# ---- Building ---------------------------------------------------------------------------------------------


def check_member_name(name: str) -> PurePosixPath:
    """A relative path under one of the pack folders, with plain names and an allowed file type."""
    path = PurePosixPath(name)
    if "\\" in name or name.startswith("/") or ":" in name:
        raise PackError(f"member '{name[:120]}' is not a plain relative path")
    if len(path.parts) < 2 or len(path.parts) > MAX_MEMBER_DEPTH or not all(_PART.match(p) for p in path.parts):
        raise PackError(f"member '{name[:120]}' has a path this app does not install")
    folder = path.parts[0]
    if folder not in PACK_FOLDERS:
        raise PackError(f"member '{name[:120]}' is outside {', '.join(PACK_FOLDERS)}")
    if path.suffix.lower() not in PACK_FOLDERS[folder]:
        raise PackError(f"member '{name[:120]}': {folder} may hold {', '.join(PACK_FOLDERS[folder])} files only")
    return path


def build_pack(source: Path, out: Path, key: Ed25519PrivateKey, *, name: str, version: str, pack_date: date,
               publisher: str = "") -> PackManifest:
    """Zip every file under `source`'s pack folders, with a manifest signed by `key`; written atomically."""
    source = Path(source)
    members = {p.relative_to(source).as_posix(): p.read_bytes() for folder in PACK_FOLDERS
               for p in sorted((source / folder).rglob("*")) if p.is_file()}
    for member in members:
        check_member_name(member)
    try:
        manifest = PackManifest(name=name, version=version, date=pack_date, publisher=publisher,
                                files={m: hashlib.sha256(data).hexdigest() for m, data in members.items()})
    except ValidationError as error:
        raise PackError(f"cannot build the pack: {describe_validation_error(error)}") from None
    manifest_bytes = manifest.model_dump_json(indent=2).encode("utf-8")
    signature = {"key": public_key_line(key, "signer").split()[1],
                 "signature": base64.b64encode(key.sign(manifest_bytes)).decode()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, json.dumps(signature, indent=2))
        for member, data in members.items():
            archive.writestr(member, data)
    atomic_write_bytes(Path(out), buffer.getvalue(), mode=0o644)
    return manifest


# ---- Reading and checking ---------------------------------------------------------------------------------


def _members(archive: zipfile.ZipFile) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS + 2:
        raise PackError(f"the pack has more than {MAX_MEMBERS} members")
    members: dict[str, bytes] = {}
    unpacked = 0
    for info in infos:
        if info.is_dir():
            continue
        if info.filename in members:
            raise PackError(f"member '{info.filename[:120]}' appears twice")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise PackError(f"member '{info.filename[:120]}' is a link")
        if info.flag_bits & 0x1:
            raise PackError(f"member '{info.filename[:120]}' is encrypted")
        if info.filename not in (MANIFEST, SIGNATURE):
            check_member_name(info.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackError(f"member '{info.filename[:120]}' is larger than {MAX_MEMBER_BYTES // 2**20} MiB")
        with archive.open(info) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)  # the header's size may lie
        if len(data) > MAX_MEMBER_BYTES:
            raise PackError(f"member '{info.filename[:120]}' is larger than {MAX_MEMBER_BYTES // 2**20} MiB")
        members[info.filename] = data
        unpacked += len(data)
        if unpacked > MAX_UNPACKED_BYTES:
            raise PackError(f"the pack unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MiB")
    return members


def _signer(manifest_bytes: bytes, signature_bytes: bytes, keys: list[TrustedKey]) -> TrustedKey:
    try:
        signature = json.loads(signature_bytes)
        raw_signature = base64.b64decode(signature["signature"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise PackError("the pack's signature file is damaged") from None
    if not keys:
        raise PackError("no trusted keys: add the publisher's public key first (Edit > Catalog Packs and Trusted "
                        "Keys, or trusted-keys.txt in the user data folder)")
    for key in keys:
        try:
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(raw_signature, manifest_bytes)
            return key
        except InvalidSignature:
            continue
    raise PackError("the pack's signature does not match any trusted key: it was not signed by a publisher you "
                    "trust, or it was changed after signing")


def read_pack(path: Path, keys: list[TrustedKey]) -> tuple[PackManifest, dict[str, bytes], TrustedKey]:
    """The manifest, the members (manifest and signature left out) and the key that signed it."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            raise PackError(f"{path.name} is larger than {MAX_PACK_BYTES // 2**20} MiB")
        with zipfile.ZipFile(path) as archive:
            members = _members(archive)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, ValueError) as error:
        raise PackError(f"{path.name} is not a readable pack ({' '.join(str(error).split()) or 'damaged'})") from None
    if MANIFEST not in members or SIGNATURE not in members:
        raise PackError(f"{path.name} is not a pack: it lacks {MANIFEST} or {SIGNATURE}")
    manifest_bytes = members.pop(MANIFEST)
    signer = _signer(manifest_bytes, members.pop(SIGNATURE), keys)
    try:
        manifest = PackManifest.model_validate_json(manifest_bytes)
    except ValidationError as error:
        raise PackError(f"the pack's manifest is invalid: {describe_validation_error(error)}") from None
    if set(manifest.files) != set(members):
        extra = sorted(set(members) ^ set(manifest.files))
        raise PackError(f"the pack's members differ from its manifest ({', '.join(extra[:3])})")
    for member, data in members.items():
        if hashlib.sha256(data).hexdigest() != manifest.files[member]:
            raise PackError(f"member '{member}' differs from the signed manifest")
    return manifest, members, signer


# ---- Validating and installing ----------------------------------------------------------------------------


def _validate_catalogs(staged: Path, members: dict[str, bytes]) -> None:
    """The pack's catalog files over the current ones must load as the app would load them."""
    names = {PurePosixPath(m).name for m in members if m.startswith("catalogs/")}
    unknown = sorted(n for n in names if n not in CATALOG_FILES or f"catalogs/{n}" not in members)
    if unknown:
        raise PackError(f"catalogs/{unknown[0]} is not a catalog this app reads ({', '.join(CATALOG_FILES)})")
    if not names:
        return
    folder = staged / "catalog-check"
    folder.mkdir()
    for name in CATALOG_FILES:
        target = folder / name
        if name in names:
            target.write_bytes(members[f"catalogs/{name}"])
        else:
            shutil.copyfile(find_resource("catalogs", name), target)
    load_catalogs(folder)


def _validate_member(member: str, path: Path) -> None:
    folder = PurePosixPath(member).parts[0]
    if folder == "questionnaires":
        load_questionnaire(path)
    elif folder == "templates":
        import jinja2.sandbox  # only here: commands that never see a pack start without jinja2

        try:
            jinja2.sandbox.SandboxedEnvironment().parse(path.read_text(encoding="utf-8"))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError) as error:
            raise PackError(f"{member}: not a valid template ({error})") from None
    elif folder == "brands" and path.suffix == ".yaml":
        logo = (read_yaml(path, PackError) or {}).get("logo_path")
        if logo is not None and (PurePosixPath(str(logo)).is_absolute() or ".." in PurePosixPath(str(logo)).parts):
            raise PackError(f"{member}: a pack's logo_path must be a file in the pack")
        load_brand(path)


def validate_members(members: dict[str, bytes]) -> None:
    """Every member through the loader the app uses for it; PackError naming the member on any problem."""
    with tempfile.TemporaryDirectory(prefix="llm-advisor-pack-") as temp:
        staged = Path(temp)
        for member, data in members.items():
            target = staged / "members" / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            _validate_catalogs(staged, members)
            for member in sorted(members):
                if not member.startswith("catalogs/"):
                    _validate_member(member, staged / "members" / member)
        except PackError:
            raise
        except AdvisorError as error:
            raise PackError(f"the pack was not installed: {' '.join(str(error).replace(temp, '<pack>').split())}") from None


def installed_packs() -> list[InstalledPack]:
    path = user_data_dir() / INSTALLED_FILE
    if not path.is_file():
        return []
    try:
        return _INSTALLED.validate_json(path.read_bytes())
    except (OSError, ValidationError):
        raise PackError(f"the record of installed packs {path} is damaged") from None


def _install(members: dict[str, bytes], root: Path) -> None:
    """Write every member; if any write fails, put back what was there before (all or nothing)."""
    previous = {m: (root / m).read_bytes() if (root / m).is_file() else None for m in members}
    written: list[str] = []
    try:
        for member, data in members.items():
            atomic_write_bytes(root / member, data, mode=0o644)
            written.append(member)
    except OSError as error:
        for member in written:
            old = previous[member]
            if old is None:
                (root / member).unlink(missing_ok=True)
            else:
                atomic_write_bytes(root / member, old)
        raise PackError(f"the pack was not installed: cannot write {root} ({error.strerror or error})") from None


def import_pack(path: Path, keys: list[TrustedKey] | None = None) -> InstalledPack:
    """Check, validate and install a pack; returns what was installed. PackError and nothing written otherwise."""
    manifest, members, signer = read_pack(path, load_trusted_keys() if keys is None else keys)
    validate_members(members)
    record = InstalledPack(name=manifest.name, version=manifest.version, date=manifest.date,
                           publisher=manifest.publisher, signed_by=signer.name,
                           imported_at=datetime.now(timezone.utc).replace(microsecond=0),
                           files=tuple(sorted(members)))
    others = [p for p in installed_packs() if p.name != manifest.name]
    root = user_data_dir()
    _install(members, root)
    atomic_write_bytes(root / INSTALLED_FILE, _INSTALLED.dump_json([*others, record], indent=2), mode=0o644)
    return record


def catalog_file_origins() -> dict[str, str]:
    """Each catalog file: read from the "user data folder" (a pack or a hand edit) or "bundled"."""
    return {name: "user data folder" if find_resource("catalogs", name).is_relative_to(user_data_dir()) else "bundled"
            for name in CATALOG_FILES}
