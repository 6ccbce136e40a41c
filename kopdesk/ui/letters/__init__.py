"""Letter screens: the teguran queue and the letter register (Buku Agenda Surat)."""
