from app.engine.evaluate import evaluate_core
from app.engine.rebaseline import compare
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs


def test_same_catalogs_are_unchanged(example_paths):
    catalogs = load_catalogs()
    assessment = load_assessment(example_paths[0])
    result = evaluate_core(assessment, catalogs)
    assert compare(catalogs, catalogs, result, result).unchanged


def test_changes_list_values_versions_and_results(example_paths):
    old = load_catalogs()
    data = old.model_dump(mode="json")
    data["hardware"]["version"] += "-next"
    engineer = data["pricing"]["assumptions"]["ml_engineer_usd_per_year"]
    engineer["default"] = engineer["high"]
    data["hardware"]["gpus"]["a100-80gb"]["source"]["notes"] = "re-checked"
    new = type(old).model_validate(data)
    assessment = next(load_assessment(p) for p in example_paths if "midsize" in p.name)
    report = compare(old, new, evaluate_core(assessment, old), evaluate_core(assessment, new))
    assert not report.unchanged
    assert any(v.startswith("hardware ") for v in report.versions)
    assert any("ml_engineer_usd_per_year.default" in line for line in report.value_changes)
    assert report.provenance_changes == 1  # a new note is counted, not listed
    cloud = next(c for c in report.result_changes if c.subject == "self_host_cloud")
    assert cloud.new > cloud.old  # a dearer engineer: both are monthly USD, for each reader to print
