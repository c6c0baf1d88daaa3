"""The federation's Ed25519 issuing key: kept in the instance folder, published as did:web.

The private key is a PEM file (mode 0600) made on first use and never served; its public half
is published as a DID document (/.well-known/did.json) and as a JWK set (/.well-known/jwks.json).

`cryptography` (about 6 MB) is imported on first use of the key, not with the app: most
processes (the export and mail workers, most web requests) never sign or verify.
"""

from __future__ import annotations

import base64
import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import base58
from flask import current_app

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

KEY_FILE = Path("credentials") / "issuer-ed25519.pem"
KEY_FRAGMENT = "key-1"
# Multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint: 0xed 0x01).
ED25519_MULTICODEC = b"\xed\x01"
_CACHE = "portfolio.credentials.key"


def key_path() -> Path:
    configured = current_app.config.get("CREDENTIAL_KEY_FILE")
    return Path(current_app.instance_path) / (configured or KEY_FILE)  # an absolute path wins


def signing_key() -> Ed25519PrivateKey:
    """The issuing key, read once per app; made (0600) if there is none yet."""
    path = key_path()
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and cached[0] == path:
        return cached[1]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not path.exists():
        _create_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} does not hold an Ed25519 private key")
    current_app.extensions[_CACHE] = (path, key)
    return key


def _create_key(path: Path) -> None:
    """Write a new key atomically: two processes starting at once end up with the same one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, pem)
        os.fsync(handle)
        os.close(handle)
        with contextlib.suppress(FileExistsError):  # another process made the key first
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_bytes() -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def issuer_did() -> str:
    """did:web of BASE_URL's host (a port's ':' is written %3A, as did:web requires)."""
    host = urlsplit(current_app.config["BASE_URL"]).netloc.rsplit("@", 1)[-1]
    return "did:web:" + quote(host.lower(), safe="")


def verification_method_id() -> str:
    return f"{issuer_did()}#{KEY_FRAGMENT}"


def public_key_multibase(raw: bytes | None = None) -> str:
    """Multikey: 'z' (base58btc) + base58 of the multicodec prefix and the raw key: 'z6Mk...'."""
    return "z" + base58.b58encode(ED25519_MULTICODEC + (raw or public_key_bytes())).decode()


def did_document() -> dict:
    did, method = issuer_did(), verification_method_id()
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": public_key_multibase()}],
        "assertionMethod": [method],
        "authentication": [method],
    }


def jwks() -> dict:
    x = base64.urlsafe_b64encode(public_key_bytes()).rstrip(b"=").decode()
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": verification_method_id(),
                      "use": "sig", "alg": "EdDSA"}]}
