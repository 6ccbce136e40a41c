"""The import and export screen."""
