"""UI itemmodels."""
