"""Catalog update packs: a signed pack installs into the user data folder and wins over the bundled files;
a bad signature, a changed member, a path outside the pack folders, an oversized member or an invalid catalog
is refused with nothing written."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.packs import PackError
from app.storage import packs
from app.storage.catalogs import load_catalogs
from app.storage.packs import (build_pack, import_pack, installed_packs, load_trusted_keys, parse_trusted_keys,
                               public_key_line, save_trusted_keys)
from app.storage.resources import find_resource, user_data_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def trusted(advisor_home, key):
    save_trusted_keys("# publishers I trust\n" + public_key_line(key, "Acme Advisory") + "\n")
    return load_trusted_keys()


def _api_models(version="2026-12-01", gpt4o_input=2.0):
    data = yaml.safe_load((ROOT / "catalogs" / "api_models.yaml").read_text())
    data["version"] = version
    data["api_models"]["gpt-4o"]["usd_per_million_input_tokens"] = gpt4o_input
    return yaml.safe_dump(data)


def _source(tmp_path, files: dict[str, str]) -> Path:
    source = tmp_path / "src"
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    return source


def _pack(tmp_path, key, files, name="acme", version="1.0") -> Path:
    out = tmp_path / f"{name}-{version}.llmpack"
    build_pack(_source(tmp_path, files), out, key, name=name, version=version, pack_date=date(2026, 12, 1))
    return out


def _signed_zip(path: Path, members: dict[str, bytes], key) -> Path:
    """A pack built by hand, so a test can put in what build_pack refuses to."""
    manifest = json.dumps({"name": "evil", "version": "1", "date": "2026-12-01",
                           "files": {m: hashlib.sha256(d).hexdigest() for m, d in members.items()}}).encode()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("signature.json", json.dumps({"signature": base64.b64encode(key.sign(manifest)).decode()}))
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _rewritten(pack: Path, out: Path, change) -> Path:
    """A copy of the pack with each member's bytes passed through change(name, data)."""
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out


def test_a_signed_pack_installs_and_wins_over_the_bundled_catalogs(tmp_path, key, trusted):
    template = "Cost for {{ client }}.\n"
    pack = _pack(tmp_path, key, {"catalogs/api_models.yaml": _api_models(),
                                 "questionnaires/llm-deployment.yaml": (ROOT / "questionnaires" / "llm-deployment.yaml").read_text(),
                                 "templates/report/costs.j2": template,
                                 "brands/acme.yaml": "consultancy_name: Acme Advisory\nprimary_colour: '#003366'\n"})
    record = import_pack(pack)
    assert (record.name, record.version, record.date, record.signed_by) == ("acme", "1.0", date(2026, 12, 1),
                                                                            "Acme Advisory")
    assert find_resource("catalogs", "api_models.yaml") == user_data_dir() / "catalogs" / "api_models.yaml"
    catalogs = load_catalogs()
    assert catalogs.pricing.version.startswith("2026-12-01")
    assert catalogs.pricing.api_models["gpt-4o"].usd_per_million_input_tokens == 2.0
    assert (user_data_dir() / "templates" / "report" / "costs.j2").read_text() == template
    assert [p.name for p in installed_packs()] == ["acme"]
    # A newer version of the same pack replaces the record.
    import_pack(_pack(tmp_path / "v2", key, {"catalogs/api_models.yaml": _api_models(gpt4o_input=1.5)}, version="2.0"))
    assert [(p.name, p.version) for p in installed_packs()] == [("acme", "2.0")]
    assert load_catalogs().pricing.api_models["gpt-4o"].usd_per_million_input_tokens == 1.5


def _nothing_installed():
    return not (user_data_dir() / "catalogs").exists() and not (user_data_dir() / "packs.json").exists()


def test_an_untrusted_signer_is_refused(tmp_path, key, trusted):
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(PackError, match="does not match any trusted key"):
        import_pack(_pack(tmp_path, stranger, {"catalogs/api_models.yaml": _api_models()}))
    assert _nothing_installed()


def test_no_trusted_keys_at_all_is_refused(tmp_path, key, advisor_home):
    with pytest.raises(PackError, match="no trusted keys"):
        import_pack(_pack(tmp_path, key, {"catalogs/api_models.yaml": _api_models()}))


def test_a_member_changed_after_signing_is_refused(tmp_path, key, trusted):
    pack = _pack(tmp_path, key, {"catalogs/api_models.yaml": _api_models()})
    tampered = _rewritten(pack, tmp_path / "tampered.llmpack", lambda name, data: _api_models(gpt4o_input=0.01)
                          if name.startswith("catalogs/") else data)
    with pytest.raises(PackError, match="differs from the signed manifest"):
        import_pack(tampered)
    assert _nothing_installed()


def test_a_changed_manifest_breaks_the_signature(tmp_path, key, trusted):
    pack = _pack(tmp_path, key, {"catalogs/api_models.yaml": _api_models()})
    tampered = _rewritten(pack, tmp_path / "tampered.llmpack", lambda name, data: data.replace(b'"1.0"', b'"9.9"')
                          if name == "manifest.json" else data)
    with pytest.raises(PackError, match="does not match any trusted key"):
        import_pack(tampered)


@pytest.mark.parametrize("member", ["../evil.yaml", "catalogs/../../evil.yaml", "/etc/evil.yaml",
                                    "catalogs\\..\\evil.yaml", "bin/evil.yaml", "catalogs/evil.py",
                                    "templates/report/.hidden.j2", "C:/evil.yaml"])
def test_paths_outside_the_pack_folders_are_refused_even_when_signed(tmp_path, key, trusted, member):
    pack = _signed_zip(tmp_path / "evil.llmpack", {member: b"x: 1\n"}, key)
    with pytest.raises(PackError, match="member"):
        import_pack(pack)
    assert not (tmp_path / "evil.yaml").exists() and _nothing_installed()


def test_a_link_member_is_refused(tmp_path, key, trusted):
    pack = _signed_zip(tmp_path / "link.llmpack", {"catalogs/api_models.yaml": b"/etc/passwd"}, key)
    with zipfile.ZipFile(pack) as source:
        items = [(i, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(pack, "w") as out:
        for info, data in items:
            if info.filename.startswith("catalogs/"):
                info.external_attr = (0o120777 << 16)
            out.writestr(info, data)
    with pytest.raises(PackError, match="is a link"):
        import_pack(pack)


def test_oversized_members_and_packs_are_refused(tmp_path, key, trusted, monkeypatch):
    pack = _pack(tmp_path, key, {"catalogs/api_models.yaml": _api_models()})
    monkeypatch.setattr(packs, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(PackError, match="unpacks to more than"):
        import_pack(pack)
    monkeypatch.setattr(packs, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(PackError, match="larger than"):
        import_pack(pack)
    monkeypatch.setattr(packs, "MAX_PACK_BYTES", 100)
    with pytest.raises(PackError, match="larger than"):
        import_pack(pack)
    assert _nothing_installed()


@pytest.mark.parametrize("files, problem", [
    ({"catalogs/api_models.yaml": _api_models(gpt4o_input=-1)}, "api_models.yaml"),
    ({"catalogs/prices.yaml": "a: 1\n"}, "not a catalog this app reads"),
    ({"questionnaires/broken.yaml": "id: x\n"}, "broken.yaml"),
    ({"templates/report/costs.j2": "{% if %}"}, "not a valid template"),
    ({"brands/acme.yaml": "consultancy_name: A\nlogo_path: ../../../etc/passwd\n"}, "logo_path must be a file in the pack"),
    ({"brands/acme.yaml": "primary_colour: red\n"}, "primary_colour"),
])
def test_invalid_members_are_refused_before_anything_is_written(tmp_path, key, trusted, files, problem):
    pack = _pack(tmp_path, key, {"catalogs/gpus.yaml": (ROOT / "catalogs" / "gpus.yaml").read_text(), **files})
    with pytest.raises(PackError) as caught:
        import_pack(pack)
    assert problem in str(caught.value) and "\n" not in str(caught.value)
    assert _nothing_installed()


def test_a_failed_write_puts_back_what_was_there(tmp_path, key, trusted, monkeypatch):
    import_pack(_pack(tmp_path / "v1", key, {"catalogs/api_models.yaml": _api_models(gpt4o_input=2.0)}))
    before = (user_data_dir() / "catalogs" / "api_models.yaml").read_bytes()
    pack = _pack(tmp_path / "v2", key, {"catalogs/api_models.yaml": _api_models(gpt4o_input=1.0),
                                        "catalogs/gpus.yaml": (ROOT / "catalogs" / "gpus.yaml").read_text()},
                 version="2.0")
    real_write = packs.atomic_write_bytes

    def failing(path, data, **kwargs):
        if Path(path).name == "gpus.yaml":
            raise OSError(28, "No space left on device")
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(packs, "atomic_write_bytes", failing)
    with pytest.raises(PackError, match="No space left"):
        import_pack(pack)
    assert (user_data_dir() / "catalogs" / "api_models.yaml").read_bytes() == before
    assert not (user_data_dir() / "catalogs" / "gpus.yaml").exists()
    assert [(p.name, p.version) for p in installed_packs()] == [("acme", "1.0")]


def test_not_a_pack(tmp_path, trusted):
    junk = tmp_path / "junk.llmpack"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(PackError, match="not a readable pack"):
        import_pack(junk)
    with zipfile.ZipFile(tmp_path / "empty.llmpack", "w") as archive:
        archive.writestr("catalogs/api_models.yaml", "x")
    with pytest.raises(PackError, match="lacks manifest.json"):
        import_pack(tmp_path / "empty.llmpack")


@pytest.mark.parametrize("text, problem", [
    ("rsa AAAA name", "expected 'ed25519"),
    ("ed25519 !!!notbase64 name", "not base64"),
    ("ed25519 " + base64.b64encode(b"short").decode() + " name", "32 bytes, not 5"),
])
def test_trusted_keys_file_errors_name_the_line(text, problem):
    with pytest.raises(PackError, match=problem) as caught:
        parse_trusted_keys("# comment\n\n" + text)
    assert "line 3" in str(caught.value)
