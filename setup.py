"""Build hook only (metadata is in pyproject.toml): the wheel carries the dbt project.

The project stays at the top of the checkout (`ecom_dbt/`, where dbt users and tools look
for it); a built wheel holds a copy as `ecom_platform/dbt_project/`, so an installed
package runs gold without a checkout (`ecom_platform.lib.dbt_location` finds either).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DBT_PROJECT = Path("ecom_dbt")
PACKAGED_AS = Path("ecom_platform") / "dbt_project"
# What dbt writes into a project folder: local state, never part of the package.
DBT_LOCAL_STATE = ("target", "logs", "dbt_packages", ".user.yml", "__pycache__")


class BuildPyWithDbtProject(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads ecom_dbt/ in the checkout
            return
        destination = Path(self.build_lib) / PACKAGED_AS
        shutil.rmtree(destination, ignore_errors=True)
        ignore = shutil.ignore_patterns(*DBT_LOCAL_STATE)
        shutil.copytree(DBT_PROJECT, destination, ignore=ignore)


setup(cmdclass={"build_py": BuildPyWithDbtProject})
