"""The one resource locator: user data folder first, then the bundled copies, also from an installed wheel."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.storage.resources import find_resource, list_resources, resource_dirs, user_data_dir

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_bundled_resources_are_found(advisor_home):
    assert find_resource("questionnaires", "llm-deployment.yaml").parent == REPO_ROOT / "questionnaires"
    assert len(list_resources("examples", "*.llmassess")) >= 4


def test_user_folder_wins_over_the_bundled_copy(advisor_home):
    user_copy = user_data_dir() / "questionnaires" / "llm-deployment.yaml"
    user_copy.parent.mkdir(parents=True)
    user_copy.write_text("id: custom\n")
    assert find_resource("questionnaires", "llm-deployment.yaml") == user_copy
    assert user_copy in list_resources("questionnaires", "*.yaml")
    assert resource_dirs("questionnaires")[0] == user_copy.parent


def test_missing_resource_says_where_it_looked(advisor_home):
    with pytest.raises(FileNotFoundError, match="questionnaires"):
        find_resource("questionnaires", "nope.yaml")


@pytest.mark.slow
def test_installed_wheel_carries_its_data_files(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheel_dir), str(REPO_ROOT)], check=True, capture_output=True)
    wheel = next(wheel_dir.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for kind, name in [("questionnaires", "llm-deployment.yaml"), ("examples", "bank-low-latency.llmassess")]:
        assert f"app/_resources/{kind}/{name}" in names
    assert any(n.startswith("app/_resources/catalogs/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("app/_resources/templates/") for n in names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    probe = ("from app.storage.resources import find_resource;"
             "print(find_resource('questionnaires', 'llm-deployment.yaml'))")
    env = {**os.environ, "PYTHONPATH": str(target), "LLM_ADVISOR_HOME": str(tmp_path / "home")}
    found = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert Path(found) == target / "app" / "_resources" / "questionnaires" / "llm-deployment.yaml"
