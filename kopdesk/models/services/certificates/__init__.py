"""Certificates: issuing with gapless serials and signed QR payloads, the register, verification."""
