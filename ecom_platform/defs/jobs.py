"""The one job that schedules and sensors launch: every asset (and check) for given partitions."""

import dagster as dg

DAILY_PIPELINE = "daily_pipeline"

daily_pipeline = dg.define_asset_job(DAILY_PIPELINE, selection=dg.AssetSelection.all())
