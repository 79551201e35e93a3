"""The packaging files (packaging/**), checked without building anything: the PyInstaller spec reads name and
version from pyproject.toml and lays out the resources where the locator looks; the Linux desktop entry and
MIME type, the macOS Info.plist and the Windows installer script declare the .llmassess association; the
icons exist at every size. The full build + smoke test is `packaging/build` (minutes): it runs here only
with LLM_ADVISOR_TEST_BUNDLE=1 (see packaging/README.md for its last result)."""

from __future__ import annotations

import ast
import configparser
import os
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
SPEC = PACKAGING / "llm-advisor.spec"
ICONS = REPO / "app" / "assets" / "icons"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
MIME_TYPE = "application/x-llmassess"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


# --- the spec ------------------------------------------------------------------------------------------------

def test_spec_is_python_and_reads_name_and_version_from_pyproject():
    source = SPEC.read_text(encoding="utf-8")
    ast.parse(source)
    assert "tomllib.load" in source and "pyproject.toml" in source
    assert not re.search(r"^(VERSION|DIST_NAME)\s*=\s*[\"']", source, re.M), "name and version are not hard-coded"


class _Recorder:
    """Stands in for PyInstaller's Analysis/PYZ/EXE/COLLECT/BUNDLE: records what the spec asks for."""

    calls: list[tuple[str, tuple, dict]]

    def __init__(self, kind, calls):
        self.kind, self.calls = kind, calls

    def __call__(self, *args, **kwargs):
        self.calls.append((self.kind, args, kwargs))
        result = type(self.kind, (), {})()
        result.binaries, result.datas, result.pure, result.scripts = [
            ("PySide6/Qt/lib/libQt6Quick.so.6", "/x/libQt6Quick.so.6", "BINARY"),
            ("PySide6/Qt/lib/libQt6Widgets.so.6", "/x/libQt6Widgets.so.6", "BINARY"),
        ], list(kwargs.get("datas", [])) + [
            ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA"),
            ("PySide6/Qt/translations/qtbase_en.qm", "/x/qtbase_en.qm", "DATA"),
        ], [], []
        return result


@pytest.fixture
def executed_spec(monkeypatch):
    """The spec run with recorders instead of PyInstaller's build steps (needs PyInstaller importable)."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the `packaging` extra")
    import PyInstaller.utils.hooks.qt as pyi_qt

    monkeypatch.setenv("LLM_ADVISOR_FULL_ICU", "1")  # do not build the slim ICU library in a unit test
    monkeypatch.delenv("LLM_ADVISOR_ONEFILE", raising=False)
    monkeypatch.setattr(pyi_qt.QtLibraryInfo, "collect_plugins", pyi_qt.QtLibraryInfo.collect_plugins)
    calls: list = []
    namespace = {"SPECPATH": str(PACKAGING), "__file__": str(SPEC), "__name__": "__main__"}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[kind] = _Recorder(kind, calls)
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    namespace["_calls"] = calls
    return namespace


def test_spec_takes_name_and_version_from_pyproject(executed_spec):
    assert executed_spec["VERSION"] == PROJECT["version"]
    assert executed_spec["DIST_NAME"] == PROJECT["name"]
    assert executed_spec["EXE_NAME"] in PROJECT["scripts"]
    exes = [kwargs for kind, _, kwargs in executed_spec["_calls"] if kind == "EXE"]
    assert exes and exes[0]["name"] == "llm-advisor"
    collected = [kwargs for kind, _, kwargs in executed_spec["_calls"] if kind == "COLLECT"]
    assert collected and collected[0]["name"] == "llm-advisor", "one-folder bundle is the default"


def test_spec_bundles_every_resource_kind_at_the_bundle_root_where_the_locator_looks(executed_spec, tmp_path,
                                                                                     monkeypatch):
    from app.storage import resources

    assert set(executed_spec["RESOURCE_FOLDERS"]) == set(resources.RESOURCE_KINDS)
    (analysis_kwargs,) = [kwargs for kind, _, kwargs in executed_spec["_calls"] if kind == "Analysis"]
    dests = {dest.split("/")[0].split("\\")[0] for _, dest in analysis_kwargs["datas"]}
    for kind in ("questionnaires", "catalogs", "examples", "fonts", "icons"):
        assert kind in dests, f"{kind}/ is not bundled"
    assert not any(src.endswith(".py") for src, _ in analysis_kwargs["datas"]), "scripts are not data"
    assert any(src.endswith(".llmassess") for src, _ in analysis_kwargs["datas"])
    # The frozen layout: sys._MEIPASS/<kind>/ is what the locator returns.
    for kind in resources.RESOURCE_KINDS:
        (tmp_path / kind).mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for kind in resources.RESOURCE_KINDS:
        assert resources.bundled_dir(kind) == tmp_path / kind


def test_spec_prunes_qt_parts_the_app_does_not_use(executed_spec):
    (analysis_kwargs,) = [kwargs for kind, _, kwargs in executed_spec["_calls"] if kind == "Analysis"]
    excludes = set(analysis_kwargs["excludes"])
    for module in ("QtQml", "QtQuick", "QtPdf", "QtMultimedia", "QtWebEngineCore", "Qt3DCore", "QtCharts",
                   "QtNetwork"):
        assert f"PySide6.{module}" in excludes
    for module in ("QtCore", "QtGui", "QtWidgets", "QtSvg"):
        assert f"PySide6.{module}" not in excludes
    assert "app.cli.validate" in analysis_kwargs["hiddenimports"], "lazily imported subcommands are bundled"
    keep = executed_spec["_keep_plugin"]
    for plugin_type, name in [("platforms", "libqoffscreen.so"), ("platforms", "libqxcb.so"),
                              ("platforms", "libqwayland.so"), ("imageformats", "libqsvg.so"),
                              ("iconengines", "libqsvgicon.so"), ("platforms", "qwindows.dll"),
                              ("platforms", "libqcocoa.dylib"), ("platforminputcontexts", "libibusplatforminputcontextplugin.so")]:
        assert keep(plugin_type, name), (plugin_type, name)
    for plugin_type, name in [("platforminputcontexts", "libqtvirtualkeyboardplugin.so"),
                              ("imageformats", "libqpdf.so"), ("platformthemes", "libqgtk3.so"),
                              ("platforms", "libqeglfs.so"), ("qmltooling", "libqmldbg_debugger.so"),
                              ("tls", "libqopensslbackend.so"), ("sqldrivers", "libqsqlite.so")]:
        assert not keep(plugin_type, name), (plugin_type, name)
    dropped = executed_spec["_is_dropped"]
    assert dropped("PySide6/Qt/lib/libQt6Quick.so.6") and dropped("PySide6/Qt/lib/QtQml.framework/QtQml")
    assert not dropped("PySide6/Qt/lib/libQt6Widgets.so.6") and not dropped("PySide6/Qt/lib/libQt6Svg.so.6")
    assert dropped("PySide6/Qt/translations/qtbase_de.qm") and not dropped("PySide6/Qt/translations/qtbase_en.qm")
    for kept in ("root", "en", "en_GB", "de", "de_CH", "ja", "zh_Hant_HK"):
        assert not dropped(f"babel/locale-data/{kept}.dat"), kept
    for pruned in ("yue", "sw_KE", "zu", "kok"):
        assert dropped(f"babel/locale-data/{pruned}.dat"), pruned


def test_slim_icu_keeps_core_tables_and_chosen_languages_only():
    sys.path.insert(0, str(PACKAGING))
    try:
        import slim_icu
    finally:
        sys.path.remove(str(PACKAGING))
    keep = slim_icu._keep
    for item in ("root.res", "pool.res", "coll/ucadata.icu", "coll/en.res", "en_GB.res", "uprops.icu",
                 "supplementalData.res", "zoneinfo64.res", "likelySubtags.res", "brkitr/line.brk", "en_US_POSIX.res"):
        assert keep(item), item
    for item in ("ja.res", "coll/zh.res", "coll/de.res", "brkitr/cjdict.dict", "gb18030.cnv", "zh_Hant_TW.res",
                 "translit/root.res"):
        assert not keep(item), item


# --- Linux ---------------------------------------------------------------------------------------------------

def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(PACKAGING / "linux" / "llm-advisor.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_llmassess_files():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "LLM Deployment Advisor"
    assert entry["Exec"].split()[0] == "llm-advisor" and "%f" in entry["Exec"].split()
    assert entry["Icon"] == "llm-advisor"
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";") and entry["MimeType"].endswith(";")
    assert entry["Categories"].endswith(";")


def test_mime_type_xml_declares_the_llmassess_glob():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(PACKAGING / "linux" / "llm-advisor-mime.xml").getroot()
    assert root.tag == "{%s}mime-info" % ns["m"]
    (mime,) = root.findall("m:mime-type", ns)
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall("m:glob", ns)] == ["*.llmassess"]
    assert mime.find("m:comment", ns).text


@pytest.mark.skipif(sys.platform != "linux" or not shutil.which("bash"), reason="Linux desktop integration")
def test_install_user_script_installs_entry_mime_type_and_icons_into_a_home(tmp_path):
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    shutil.copytree(ICONS, bundle / "_internal" / "icons")
    (bundle / "llm-advisor").write_text("#!/bin/sh\nexit 0\n")
    (bundle / "llm-advisor").chmod(0o755)
    home = tmp_path / "home"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    done = subprocess.run(["bash", str(PACKAGING / "linux" / "install-user.sh"), str(bundle)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    installed = home / ".local" / "opt" / "llm-advisor" / "llm-advisor"
    assert installed.is_file()
    assert (home / ".local" / "bin" / "llm-advisor").resolve() == installed.resolve()
    desktop = (home / ".local/share/applications/llm-advisor.desktop").read_text()
    assert f"Exec={installed} %f" in desktop
    assert (home / ".local/share/mime/packages").glob("*.xml")
    assert (home / ".local/share/icons/hicolor/256x256/apps/llm-advisor.png").is_file()
    assert (home / ".local/share/icons/hicolor/scalable/apps/llm-advisor.svg").is_file()
    mimeapps = home / ".config" / "mimeapps.list"
    if not shutil.which("xdg-mime"):
        assert f"{MIME_TYPE}=llm-advisor.desktop" in mimeapps.read_text()
    done = subprocess.run(["bash", str(PACKAGING / "linux" / "install-user.sh"), "--uninstall"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not installed.exists() and not (home / ".local/share/applications/llm-advisor.desktop").exists()


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
@pytest.mark.parametrize("script", ["build", "smoke_test.sh", "linux/install-user.sh", "macos/make_icns.sh"])
def test_shell_scripts_parse(script):
    path = PACKAGING / script
    assert os.access(path, os.X_OK), f"{script} must be executable"
    done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- macOS ---------------------------------------------------------------------------------------------------

def test_info_plist_declares_the_llmassess_document_type():
    with open(PACKAGING / "macos" / "Info.plist", "rb") as handle:
        plist = plistlib.load(handle)
    (doc_type,) = plist["CFBundleDocumentTypes"]
    assert doc_type["CFBundleTypeExtensions"] == ["llmassess"]
    assert doc_type["CFBundleTypeRole"] == "Editor" and doc_type["LSHandlerRank"] == "Owner"
    (exported,) = plist["UTExportedTypeDeclarations"]
    assert exported["UTTypeIdentifier"] in doc_type["LSItemContentTypes"]
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["llmassess"]
    assert MIME_TYPE in exported["UTTypeTagSpecification"]["public.mime-type"]
    assert "public.data" in exported["UTTypeConformsTo"]
    assert plist["CFBundleExecutable"] == "llm-advisor"
    assert plist["NSHighResolutionCapable"] is True


# --- Windows -------------------------------------------------------------------------------------------------

def test_inno_setup_script_associates_llmassess_and_uses_the_icon():
    iss = (PACKAGING / "windows" / "llm-advisor.iss").read_text(encoding="utf-8")
    assert "ChangesAssociations=yes" in iss
    assert r'Subkey: "Software\Classes\.llmassess"' in iss
    assert r'shell\open\command' in iss and '""%1""' in iss
    assert "PrivilegesRequired=lowest" in iss, "consultants install without admin rights"
    assert r"SetupIconFile={#RepoRoot}\app\assets\icons\llm-advisor.ico" in iss
    assert r'Source: "{#RepoRoot}\dist\llm-advisor\*"' in iss


# --- icons ---------------------------------------------------------------------------------------------------

def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icons_exist_at_every_size():
    ET.parse(ICONS / "llm-advisor.svg")  # well-formed
    for size in PNG_SIZES:
        assert _png_size(ICONS / f"llm-advisor-{size}.png") == (size, size)


def test_windows_icon_holds_several_sizes():
    data = (ICONS / "llm-advisor.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = set()
    for i in range(count):
        width, _height, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i: 22 + 16 * i])
        sizes.add(width or 256)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(data)
    assert {16, 32, 48, 256} <= sizes


# --- the full build (slow; opt-in) ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("LLM_ADVISOR_TEST_BUNDLE") != "1",
                    reason="builds the frozen app (minutes): set LLM_ADVISOR_TEST_BUNDLE=1 (or run packaging/build)")
@pytest.mark.skipif(sys.platform != "linux", reason="packaging/build builds the Linux bundle")
def test_packaging_build_builds_prunes_and_passes_the_smoke_test():
    done = subprocess.run([str(PACKAGING / "build")], cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "smoke_test: PASS" in done.stdout
