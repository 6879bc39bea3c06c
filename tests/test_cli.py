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


@pytest.fixture
def landing(tmp_path, monkeypatch):
    """A landing zone with one file, so `run` gets as far as its start-up checks."""
    folder = tmp_path / "landing" / "orders" / "dt=2024-01-01"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text("order_id\n")
    monkeypatch.setenv("ECOM_LANDING_URI", str(tmp_path / "landing"))
    monkeypatch.setenv("ECOM_LAKE_URI", str(tmp_path / "lake"))
    monkeypatch.setenv("ECOM_WAREHOUSE", str(tmp_path / "wh" / "warehouse.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ECOM_START_DATE", "2024-01-01")
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "notes.duckdb").write_text("these are notes, not a database")
    return tmp_path


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ECOM_LAKE_URI", "a_file/lake", "ECOM_LAKE_URI: {root}/a_file/lake cannot be created"),
        ("ECOM_LAKE_URI", "a_file", "ECOM_LAKE_URI: {root}/a_file is not a folder"),
        ("ECOM_LAKE_URI", "/proc/ecom-lake", "ECOM_LAKE_URI: /proc/ecom-lake is not a writable"),
        ("ECOM_WAREHOUSE", "a_file/w.duckdb", "ECOM_WAREHOUSE's folder: {root}/a_file is not a"),
        ("ECOM_WAREHOUSE", "notes.duckdb", "{root}/notes.duckdb is not a DuckDB database file"),
        ("ECOM_WAREHOUSE", "lake_dir", "ECOM_WAREHOUSE: {root}/lake_dir is a folder"),
        ("DAGSTER_HOME", "a_file", "DAGSTER_HOME: {root}/a_file is not a folder"),
        ("DAGSTER_HOME", "/proc/ecom-home", "DAGSTER_HOME: /proc/ecom-home is not a writable"),
    ],
)
def test_bad_locations_stop_the_run_with_one_line_before_any_work(
    landing, variable, value, message, capsys, monkeypatch
):
    (landing / "lake_dir").mkdir()
    path = value if value.startswith("/") else str(landing / value)
    monkeypatch.setenv(variable, path)
    assert main(["run", "--start", "2024-01-01", "--end", "2024-01-01"]) == 2
    captured = capsys.readouterr()
    err_lines = captured.err.strip().splitlines()
    assert len(err_lines) == 1 and message.format(root=landing) in err_lines[0], captured.err
    assert not (landing / "home" / "logs").exists()  # no run started
