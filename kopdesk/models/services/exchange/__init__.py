"""Exchange with other systems: ODS and office workbook import, reconciliation, consolidation."""
