"""Letters: the surat teguran queue, issuing with gapless numbers, and the register."""
