"""Administration: accounts and sign-in, the audit trail, backups, the office profile, shared settings."""
