"""The Dagster UI in a real headless Chromium: lineage, partitions, per-day checks, and a
two-day backfill launched by clicking.

A real `dagster dev` (webserver, daemon, code server) on a free loopback port with its own
DAGSTER_HOME serves generated landing data; Playwright drives Debian's /usr/bin/chromium
(no browser download). Screenshots go to test-output/ui/ (git-ignored); with
ECOM_DOCS_IMAGES set (`make docs-images`) the README's two images are refreshed there too.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ecom_platform.generator import generate
from tests.dagster_dev import ROOT, DagsterDev

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DAYS = ("2024-01-01", "2024-01-02")
SHOTS = ROOT / "test-output" / "ui"
README_IMAGES = {"asset-graph.png": "asset-graph.png", "checks.png": "asset-checks.png"}
UPSTREAM_QUERY = """query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) {
    ... on AssetNode { dependencyKeys { path } } } }"""
PARTITIONS_QUERY = """query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) {
    ... on AssetNode { assetPartitionStatuses { ... on TimePartitionStatuses {
        ranges { status startKey endKey } } } } } }"""


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterDev]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make browser`")
    base = tmp_path_factory.mktemp("ui")
    landing = base / "landing"
    generate(out=str(landing), start=date(2024, 1, 1), days=2, scale=0.1, seed=3, defect_rate=0)
    env = {
        "ECOM_LANDING_URI": str(landing),
        "ECOM_LAKE_URI": str(base / "lake"),
        "ECOM_WAREHOUSE": str(base / "warehouse.duckdb"),
        "ECOM_LANDING_SENSOR": "stopped",  # the test, not the sensor, launches the days
    }
    server = DagsterDev(base / "home", env).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(dev: DagsterDev):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser.new_page(viewport={"width": 1600, "height": 1000})
        finally:
            browser.close()


def visit(page, dev: DagsterDev, path: str, settle_ms: int = 4000) -> None:
    """Open a UI route; dismiss the "Join the Dagster community" dialog when it shows."""
    page.goto(dev.url + path)
    page.wait_for_timeout(settle_ms)
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.click()
        page.wait_for_timeout(500)


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name))
    target = os.environ.get("ECOM_DOCS_IMAGES")
    if target and name in README_IMAGES:
        shutil.copy(SHOTS / name, ROOT / target / README_IMAGES[name])


def upstream(dev: DagsterDev, path: list[str]) -> set[str]:
    node = dev.graphql(UPSTREAM_QUERY, {"key": {"path": path}})["data"]["assetNodeOrError"]
    return {"/".join(key["path"]) for key in node["dependencyKeys"]}


def materialized_days(dev: DagsterDev, path: list[str]) -> set[str]:
    node = dev.graphql(PARTITIONS_QUERY, {"key": {"path": path}})["data"]["assetNodeOrError"]
    days = set()
    for span in node["assetPartitionStatuses"]["ranges"]:
        if span["status"] == "MATERIALIZED":
            days |= {d for d in DAYS if span["startKey"] <= d <= span["endKey"]}
    return days


def test_asset_graph_shows_lineage_from_landing_to_marts(page, dev: DagsterDev):
    visit(page, dev, "/asset-groups")
    for group in ("bronze", "silver", "gold_staging", "gold_intermediate", "gold_marts"):
        assert page.get_by_text(group, exact=True).first.is_visible(), group
    shot(page, "asset-graph.png")
    assert "bronze/orders" in upstream(dev, ["silver", "orders"])
    assert "silver/orders" in upstream(dev, ["gold", "stg_orders"])
    assert upstream(dev, ["gold", "fact_order_items"])


def test_a_two_day_backfill_launched_by_clicking_turns_green(page, dev: DagsterDev):
    visit(page, dev, "/asset-groups")
    page.get_by_role("button", name="Materialize all…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Show all partitions").click()
    selection = dialog.locator("input[type=text]").first
    selection.fill(f"[{DAYS[0]}...{DAYS[1]}]")
    selection.press("Enter")
    page.wait_for_timeout(1000)
    assert dialog.get_by_text("2 partitions").is_visible()
    shot(page, "backfill-dialog.png")
    dialog.get_by_role("button", name="Launch backfill").click()

    deadline = time.monotonic() + 900
    fact = ["gold", "fact_order_items"]
    while materialized_days(dev, fact) != set(DAYS):
        assert time.monotonic() < deadline, "the backfill did not materialize both days"
        time.sleep(5)
    visit(page, dev, "/assets/gold/fact_order_items?view=partitions")
    shot(page, "partitions.png")
    assert materialized_days(dev, ["silver", "orders"]) == set(DAYS)


def test_checks_show_a_result_per_day(page, dev: DagsterDev):
    visit(page, dev, "/assets/silver/orders?view=checks")
    assert page.get_by_text("quarantine_rate").first.is_visible()
    page.get_by_text("quarantine_rate").first.click()
    page.get_by_text("Execution history").click()
    page.wait_for_timeout(3000)
    shot(page, "checks.png")
    for day in DAYS:
        assert page.get_by_text(day).first.is_visible(), day
