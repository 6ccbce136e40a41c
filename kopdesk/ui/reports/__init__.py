"""Report screens: Beranda (the office's figures) and Laporan."""
