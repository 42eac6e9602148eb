"""The workbook limits live in ``ingest.workbook_limits`` (a region's own workbook is read there too).

Kept here for the publisher's imports.
"""

from cnbudget.ingest.workbook_limits import check_archive, check_extent

__all__ = ["check_archive", "check_extent"]
