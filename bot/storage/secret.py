"""Where the member-key secret comes from: the environment, or a private file.

The secret never goes in the database: a copy of the database alone must not be
enough to link rejection counts to people. Without `BOUNCEBACK_SECRET`, a
random secret is created once beside the database with mode 0600.
"""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "BOUNCEBACK_SECRET"
MIN_LENGTH = 16


class SecretError(Exception):
    """The configured secret cannot be used; the message says how to fix it."""


FILE_SUFFIX = ".secret"
# What `link` answers on a filesystem that has no hard links.
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS})


def secret_file_for(database: Path) -> Path:
    """`data/bounceback.db` keeps its secret in `data/bounceback.secret`."""
    return database.with_suffix(FILE_SUFFIX)


def load_secret(database: Path, environ: Mapping[str, str] | None = None) -> bytes:
    """Read the secret from the environment, else from (or newly into) the private file."""
    env = os.environ if environ is None else environ
    from_env = env.get(ENV_VAR, "").strip()
    if from_env:
        if len(from_env.encode("utf-8")) < MIN_LENGTH:
            raise SecretError(
                f"{ENV_VAR} must be at least {MIN_LENGTH} characters; "
                "a long random value such as `python3 -c 'import secrets; print(secrets.token_hex(32))'`"
            )
        return from_env.encode("utf-8")
    path = secret_file_for(database)
    try:
        return _read(path)
    except FileNotFoundError:
        return _create(path)


def _read(path: Path) -> bytes:
    value = path.read_text(encoding="ascii").strip().encode("ascii")
    if len(value) < MIN_LENGTH:
        raise SecretError(
            f"{path} is empty or cut short; restore it from your backup, "
            f"or set {ENV_VAR} to the secret this database was written with"
        )
    return value


def _create(path: Path) -> bytes:
    """Write the whole secret privately first, then link it into place.

    Shards of a new cluster start together: `os.link` lets exactly one of them
    publish its secret, the others read that one, and nobody can ever read a
    half-written file. A filesystem without hard links (some network shares)
    gets the file created exclusively in place instead.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        _write(descriptor, value)
        os.link(draft, path)
    except FileExistsError:
        return _read(path)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        return _create_in_place(path, value)
    finally:
        Path(draft).unlink()
    return value.encode("ascii")


def _create_in_place(path: Path, value: str) -> bytes:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    _write(descriptor, value)
    return value.encode("ascii")


def _write(descriptor: int, value: str) -> None:
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
        handle.flush()
        os.fsync(handle.fileno())
