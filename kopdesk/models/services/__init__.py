"""Use cases of kopdesk: every change to the data goes through a function here (Qt-free)."""
