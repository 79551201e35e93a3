"""LibreOffice headless for the export tests: recalculate a workbook, convert a document to PDF.

A private user profile sets "recalculate on load" for OOXML files to always (LibreOffice otherwise trusts the
cached values of a file that says Excel wrote it) or, to read what a viewer that never recalculates shows, to
never; it also keeps the tests off the developer's own profile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>{mode}</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    assert path, "LibreOffice (soffice) is required: .ci/install-system-deps installs it"
    return path


RECALC_ALWAYS, RECALC_NEVER = 0, 1


def convert(source: Path, to: str, work: Path, *, recalc: int = RECALC_ALWAYS) -> Path:
    """Convert `source` with LibreOffice headless into work/out; the converted file's path."""
    profile = work / f"lo-profile-{recalc}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE.format(mode=recalc))
    out = work / "out"
    result = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                             "--convert-to", to, "--outdir", str(out), str(source)],
                            capture_output=True, text=True, timeout=240)
    converted = out / (source.stem + "." + to.split(":")[0])
    assert result.returncode == 0 and converted.exists(), result.stderr
    return converted
