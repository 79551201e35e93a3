"""`llm-advisor catalog keygen / pack / import / status`: a publisher's round trip, as a consultant sees it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from app.cli import main
from app.storage.resources import user_data_dir

ROOT = Path(__file__).resolve().parents[2]


def _publish(tmp_path, capsys, version="1.0", date="2026-12-01") -> tuple[Path, str]:
    key = tmp_path / "publisher.pem"
    if not key.exists():
        assert main(["catalog", "keygen", str(key), "--name", "Acme Advisory"]) == 0
        key_line = capsys.readouterr().out.strip().splitlines()[-1]
    else:
        key_line = ""
    source = tmp_path / f"src-{version}" / "catalogs"
    source.mkdir(parents=True)
    data = yaml.safe_load((ROOT / "catalogs" / "api_models.yaml").read_text())
    data["version"] = date
    for model in data["api_models"].values():
        model["source"]["as_of"] = date
    (source / "api_models.yaml").write_text(yaml.safe_dump(data))
    pack = tmp_path / f"acme-{version}.llmpack"
    assert main(["catalog", "pack", str(source.parent), "-o", str(pack), "--key", str(key), "--name", "acme",
                 "--version", version, "--date", date]) == 0
    assert f"wrote {pack}: acme {version}, 1 files" in capsys.readouterr().out
    return pack, key_line


def test_import_then_status(tmp_path, capsys, advisor_home):
    pack, key_line = _publish(tmp_path, capsys)
    assert key_line.startswith("ed25519 ") and key_line.endswith(" Acme Advisory")
    # Not yet trusted: refused, one line, exit 2.
    assert main(["catalog", "import", str(pack)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("llm-advisor catalog: no trusted keys") and err.count("\n") == 1
    (user_data_dir()).mkdir(parents=True, exist_ok=True)
    (user_data_dir() / "trusted-keys.txt").write_text(key_line + "\n")
    assert main(["catalog", "import", str(pack)]) == 0
    assert "installed acme 1.0 (2026-12-01), signed by Acme Advisory: 1 files" in capsys.readouterr().out
    assert main(["catalog", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["version"], p["date"]) for p in status["packs"]] == [("acme", "1.0", "2026-12-01")]
    assert status["catalog_files"]["api_models.yaml"] == "user data folder"
    assert status["catalog_files"]["gpus.yaml"] == "bundled"
    assert status["catalog_versions"]["pricing"].startswith("2026-12-01")
    # The pack's API prices are dated 2026-12-01; only GPU prices can still be stale.
    assert not any(i.startswith("api_models.") for i in status["stale_price_ids"])
    assert main(["catalog", "status"]) == 0
    out = capsys.readouterr().out
    assert "acme 1.0 (2026-12-01), signed by Acme Advisory" in out and "Stale prices:" in out


def test_a_damaged_pack_exits_2_with_one_line(tmp_path, capsys, advisor_home):
    junk = tmp_path / "junk.llmpack"
    junk.write_text("not a zip")
    assert main(["catalog", "import", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("llm-advisor catalog: junk.llmpack is not a readable pack") and err.count("\n") == 1
