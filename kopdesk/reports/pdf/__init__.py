"""PDF documents: letters, certificates, field sheets and report tables."""
