"""UI dialogs."""
