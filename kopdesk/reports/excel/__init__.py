"""Excel workbooks: report tables, registry exports and templates."""
