import pytest

from ecom_platform.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--start", "2024-02-30", "--end", "2024-03-01"], "'2024-02-30' is not a date"),
        (["generate", "--defect-rate", "1.5"], "is not a share between 0 and 1"),
        (["generate", "--days", "0"], "is not a whole number >= 1"),
    ],
)
def test_malformed_arguments_are_rejected_with_usage(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--start", "2024-01-05", "--end", "2024-01-01"], "is before --start"),
        (["run", "--start", "2023-12-31", "--end", "2024-01-01"], "before the first partition"),
        (["run", "--start", "2024-01-01", "--end", "2999-01-01"], "after the last partition"),
    ],
)
def test_impossible_ranges_give_a_clear_message_not_a_traceback(argv, message, capsys, monkeypatch):
    monkeypatch.delenv("ECOM_START_DATE", raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_run_on_an_empty_landing_says_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ECOM_LANDING_URI", str(tmp_path / "landing"))
    monkeypatch.setenv("ECOM_LAKE_URI", str(tmp_path / "lake"))
    assert main(["run", "--start", "2024-01-01", "--end", "2024-01-02"]) == 2
    assert "no landing files under" in capsys.readouterr().err


def test_a_bad_setting_is_reported_by_name(capsys, monkeypatch):
    monkeypatch.setenv("ECOM_TARGET", "gcp")
    assert main(["run", "--start", "2024-01-01", "--end", "2024-01-01"]) == 2
    assert "ECOM_TARGET='gcp'" in capsys.readouterr().err


def test_a_bad_quarantine_threshold_stops_the_run_before_any_work(capsys, monkeypatch):
    monkeypatch.setenv("ECOM_QUARANTINE_MIN_ROWS", "many")
    assert main(["run", "--start", "2024-01-01", "--end", "2024-01-01"]) == 2
    err = capsys.readouterr().err
    assert "ECOM_QUARANTINE_MIN_ROWS='many'" in err and "Traceback" not in err


def test_the_aws_target_names_every_missing_variable_at_start_up(capsys, monkeypatch):
    monkeypatch.setenv("ECOM_TARGET", "aws")
    monkeypatch.setenv("ECOM_LAKE_URI", "s3://lake/lake")
    monkeypatch.delenv("ECOM_GLUE_JOB_NAME", raising=False)
    assert main(["run", "--start", "2024-01-01", "--end", "2024-01-01"]) == 2
    assert "ECOM_GLUE_JOB_NAME" in capsys.readouterr().err
