"""The registry of cooperatives: entry and edits with validation and history, the form's data, regions."""
