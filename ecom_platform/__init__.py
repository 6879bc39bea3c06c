"""ecom-platform: a Dagster asset-based e-commerce analytics platform."""

__version__ = "0.1.0"
