"""dbt's `modules` context (Python's datetime), for the SQL linter's templater."""

import datetime  # noqa: F401  (used by templates as modules.datetime)
