"""cnbudget: read, check, produce and compare Chinese department budget and final-account disclosures."""

__version__ = "0.1.0"
