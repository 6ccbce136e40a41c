"""The kop surat and the signature block that every official document of the office carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    """What the kop surat shows (from the office profile)."""

    government: str
    office: str
    address: str
    contact: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class Signatory:
    """The signature block: jabatan, name with gelar, pangkat/golongan and NIP (Permendagri 1/2023 Pasal 44)."""

    title: str
    name: str
    rank: str = ""
    nip: str = ""
