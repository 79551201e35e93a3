"""`llm-advisor catalog import PACK`, `catalog status [--json]`, and for publishers `catalog keygen KEY` and
`catalog pack FOLDER -o PACK --key KEY --name N --version V [--date D]` (docs/catalog-packs.md)."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timezone
from pathlib import Path

from app.engine.staleness import catalog_status
from app.storage.catalogs import load_catalogs
from app.storage.packs import (build_pack, catalog_file_origins, import_pack, installed_packs, load_signing_key,
                               new_signing_key, public_key_line, trusted_keys_path)
from app.storage.resources import user_data_dir

SUMMARY = "catalog update packs: import one, show what is installed and which prices are stale"
MAX_LISTED_STALE = 12


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("catalog", help=SUMMARY, description=SUMMARY)
    commands = parser.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    importer = commands.add_parser("import", help="check a signed pack and install it into the user data folder")
    importer.add_argument("pack", type=Path, metavar="PACK")
    importer.set_defaults(handler=handle_import)
    status = commands.add_parser("status", help="installed packs, catalog versions and stale prices")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler=handle_status)
    keygen = commands.add_parser("keygen", help="(publishers) write a new Ed25519 signing key")
    keygen.add_argument("key", type=Path, metavar="KEY.pem")
    keygen.add_argument("--name", default="publisher", help="name printed with the public key line")
    keygen.set_defaults(handler=handle_keygen)
    packer = commands.add_parser("pack", help="(publishers) build and sign a pack from a folder")
    packer.add_argument("folder", type=Path, metavar="FOLDER",
                        help="holds catalogs/, questionnaires/, templates/report/ and brands/ as they should install")
    packer.add_argument("-o", "--output", type=Path, required=True, metavar="PACK")
    packer.add_argument("--key", type=Path, required=True, metavar="KEY.pem")
    packer.add_argument("--name", required=True)
    packer.add_argument("--version", required=True)
    packer.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    packer.add_argument("--publisher", default="")
    packer.set_defaults(handler=handle_pack)


def handle_import(args: argparse.Namespace) -> int:
    record = import_pack(args.pack)
    print(f"installed {record.name} {record.version} ({record.date}), signed by {record.signed_by}: "
          f"{len(record.files)} files into {user_data_dir()}")
    return 0


def status_data(today: date) -> dict:
    data = catalog_status(load_catalogs(), today, installed_packs(), catalog_file_origins())
    return {**data, "trusted_keys_file": str(trusted_keys_path())}


def status_text(data: dict) -> str:
    lines = ["Installed packs:" if data["packs"] else "Installed packs: none (bundled catalogs only)"]
    lines += [f"  {p['name']} {p['version']} ({p['date']}), signed by {p['signed_by']}, imported {p['imported_at']}"
              for p in data["packs"]]
    lines.append("Catalogs: " + ", ".join(f"{k} {v}" for k, v in data["catalog_versions"].items()))
    lines += [f"  {name:<18}{where}" for name, where in data["catalog_files"].items()]
    stale = data["stale_price_ids"]
    lines.append(f"Stale prices: {len(stale)} of {data['prices']} older than {data['price_staleness_days']:.0f} days "
                 f"on {data['today']}")
    lines += [f"  {price_id} (as of {data['stale_as_of'][price_id]})" for price_id in stale[:MAX_LISTED_STALE]]
    if len(stale) > MAX_LISTED_STALE:
        lines.append(f"  and {len(stale) - MAX_LISTED_STALE} more")
    return "\n".join(lines)


def handle_status(args: argparse.Namespace) -> int:
    data = status_data(datetime.now(timezone.utc).date())
    print(json.dumps(data, indent=2) if args.json else status_text(data))
    return 0


def handle_keygen(args: argparse.Namespace) -> int:
    key = new_signing_key(args.key)
    print(f"wrote {args.key}; give consultants this line for their trusted keys:")
    print(public_key_line(key, args.name))
    return 0


def handle_pack(args: argparse.Namespace) -> int:
    manifest = build_pack(args.folder, args.output, load_signing_key(args.key), name=args.name, version=args.version,
                          pack_date=args.date or datetime.now(timezone.utc).date(), publisher=args.publisher)
    print(f"wrote {args.output}: {manifest.name} {manifest.version}, {len(manifest.files)} files")
    return 0
