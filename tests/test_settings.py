import pytest

from ecom_platform.settings import SettingsError, Target, load_aws_settings, load_settings


def test_defaults_are_the_embedded_local_ones():
    settings = load_settings({})
    assert settings.landing_uri == "data/landing"
    assert settings.lake_uri == "data/lake"
    assert settings.warehouse == "data/warehouse.duckdb"
    assert settings.target is Target.LOCAL
    assert settings.start_date.isoformat() == "2024-01-01"
    assert settings.spark_master == "local[2]"
    limits = settings.quarantine
    assert (limits.warn, limits.fail, limits.min_rows) == (0.05, 0.20, 50)
    assert settings.warehouse_lock_timeout_s == 60
    assert settings.landing_sensor_running
    assert settings.gold_deadline.isoformat() == "06:00:00"


def test_sensor_can_start_stopped_and_the_deadline_moves():
    settings = load_settings({"ECOM_LANDING_SENSOR": "STOPPED", "ECOM_GOLD_DEADLINE": "09:30"})
    assert not settings.landing_sensor_running
    assert settings.gold_deadline.isoformat() == "09:30:00"


def test_values_come_from_the_environment():
    settings = load_settings(
        {
            "ECOM_LANDING_URI": "s3://landing-bucket/raw",
            "ECOM_LAKE_URI": "s3://lake-bucket/lake",
            "ECOM_TARGET": "AWS",
            "ECOM_START_DATE": "2023-06-01",
        }
    )
    assert settings.landing_uri == "s3://landing-bucket/raw"
    assert settings.target is Target.AWS
    assert settings.start_date.isoformat() == "2023-06-01"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ECOM_TARGET": "gcp"}, "ECOM_TARGET='gcp' is not one of: local, aws"),
        ({"ECOM_LANDING_URI": "gs://bucket/x"}, "ECOM_LANDING_URI='gs://bucket/x' has unsupported"),
        ({"ECOM_LAKE_URI": "s3://"}, "names no bucket"),
        ({"ECOM_START_DATE": "01/02/2024"}, "ECOM_START_DATE='01/02/2024' is not a date"),
        ({"ECOM_LAKE_URI": "s3://lake/x"}, "ECOM_TARGET=local"),
        ({"ECOM_QUARANTINE_WARN_RATE": "high"}, "ECOM_QUARANTINE_WARN_RATE='high' is not a number"),
        ({"ECOM_WAREHOUSE_LOCK_TIMEOUT_S": "-5"}, "TIMEOUT_S=.-5. is not a whole"),
        ({"ECOM_WAREHOUSE_LOCK_TIMEOUT_S": "1m"}, "TIMEOUT_S=.1m. is not a whole"),
        ({"ECOM_QUARANTINE_FAIL_RATE": "1.5"}, "ECOM_QUARANTINE_FAIL_RATE='1.5' is not a number"),
        ({"ECOM_QUARANTINE_WARN_RATE": "0.5"}, "WARN_RATE=0.5 is above ECOM_QUARANTINE_FAIL_RATE"),
        ({"ECOM_QUARANTINE_MIN_ROWS": "-3"}, "ECOM_QUARANTINE_MIN_ROWS='-3' is not a whole number"),
        ({"ECOM_LANDING_SENSOR": "on"}, "ECOM_LANDING_SENSOR='on' is not one of: running, stopped"),
        ({"ECOM_GOLD_DEADLINE": "6am"}, "ECOM_GOLD_DEADLINE='6am' is not a time of day"),
        ({"ECOM_GOLD_DEADLINE": "25:00"}, "ECOM_GOLD_DEADLINE='25:00' is not a time of day"),
    ],
)
def test_bad_values_fail_with_a_message_naming_the_variable(env, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace("?", r"\?")):
        load_settings(env)


def test_aws_settings_list_every_missing_variable():
    with pytest.raises(SettingsError) as error:
        load_aws_settings({"AWS_REGION": "eu-west-1"})
    assert "ECOM_GLUE_JOB_NAME" in str(error.value)
    assert "ECOM_REDSHIFT_HOST" in str(error.value)
    assert "AWS_REGION" not in str(error.value)
