"""Where the dbt project is: inside the installed package, or beside it in a checkout.

A built wheel carries the project as `ecom_platform/dbt_project/` (setup.py copies it);
a source checkout and an editable install use `ecom_dbt/` at the top of the checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
PACKAGED_NAME = "dbt_project"
CHECKOUT_NAME = "ecom_dbt"


def dbt_project_dir(package_root: Path = PACKAGE_ROOT) -> Path:
    """The packaged copy when there is one, else the checkout's project."""
    for candidate in (package_root / PACKAGED_NAME, package_root.parent / CHECKOUT_NAME):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise FileNotFoundError(
        f"no dbt project in {package_root / PACKAGED_NAME} or {package_root.parent / CHECKOUT_NAME}"
        ": install ecom-platform from a wheel, or run from a source checkout"
    )
