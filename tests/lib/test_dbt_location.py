from pathlib import Path

import pytest

from ecom_platform.lib.dbt_location import dbt_project_dir


def project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: ecom_dbt\n")
    return folder


def test_an_installed_package_uses_its_packaged_copy(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "ecom_platform"
    packaged = project(package / "dbt_project")
    project(tmp_path / "site-packages" / "ecom_dbt")  # something else's folder beside it
    assert dbt_project_dir(package) == packaged


def test_a_checkout_uses_the_project_beside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "ecom_platform"
    package.mkdir()
    (package / "dbt_project").mkdir()  # an empty leftover folder is no project
    checkout = project(tmp_path / "ecom_dbt")
    assert dbt_project_dir(package) == checkout


def test_no_project_anywhere_names_both_places(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dbt_project.*ecom_dbt"):
        dbt_project_dir(tmp_path / "ecom_platform")


def test_this_checkout_resolves_to_its_ecom_dbt() -> None:
    assert dbt_project_dir() == Path(__file__).resolve().parents[2] / "ecom_dbt"
