"""LibreOffice headless for the export tests: recalculate a workbook, convert a document to PDF.

A private user profile sets "recalculate on load: always" for OOXML files (LibreOffice otherwise trusts the
cached values of a file that says Excel wrote it), and keeps the tests off the developer's own profile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    assert path, "LibreOffice (soffice) is required: .ci/install-system-deps installs it"
    return path


def convert(source: Path, to: str, work: Path) -> Path:
    """Convert `source` with LibreOffice headless into work/out; the converted file's path."""
    profile = work / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE)
    out = work / "out"
    result = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                             "--convert-to", to, "--outdir", str(out), str(source)],
                            capture_output=True, text=True, timeout=240)
    converted = out / (source.stem + "." + to.split(":")[0])
    assert result.returncode == 0 and converted.exists(), result.stderr
    return converted
