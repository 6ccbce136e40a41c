"""Certificate screens: issuing and verification."""
