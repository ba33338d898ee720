"""Signed exam results: canonical JSON signed with Ed25519 (docs/assessment.md).

The signature covers the canonical form of the ``result`` object (keys sorted, no
spaces, UTF-8, no floating-point numbers), so re-indenting or re-ordering the file
keeps it valid, while changing any value, adding a field, flipping a byte of the
signature or checking with another key does not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from simulator.assessment.exam import RESULT_FORMAT

ALG = "Ed25519"
DOMAIN = b"calldrill-exam-result/1\n"  # signed bytes start with this: no other use verifies
PRIVATE_NAME, PUBLIC_NAME = "calldrill-exam.key", "calldrill-exam.pub"
MAX_RESULT_BYTES = 16 * 1024 * 1024


class SigningError(ValueError):
    """A key or result file that cannot be used (unreadable, not a key, wrong type)."""


def canonical(value: Any) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8. Floats are refused
    (their text form is not the same in every language), so scores are strings."""
    _no_floats(value, "result")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _no_floats(value: Any, where: str) -> None:
    if isinstance(value, float):
        raise SigningError(f"{where} is a floating-point number ({value!r}); write it as text")
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise SigningError(f"{where} has a key that is not text: {k!r}")
            _no_floats(v, f"{where}.{k}")
    elif isinstance(value, list | tuple):
        for n, v in enumerate(value):
            _no_floats(v, f"{where}[{n}]")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate(folder: Path) -> tuple[Path, Path, str]:
    """A new key pair in ``folder``: the private key readable by its owner only.
    Refuses to overwrite an existing key."""
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    for path in (private_path, public_path):
        if path.exists():
            raise SigningError(f"{path} already exists; move it away or use another folder")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(private_path, private_pem, 0o600)
    _write_new(public_path, public_pem, 0o644)
    return private_path, public_path, key_id(key.public_key())


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _read_key_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot read the key ({exc.strerror or exc})") from None


def load_private(path: Path) -> Ed25519PrivateKey:
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise SigningError(f"{path}: not a private key made by `calldrill exam keygen`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path}: not an Ed25519 private key")
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        if b"PRIVATE KEY" in data:
            raise SigningError(
                f"{path}: this is the private key; verify with the public one ({PUBLIC_NAME})"
            ) from None
        raise SigningError(f"{path}: not a public key made by `calldrill exam keygen`") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"{path}: not an Ed25519 public key")
    return key


def sign(result: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed document: the result and its signature."""
    signature = key.sign(DOMAIN + canonical(result))
    return {
        "result": dict(result),
        "signature": {
            "alg": ALG,
            "key_id": key_id(key.public_key()),
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }


def dumps(document: Mapping[str, Any]) -> str:
    """How a signed result is written to a file (indented for people; any indentation
    verifies the same)."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    result: dict[str, Any] | None = None
    key_id: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def _pairs(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            # Two readers could each see a different one of the two values.
            raise ValueError(f"the key '{k}' appears twice in one object")
        out[k] = v
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse(data: bytes) -> dict[str, Any]:
    """A result file as JSON, refusing duplicate keys and NaN/Infinity."""
    if len(data) > MAX_RESULT_BYTES:
        raise ValueError(f"the file is over {MAX_RESULT_BYTES} bytes")
    value = json.loads(
        data.decode("utf-8-sig"), object_pairs_hook=_pairs, parse_constant=_no_constant
    )
    if not isinstance(value, dict):
        raise ValueError("the file does not hold a JSON object")
    return value


def verify(data: bytes, public: Ed25519PublicKey) -> Verification:
    """Check a signed result file; every problem found is listed, in words."""
    out = Verification(key_id=key_id(public))
    try:
        doc = parse(data)
    except (UnicodeDecodeError, ValueError) as exc:
        out.problems.append(f"not a readable result file: {exc}")
        return out
    for extra in sorted(set(doc) - {"result", "signature"}):
        out.problems.append(
            f"the field '{extra}' is outside the signed result (added after signing?)"
        )
    result, sig = doc.get("result"), doc.get("signature")
    if not isinstance(result, dict):
        out.problems.append("the file has no `result` object")
        return out
    out.result = result
    if result.get("format") != RESULT_FORMAT:
        out.problems.append(f"the result format is {result.get('format')!r}, not {RESULT_FORMAT!r}")
    if not isinstance(sig, dict):
        out.problems.append("the file has no `signature` object (it was never signed)")
        return out
    for extra in sorted(set(sig) - {"alg", "key_id", "value"}):
        out.problems.append(f"the signature has an unexpected field '{extra}'")
    if sig.get("alg") != ALG:
        out.problems.append(f"the signature algorithm is {sig.get('alg')!r}, not {ALG!r}")
    raw: bytes | None = None
    value = sig.get("value")
    if not isinstance(value, str):
        out.problems.append("the signature has no value")
    else:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            out.problems.append("the signature value is not valid base64")
        else:
            if len(raw) != 64:
                out.problems.append(
                    f"the signature is {len(raw)} bytes long; an Ed25519 signature has 64"
                )
                raw = None
    signed_by = sig.get("key_id")
    if signed_by != out.key_id:
        out.problems.append(
            f"the result says it was signed with key {signed_by!r}; "
            f"the key given is {out.key_id} (wrong key, or the key id was edited)"
        )
    try:
        message = DOMAIN + canonical(result)
    except SigningError as exc:
        out.problems.append(f"the result holds a value no signer writes: {exc}")
        return out
    if raw is not None:
        try:
            public.verify(raw, message)
        except InvalidSignature:
            out.problems.append(
                "the signature does not match the result: the result was changed after "
                "signing, or it was signed with another key"
            )
    if out.valid:
        out.problems += consistency(result)
    return out


def consistency(result: Mapping[str, Any]) -> list[str]:
    """Figures that should add up and do not (a signer at fault, not a forger)."""
    from fractions import Fraction  # noqa: PLC0415

    problems: list[str] = []
    try:
        total = Fraction(0)
        top = 0
        for section in result["sections"]:
            items = section["items"]
            earned = sum((Fraction(i["earned"]) for i in items), Fraction(0))
            if abs(earned - Fraction(section["earned"])) > Fraction(1, 100) * max(1, len(items)):
                problems.append(
                    f"section '{section['id']}': its items add up to {float(earned):.2f}, "
                    f"not {section['earned']}"
                )
            total += Fraction(section["earned"])
            top += int(section["max"])
        if int(result["total"]["max"]) != top:
            problems.append(f"the total maximum is {result['total']['max']}, not {top}")
        if abs(total - Fraction(result["total"]["earned"])) > Fraction(1, 100) * max(
            1, len(result["sections"])
        ):
            problems.append(f"the sections add up to {float(total):.2f}, not the total")
        if result["pass_rule"]["rule"] == "every-section":
            should = all(bool(s["passed"]) for s in result["sections"])
            if should != bool(result["passed"]):
                problems.append("`passed` does not follow from the sections under every-section")
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        problems.append(f"the result is missing or mangles a field ({exc!r})")
    return problems
