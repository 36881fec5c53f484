"""Package signatures (#36): each township signs its packages with an Ed25519 key of its own, made the first time it
needs one and kept in its database (a backup carries it, so a restored PC signs as before). The county pins a
township's key on its first signed package and refuses a package signed by another key until a 管理员 re-links the
township, by the key's fingerprint read out or printed on paper.

The fingerprint is the first 16 hex digits of the public key's SHA-256, in four groups (「3F2A-9C1B-77D0-4E12」).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.storage import info

OWN_KEY = "signing.key"  # the township's private key, 32 bytes as hex
PINNED = "key:"  # + unit id: the key the county pinned for a township
RELINK = "relink:"  # + the township's name: a 管理员's leave for one new key (a rebuilt PC)


def fingerprint(public_hex: str) -> str:
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed from paper: spaces, dashes and case do not matter."""
    digits = "".join(c for c in (text or "").upper() if c in "0123456789ABCDEF")
    if len(digits) != 16:
        raise UserError("签名指纹应为16位（如 3F2A-9C1B-77D0-4E12），请照乡镇报送页上印的抄写")
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def own_key(conn: sa.Connection) -> Ed25519PrivateKey:
    """This database's signing key, made on first use."""
    from cryptography.hazmat.primitives import serialization

    stored = info.get(conn, OWN_KEY)
    if stored:
        try:
            return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored))
        except ValueError:
            raise UserError("本机的数据包签名密钥已损坏：请从备份恢复，或与县法治办联系重新关联") from None
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    info.put(conn, OWN_KEY, raw.hex())
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def own_fingerprint(engine: sa.Engine) -> str:
    with engine.begin() as conn:
        return fingerprint(public_hex(own_key(conn)))


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return key.sign(data).hex()


def verified(public: str, signature: str, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(bytes.fromhex(signature), data)
    except (ValueError, InvalidSignature):
        return False
    return True


def pinned(conn: sa.Connection, unit_id: str) -> dict[str, Any] | None:
    value = info.get(conn, PINNED + unit_id)
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def pin(conn: sa.Connection, unit_id: str, public: str) -> None:
    info.put(conn, PINNED + unit_id, json.dumps({"public_key": public, "fingerprint": fingerprint(public),
                                             "pinned_at": dt.datetime.now().replace(microsecond=0).isoformat()}))


def relink_leave(conn: sa.Connection, township: str) -> str | None:
    """The fingerprint a 管理员 accepted for a township's next package (a rebuilt PC), if any."""
    return info.get(conn, RELINK + township)


def grant_relink(conn: sa.Connection, township: str, fingerprint_text: str) -> str:
    fp = normal_fingerprint(fingerprint_text)
    info.put(conn, RELINK + township, fp)
    return fp


def use_relink(conn: sa.Connection, township: str) -> None:
    info.delete(conn, RELINK + township)
