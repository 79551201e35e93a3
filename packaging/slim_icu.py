"""Linux only: writes a smaller drop-in libicudata.so.<N> for the bundle (31 MB -> a few MB).

    python packaging/slim_icu.py OUT_DIR        # prints the path of the slim library, or nothing if skipped

Qt (libQt6Core) links the ICU shipped in the PySide6 wheel, whose data library carries every locale,
every legacy charset converter and the CJK/Thai word-break dictionaries. A consultant's English-language
desktop app needs a fraction: this keeps ICU's core tables (normalisation, properties, case, UCA, time
zones, plural rules, ...) and the locale data of the languages in KEEP_LANGUAGES, and drops other locales,
the break-iterator dictionaries, the transliterators and the legacy converters. The same ICU library code reads it (same
soname, same `icudtNN_dat` entry point); a locale that is not kept falls back to root/English.

Uses the ICU developer tools (Debian: icu-devtools: icupkg, genccode) and gcc. When any is missing it
prints a notice to stderr and nothing to stdout, and the spec keeps the full library. After building it
checks the result by loading it with the wheel's libicuuc and opening collators and locales."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Qt formats numbers, dates and currencies from its own CLDR tables, not ICU's; it calls ICU for collation
# (QCollator, localeAwareCompare), locale-specific case mapping, IDNA and legacy charsets. The app uses none
# of these with a locale, so English (plus ICU's root: the Unicode collation order for every other
# language, and the language-independent case tables) is enough.
KEEP_LANGUAGES = {"en"}
# Legacy converters kept (Windows Western code pages and ISO-8859-1/15); UTF-8/16/32, ASCII and Latin-1
# are algorithmic in ICU and need no table.
KEEP_CONVERTERS = {"ibm-5348_P100-1997.cnv", "ibm-923_P100-1998.cnv", "ibm-5346_P100-1998.cnv",
                   "ibm-5350_P100-1998.cnv", "ibm-912_P100-1995.cnv"}
LOCALE_ITEM = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]+)*\.res$")
ALWAYS_KEEP = {"res_index.res", "root.res", "pool.res"}


def _keep(item: str) -> bool:
    """item: a path inside the package without its prefix, e.g. 'coll/de.res', 'brkitr/cjdict.dict'."""
    base = item.rsplit("/", 1)[-1]
    if item.startswith("translit/"):  # transliterators (~1 MB): Qt never calls utrans
        return False
    if base in ALWAYS_KEEP:
        return True
    if base.endswith(".dict"):  # CJK, Thai, Lao, Khmer, Burmese word-break dictionaries (~3 MB)
        return False
    if base.endswith(".cnv"):
        return base in KEEP_CONVERTERS
    match = LOCALE_ITEM.match(base)
    if match:
        return match.group(1) in KEEP_LANGUAGES
    return True  # core tables, supplemental data, rules


def _tool(name: str) -> str | None:
    return shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()), None)


def _extract_data(lib: Path, symbol: str) -> bytes:
    """The bytes of the data symbol (the whole ICU common data package) from the ELF library."""
    out = subprocess.run(["nm", "-D", "-S", "--defined-only", str(lib)], capture_output=True, text=True,
                         check=True).stdout
    address, size = next((int(a, 16), int(s, 16)) for a, s, _, name in (line.split() for line in out.splitlines()
                                                                        if len(line.split()) == 4)
                         if name == symbol)
    sections = subprocess.run(["readelf", "-S", "-W", str(lib)], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] in (".rodata", ".data"):
            sec_addr, sec_off, sec_size = int(fields[3], 16), int(fields[4], 16), int(fields[5], 16)
            if sec_addr <= address < sec_addr + sec_size:
                data = lib.read_bytes()[sec_off + address - sec_addr: sec_off + address - sec_addr + size]
                return data
    raise RuntimeError(f"{symbol} not found in a data section of {lib}")


def _verify(slim: Path, icuuc: Path, version: str) -> None:
    code = f"""
import ctypes, sys
ctypes.CDLL({str(slim)!r}, mode=ctypes.RTLD_GLOBAL)
uc = ctypes.CDLL({str(icuuc)!r}, mode=ctypes.RTLD_GLOBAL)
i18n = ctypes.CDLL({str(icuuc).replace('icuuc', 'icui18n')!r}, mode=ctypes.RTLD_GLOBAL)
getattr(i18n, 'ucol_open_{version}').restype = ctypes.c_void_p
getattr(i18n, 'ucol_close_{version}').argtypes = [ctypes.c_void_p]
status = ctypes.c_int(0)
getattr(uc, 'u_init_{version}')(ctypes.byref(status))
assert status.value <= 0, f'u_init: ICU error {{status.value}}'
for loc in (b'en_US', b'de_DE', b'fr_FR', b'ja_JP', b''):
    status = ctypes.c_int(0)
    coll = getattr(i18n, 'ucol_open_{version}')(loc, ctypes.byref(status))
    assert status.value <= 0 and coll, f'ucol_open({{loc}}): ICU error {{status.value}}'
    getattr(i18n, 'ucol_close_{version}')(coll)
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def main(out_dir: str) -> int:
    if not sys.platform.startswith("linux"):
        return 0
    import PySide6

    qt_lib = Path(PySide6.__file__).resolve().parent / "Qt" / "lib"
    libs = sorted(qt_lib.glob("libicudata.so.*"))
    tools = {name: _tool(name) for name in ("icupkg", "genccode", "gcc", "nm", "readelf")}
    if not libs:
        return 0  # this PySide6 build uses the system ICU
    if not all(tools.values()):
        missing = [n for n, p in tools.items() if not p]
        print(f"slim_icu: skipped, missing {missing} (Debian: apt-get install icu-devtools gcc binutils)",
              file=sys.stderr)
        return 0
    lib = libs[0]
    version = lib.name.rsplit(".", 1)[-1]  # libicudata.so.73 -> 73
    package = f"icudt{version}l"
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    target = out / lib.name
    if target.exists() and target.stat().st_mtime >= lib.stat().st_mtime and (out / "keep.stamp").exists() \
            and (out / "keep.stamp").read_text() == repr((sorted(KEEP_LANGUAGES), sorted(KEEP_CONVERTERS))):
        print(target)
        return 0
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        work = Path(tmp)
        full = work / f"{package}.dat"
        full.write_bytes(_extract_data(lib, f"icudt{version}_dat"))
        listing = subprocess.run([tools["icupkg"], "-l", str(full)], capture_output=True, text=True, check=True)
        items = [line.strip() for line in listing.stdout.splitlines() if line.strip()]
        prefix = f"{package}/"
        names = [i[len(prefix):] if i.startswith(prefix) else i for i in items]
        drop = [n for n in names if not _keep(n)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n")
        slim_dir = work / "slim"
        slim_dir.mkdir()
        slim_dat = slim_dir / f"{package}.dat"
        subprocess.run([tools["icupkg"], "--ignore-deps", "-r", str(work / "drop.txt"), str(full), str(slim_dat)],
                       check=True, capture_output=True)
        subprocess.run([tools["genccode"], "-q", "-a", "gcc", "-e", f"icudt{version}", "-d", str(work),
                        "-f", "icudata", str(slim_dat)], check=True)
        asm = work / "icudata.S"
        built = work / lib.name
        subprocess.run([tools["gcc"], "-shared", "-nostdlib", f"-Wl,-soname,{lib.name}", "-Wl,-z,noexecstack",
                        "-o", str(built), str(asm)], check=True)
        _verify(built, qt_lib / f"libicuuc.so.{version}", version)
        shutil.move(str(built), target)
        (out / "keep.stamp").write_text(repr((sorted(KEEP_LANGUAGES), sorted(KEEP_CONVERTERS))))
        print(f"slim_icu: {lib.name} {lib.stat().st_size // 2**20} MB -> {target.stat().st_size // 2**20} MB "
              f"({len(names) - len(drop)} of {len(names)} data items kept)", file=sys.stderr)
    print(target)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1]))
