"""PDF and Excel output of kopdesk (reportlab, openpyxl/xlsxwriter); never imports PySide6."""
