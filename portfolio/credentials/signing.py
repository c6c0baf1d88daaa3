"""Data Integrity proofs with the eddsa-jcs-2022 cryptosuite (W3C vc-di-eddsa).

hashData = SHA-256(JCS(proof configuration)) || SHA-256(JCS(document without its proof)); the
proof value is the Ed25519 signature of hashData, multibase base58btc ('z' + base58).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import base58
import rfc8785

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"


def _hash_data(unsecured: dict, proof_config: dict) -> bytes:
    return (hashlib.sha256(rfc8785.dumps(proof_config)).digest()
            + hashlib.sha256(rfc8785.dumps(unsecured)).digest())


def sign(unsecured: dict, key: Ed25519PrivateKey, verification_method: str,
         created: str) -> dict:
    """Return the document with its proof added (the document itself is not changed)."""
    proof = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": created,
             "verificationMethod": verification_method, "proofPurpose": PROOF_PURPOSE}
    if "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    signature = key.sign(_hash_data(unsecured, proof))
    return {**unsecured, "proof": {**proof, "proofValue": "z" + base58.b58encode(signature).decode()}}


@dataclass(frozen=True)
class Check:
    valid: bool
    problem: str = ""  # why not, in plain words

    def __bool__(self) -> bool:
        return self.valid


def verify(secured, keys: dict[str, Ed25519PublicKey]) -> Check:
    """Check the document's proof against the issuer's keys (verification method -> key)."""
    if not isinstance(secured, dict) or not isinstance(secured.get("proof"), dict):
        return Check(False, "It has no proof.")
    proof = secured["proof"]
    if (proof.get("type"), proof.get("cryptosuite"), proof.get("proofPurpose")) != (
            PROOF_TYPE, CRYPTOSUITE, PROOF_PURPOSE):
        return Check(False, f"Its proof is not a {CRYPTOSUITE} Data Integrity proof.")
    key = keys.get(proof.get("verificationMethod"))
    if key is None:
        return Check(False, "It was not signed with this federation's key.")
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    unsecured = {name: value for name, value in secured.items() if name != "proof"}
    if "@context" in options and options["@context"] != unsecured.get("@context"):
        return Check(False, "Its proof does not match the document's context.")
    from cryptography.exceptions import InvalidSignature  # with the keys (see keys.py)

    try:
        signature = _multibase_signature(proof.get("proofValue"))
        key.verify(signature, _hash_data(unsecured, options))
    except (InvalidSignature, ValueError, TypeError, rfc8785.CanonicalizationError):
        return Check(False, "The signature does not match the document: it has been changed "
                            "or was not issued here.")
    return Check(True)


def _multibase_signature(value) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    signature = base58.b58decode(value[1:])
    if len(signature) != 64:
        raise ValueError("an Ed25519 signature is 64 bytes")
    return signature
