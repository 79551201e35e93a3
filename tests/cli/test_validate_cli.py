import json

from app.cli import main


def test_valid_example_gives_a_one_line_summary(example_paths, capsys):
    assert main(["validate", str(example_paths[0])]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "valid" in out[0] and "% answered" in out[0]


def test_damaged_file_exits_2_with_one_clear_message(tmp_path, capsys):
    bad = tmp_path / "bad.llmassess"
    bad.write_text("{ not json")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_newer_format_is_refused_with_a_message_that_says_so(tmp_path, example_paths, capsys):
    raw = json.loads(example_paths[0].read_text())
    raw["format_version"] = 99
    newer = tmp_path / "newer.llmassess"
    newer.write_text(json.dumps(raw))
    assert main(["validate", str(newer)]) == 2
    assert "newer version" in capsys.readouterr().err


def test_questionnaire_check(tmp_path, capsys):
    assert main(["questionnaire", "check", "questionnaires/llm-deployment.yaml"]) == 0
    assert "valid questionnaire 'llm-deployment'" in capsys.readouterr().out
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: '1'\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n"
                      "      - {id: size, kind: number, label: Size, min: 5, max: 1}\n")
    assert main(["questionnaire", "check", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "question 'size'" in err and "min 5.0 is above max 1.0" in err
