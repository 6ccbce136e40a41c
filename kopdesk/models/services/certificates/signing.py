"""The office's signing key (Ed25519) and the compact signed payload that a certificate's QR code carries.

The key pair is made on first use and kept in :func:`kopdesk.paths.keys_dir` (per user, file mode 0600), never
in the shared database, so an operator with database rights cannot sign. The public key is exported as a PEM file
and the public keys the office trusts (its own, those of other PCs of the office) are kept in the shared setting
``certificate.public_keys``, so a certificate signed on one PC verifies on every other.

Payload (text in the QR, QR alphanumeric mode)::

    "KD1:" + base45( 0x01 | key_id (4 bytes) | signature (64 bytes) | zlib(JSON of the facts) )

The signature covers ``DOMAIN | key_id | zlib body``: change one character and it no longer verifies. The check
code printed under the QR is derived from the signature (8 characters, Crockford base32, e.g. ``7KQ2-M9XD``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "KD1:"
VERSION = 1
DOMAIN = b"kopdesk-certificate-v1\x00"
SETTING_KEY = "certificate.public_keys"
PRIVATE_FILE = "office-ed25519.pem"
MAX_TEXT = 4296  # the most a QR code holds in alphanumeric mode
MAX_FACTS = 16384  # bytes of JSON after inflating: a zip bomb stops here
PUBLIC_FILE = "office-ed25519.pub.pem"

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_INDEX = {ch: i for i, ch in enumerate(B45)}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class PayloadError(ValueError):
    """The text is not a KopDesk certificate payload (the message is Indonesian)."""


# --- base45 (RFC 9285) --------------------------------------------------------------------------------------------

def b45encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        e, n = divmod(n, 45 * 45)
        d, c = divmod(n, 45)
        out += (B45[c], B45[d], B45[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (B45[c], B45[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        values = [_B45_INDEX[ch] for ch in text]
    except KeyError as exc:
        raise PayloadError(f"karakter tidak sah dalam kode: {exc.args[0]!r}") from None
    if len(values) % 3 == 1:
        raise PayloadError("panjang kode tidak sah (ada karakter yang hilang atau berlebih)")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i:i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise PayloadError("kode rusak (nilai di luar jangkauan)")
            out += bytes((n >> 8, n & 0xFF))
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise PayloadError("kode rusak (nilai di luar jangkauan)")
            out.append(n)
    return bytes(out)


# --- keys -------------------------------------------------------------------------------------------------------

def key_id_of(public: Ed25519PublicKey) -> str:
    """8 hex digits naming a public key (the first 4 bytes of the SHA-256 of its raw form)."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:8]


def public_raw_b64(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass(frozen=True)
class OfficeKey:
    """The office's key pair as loaded from the keys folder."""

    private: Ed25519PrivateKey
    path: Path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public)


_cache: dict[str, OfficeKey] = {}


def keys_folder() -> Path:
    from kopdesk.paths import keys_dir

    return keys_dir()


def office_key(folder: Path | None = None) -> OfficeKey:
    """The office's key pair, created on first use (private key file mode 0600, public key beside it)."""
    folder = Path(folder) if folder is not None else keys_folder()
    path = folder / PRIVATE_FILE
    cached = _cache.get(str(path))
    if cached is not None and path.exists():
        return cached
    if path.exists():
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise PayloadError(f"berkas kunci {path} bukan kunci Ed25519")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, pem)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        (folder / PUBLIC_FILE).write_bytes(public_pem(private.public_key()))
    key = OfficeKey(private=private, path=path)
    _cache[str(path)] = key
    return key


def export_public_key(target: str | Path, key: OfficeKey | None = None) -> Path:
    """Write the office's public key as a PEM file (to give to another PC or to an auditor)."""
    key = key or office_key()
    target = Path(target)
    target.write_bytes(public_pem(key.public))
    return target


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """A public key from a PEM file exported by :func:`export_public_key`."""
    data = Path(path).read_bytes()
    try:
        public = serialization.load_pem_public_key(data)
    except ValueError:
        raise PayloadError(f"berkas {path} bukan kunci publik PEM") from None
    if not isinstance(public, Ed25519PublicKey):
        raise PayloadError(f"berkas {path} bukan kunci publik Ed25519")
    return public


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


# --- trusted keys in the shared settings -----------------------------------------------------------------------------

def trusted_entries(session: Any) -> list[dict[str, str]]:
    from kopdesk.models.services.administration import settings

    return list(settings.get(session, SETTING_KEY) or [])


def trusted_keys(session: Any | None, extra: list[Ed25519PublicKey] | None = None,
                 include_local: bool = True) -> dict[str, Ed25519PublicKey]:
    """The public keys a verification accepts, by key id: the setting, this PC's own key, and ``extra``."""
    keys: dict[str, Ed25519PublicKey] = {}
    if session is not None:
        for entry in trusted_entries(session):
            try:
                pub = public_key_from_b64(entry["public_key"])
            except Exception:  # a damaged entry must not stop verification with the others
                continue
            keys[key_id_of(pub)] = pub
    if include_local and (keys_folder() / PRIVATE_FILE).exists():
        own = office_key().public
        keys[key_id_of(own)] = own
    for pub in extra or []:
        keys[key_id_of(pub)] = pub
    return keys


def trust_key(session: Any, public: Ed25519PublicKey, label: str = "") -> bool:
    """Add a public key to ``certificate.public_keys`` (no-op when it is there); True when added.

    Written directly (not through settings.put) because issuing a certificate registers the issuing PC's key as a
    side effect of an action the clerk is allowed to do; the change is audited like any other setting.
    """
    from kopdesk.models.office import Setting

    entries = trusted_entries(session)
    kid = key_id_of(public)
    if any(e.get("key_id") == kid for e in entries):
        return False
    entries.append({"key_id": kid, "public_key": public_raw_b64(public), "label": label})
    text = json.dumps(entries, ensure_ascii=False, sort_keys=True)
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value=text))
    else:
        row.value = text
    session.flush()
    return True


# --- payload ------------------------------------------------------------------------------------------------------

def check_code(signature: bytes) -> str:
    """8 Crockford base32 characters (40 bits) from the signature, shown as ``XXXX-XXXX``."""
    n = int.from_bytes(hashlib.sha256(signature).digest()[:5], "big")
    chars = "".join(CROCKFORD[(n >> (35 - 5 * i)) & 31] for i in range(8))
    return f"{chars[:4]}-{chars[4:]}"


_LOOKALIKES = str.maketrans("OILU", "011V")


def normalize_check_code(text: str) -> str:
    """What a person typed as a check code, in the stored form (``O``→0, ``I``/``L``→1, no spaces)."""
    t = "".join(ch for ch in text.upper() if ch.isalnum())
    t = t.translate(_LOOKALIKES)
    return f"{t[:4]}-{t[4:]}" if len(t) == 8 else t


def _message(key_id: bytes, body: bytes) -> bytes:
    return DOMAIN + key_id + body


def sign_facts(facts: dict[str, Any], key: OfficeKey | None = None) -> tuple[str, str]:
    """Sign the facts; returns (payload text for the QR, check code)."""
    key = key or office_key()
    body = zlib.compress(json.dumps(facts, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(), 9)
    kid = bytes.fromhex(key.key_id)
    signature = key.private.sign(_message(kid, body))
    return PREFIX + b45encode(bytes((VERSION,)) + kid + signature + body), check_code(signature)


@dataclass(frozen=True)
class Decoded:
    """A payload taken apart (not yet verified)."""

    key_id: str
    signature: bytes
    body: bytes
    facts: dict[str, Any]

    @property
    def check_code(self) -> str:
        return check_code(self.signature)


def decode(text: str) -> Decoded:
    """Take a payload apart.

    Raises:
        PayloadError: it is not a KopDesk certificate payload, or it is damaged.
    """
    # base45 has no lower-case letters, so a scanner typing with Caps Lock on is undone by upper-casing
    text = text.strip("\r\n\t\x00").upper()
    if len(text) > MAX_TEXT:
        raise PayloadError("teks terlalu panjang untuk kode QR sertifikat")
    if text.startswith(PREFIX):
        text = text[len(PREFIX):]
    else:
        raise PayloadError("teks bukan kode sertifikat KopDesk (harus diawali 'KD1:')")
    raw = b45decode(text)
    if len(raw) < 1 + 4 + 64 + 2 or raw[0] != VERSION:
        raise PayloadError("kode sertifikat terpotong atau versinya tidak dikenal")
    kid, signature, body = raw[1:5], raw[5:69], raw[69:]
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(body, MAX_FACTS)
    except zlib.error:
        raise PayloadError("isi kode sertifikat rusak") from None
    if inflater.unconsumed_tail:
        raise PayloadError("isi kode sertifikat terlalu besar")
    try:
        facts = json.loads(plain.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        raise PayloadError("isi kode sertifikat rusak") from None
    if not isinstance(facts, dict):
        raise PayloadError("isi kode sertifikat rusak")
    return Decoded(key_id=kid.hex(), signature=signature, body=body, facts=facts)


def signature_ok(decoded: Decoded, keys: dict[str, Ed25519PublicKey]) -> bool | None:
    """True if a trusted key signed it, False if the signature is wrong, None if the key is unknown."""
    public = keys.get(decoded.key_id)
    if public is None:
        return None
    try:
        public.verify(decoded.signature, _message(bytes.fromhex(decoded.key_id), decoded.body))
    except InvalidSignature:
        return False
    return True
