"""Verify a completion credential with libraries the signer does not use.

The app signs with `cryptography` (Ed25519), `rfc8785` (JSON canonicalisation) and `base58`;
this script checks with PyNaCl, `jcs` and `py-multibase`, and reads the public key from the
issuer's DID document (did:web -> https://<host>/.well-known/did.json), so a bug shared by the
signer and the app's own checker cannot make a forged credential pass.

    python tests/credentials/independent_verifier.py credential.json [--did-document URL]

Without --did-document the key is fetched from the address the credential's issuer did:web
names (http for 127.0.0.1 and localhost, https otherwise). Exit status 0: valid signature.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import urllib.request
from urllib.parse import unquote

import jcs
import multibase
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

ED25519_PUB = b"\xed\x01"


class NotVerified(Exception):
    """The credential's proof does not hold; the message says which check failed."""


def did_web_url(did: str) -> str:
    """The DID document address of a did:web identifier (host only, port written %3A)."""
    if not did.startswith("did:web:"):
        raise NotVerified(f"not a did:web issuer: {did!r}")
    host = unquote(did.removeprefix("did:web:").split(":")[0])
    scheme = "http" if host.split(":")[0] in ("127.0.0.1", "localhost") else "https"
    return f"{scheme}://{host}/.well-known/did.json"


def multibase_bytes(value: str) -> bytes:
    """Decode multibase. py-multibase 2.0 drops base58btc's leading zero bytes (each leading
    '1' stands for one), which breaks 1 signature in 256, so they are put back here."""
    decoded = multibase.decode(value)
    if value.startswith("z"):
        zeros = len(value[1:]) - len(value[1:].lstrip("1"))
        decoded = b"\x00" * (zeros - (len(decoded) - len(decoded.lstrip(b"\x00")))) + decoded
    return decoded


def public_key(did_document: dict, method_id: str) -> VerifyKey:
    for method in did_document.get("verificationMethod", []):
        if method.get("id") == method_id and method.get("type") == "Multikey":
            raw = multibase_bytes(method["publicKeyMultibase"])
            if not raw.startswith(ED25519_PUB) or len(raw) != 34:
                raise NotVerified("the published key is not an Ed25519 Multikey")
            if method_id not in did_document.get("assertionMethod", []):
                raise NotVerified("the key is not published for assertions")
            return VerifyKey(raw[2:])
    raise NotVerified(f"the DID document does not publish {method_id!r}")


def verify(credential: dict, did_document: dict) -> None:
    """Raise NotVerified unless the eddsa-jcs-2022 proof holds for the document as given."""
    proof = credential.get("proof")
    if not isinstance(proof, dict):
        raise NotVerified("no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
        raise NotVerified("not an eddsa-jcs-2022 Data Integrity proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise NotVerified("the proof is not for an assertion")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    method_id = proof.get("verificationMethod", "")
    if method_id.split("#")[0] != issuer_id or did_document.get("id") != issuer_id:
        raise NotVerified("the proof's key does not belong to the issuer")
    key = public_key(did_document, method_id)
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    document = {name: value for name, value in credential.items() if name != "proof"}
    if "@context" in options and options["@context"] != document.get("@context"):
        raise NotVerified("the proof's @context differs from the document's")
    hash_data = (hashlib.sha256(jcs.canonicalize(options)).digest()
                 + hashlib.sha256(jcs.canonicalize(document)).digest())
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        raise NotVerified("the proof value is not multibase base58btc")
    try:
        key.verify(hash_data, multibase_bytes(value))
    except (BadSignatureError, ValueError) as error:
        raise NotVerified("the signature does not match the document") from error


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a URL we chose)
        return json.load(response)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("credential", help="the credential's JSON file")
    parser.add_argument("--did-document", help="URL of the issuer's DID document")
    arguments = parser.parse_args(argv)
    with open(arguments.credential, encoding="utf-8") as handle:
        credential = json.load(handle)
    issuer = credential.get("issuer")
    url = arguments.did_document or did_web_url(
        issuer.get("id") if isinstance(issuer, dict) else str(issuer))
    try:
        verify(credential, fetch_json(url))
    except NotVerified as error:
        print(f"NOT VERIFIED: {error}")
        return 1
    print(f"VERIFIED: signed by {credential['issuer']['id']} (key from {url})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
