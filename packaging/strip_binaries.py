"""Linux: strip symbols from the bundle's binaries, safely.

PyInstaller's own `strip=True` runs binutils' strip on every library, which corrupts libraries that
auditwheel/patchelf rewrote inside wheels (numpy.libs/libscipy_openblas..., libgfortran...): the loader
then refuses them with "ELF load command address/offset not page-aligned". So the spec calls
`strip_toc()` instead: each binary is stripped into a cache folder, and the stripped copy is used only if
its PT_LOAD segments are still page-aligned (the loader's own check) and it got smaller; otherwise the
original is bundled untouched. libpython (17 MB of debug info in a pyenv build) is the big win.

    python packaging/strip_binaries.py --check dist/llm-advisor    # exit 1 if any ELF would not load
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

PAGE = 4096
PT_LOAD = 1


def load_segments_aligned(path: Path) -> bool:
    """False if the dynamic loader would reject the file (a PT_LOAD whose vaddr and offset differ mod page)."""
    with open(path, "rb") as handle:
        head = handle.read(64)
        if head[:4] != b"\x7fELF":
            return True
        is64, little = head[4] == 2, head[5] == 1
        end = "<" if little else ">"
        if is64:
            phoff, = struct.unpack_from(end + "Q", head, 0x20)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 0x36)
        else:
            phoff, = struct.unpack_from(end + "I", head, 0x1C)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 0x2A)
        handle.seek(phoff)
        table = handle.read(phentsize * phnum)
    for i in range(phnum):
        if is64:
            p_type, _flags, offset, vaddr = struct.unpack_from(end + "IIQQ", table, i * phentsize)
        else:
            p_type, offset, vaddr = struct.unpack_from(end + "III", table, i * phentsize)
        if p_type == PT_LOAD and (vaddr - offset) % PAGE:
            return False
    return True


def _is_elf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"\x7fELF"


def stripped_copy(src: str, cache_dir: Path, dest: str) -> str:
    """Path of a stripped copy of src when that is safe and smaller, else src itself."""
    source = Path(src)
    if not source.is_file() or not _is_elf(source):
        return src
    target = cache_dir / dest
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return str(target) if target.stat().st_size < source.stat().st_size else src
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    os.chmod(target, 0o755)
    done = subprocess.run(["strip", "--strip-unneeded", str(target)], capture_output=True)
    if done.returncode != 0 or not load_segments_aligned(target) or target.stat().st_size >= source.stat().st_size:
        shutil.copy2(source, target)  # cache the decision: same size means "use the original"
        return src
    os.utime(target, None)
    return str(target)


def strip_toc(binaries: list[tuple[str, str, str]], cache_dir: Path) -> tuple[list[tuple[str, str, str]], int]:
    """The TOC with stripped copies where safe; and the bytes saved."""
    if not shutil.which("strip"):
        print("strip_binaries: `strip` (binutils) not found; binaries left as they are", file=sys.stderr)
        return binaries, 0
    result, saved = [], 0
    for dest, src, kind in binaries:
        new = stripped_copy(src, cache_dir, dest) if kind in ("BINARY", "EXTENSION") else src
        if new != src:
            saved += Path(src).stat().st_size - Path(new).stat().st_size
        result.append((dest, new, kind))
    return result, saved


def check_bundle(folder: Path) -> list[Path]:
    bad = []
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink() and _is_elf(path) and not load_segments_aligned(path):
                bad.append(path)
    return bad


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--check":
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        raise SystemExit(2)
    broken = check_bundle(Path(sys.argv[2]))
    for path in broken:
        print(f"not loadable (PT_LOAD not page-aligned): {path}")
    raise SystemExit(1 if broken else 0)
