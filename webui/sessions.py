"""The session cookie: Flask's own signed cookie, signed and read with less work per request.

Why: a request opens its session from the cookie and, whenever it changed or is refreshed
(a permanent session is written again on every response), writes it back: a completion
writes its flash into it and the inbox it redirects to takes the flash out again, four
cookie operations for one completion. Flask's ``SecureCookieSessionInterface`` builds a new
``URLSafeTimedSerializer`` for each (which checks its payload serializer by serializing an
empty dict), derives the signing key from the secret key with an HMAC each time, compresses
and encodes the same few session values again and again, and checks the signature and
decodes a cookie that this very process wrote a moment ago.

:class:`KeptSerializer` is itsdangerous's serializer with what depends only on the keys
made once (the signer and its derived keys), each session's encoded payload kept by its
JSON text, and the cookies this process signed known by their text: a cookie it signed is
the session it signed (the signature is over the whole text), so reading it back skips the
signature check and the decoding, and only its age is checked, as itsdangerous checks it. A
cookie from anywhere else (another web process, an earlier run) is checked and read as
before. The cookie itself (format, signature, salt, lifetime) is Flask's unchanged, so every
web process reads every other's cookies (``docs/deployment.md``), and a changed
``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` makes a new serializer, with nothing kept, at the
next request. Nothing kept can go stale: what is kept is what a text means, not what the
database holds.

The CSRF token of every page (Flask-WTF's ``generate_csrf``: a timed signature of the
session's raw token, made by a new serializer on each page) is made the same way by
:func:`csrf_token`.
"""

from __future__ import annotations

import hashlib
import os
import time
import zlib
from typing import Any, cast

from flask import Flask, current_app, g, json, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode, bytes_to_int, want_bytes

_KEPT = 4096
"""Payloads and signed cookies kept per serializer: some thousands of sessions (past this,
all start again)."""


class KeptKeySigner(TimestampSigner):
    """itsdangerous's timestamp signer with each secret key's derived key made once (the
    derivation depends on the key, the salt and the method only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._derived: dict[bytes | None, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = None if secret_key is None else want_bytes(secret_key)
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = super().derive_key(key)
        return found


class KeptSerializer(URLSafeTimedSerializer):
    """``URLSafeTimedSerializer`` that keeps what does not change between requests: its
    signer, each payload by its JSON text, and the texts it signed (module docstring). The
    texts it writes and reads are itsdangerous's, byte for byte."""

    default_signer = KeptKeySigner

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signer = cast(TimestampSigner, super().make_signer(None))
        self._payloads: dict[str, bytes] = {}
        self._signed: dict[str, tuple[int, str]] = {}

    def make_signer(self, salt: str | bytes | None = None) -> TimestampSigner:
        if salt is None or want_bytes(salt) == self.salt:
            return self._signer
        return super().make_signer(salt)  # type: ignore[return-value]

    def dumps(self, obj: Any, salt: str | bytes | None = None) -> str:
        if salt is not None and want_bytes(salt) != self.salt:
            return super().dumps(obj, salt)
        text: str = self.serializer.dumps(obj, **self.serializer_kwargs)
        payload = self._payloads.get(text)
        if payload is None:
            payload = _payload(text.encode("utf-8"))
            _keep(self._payloads, text, payload)
        signed = self._signer.sign(payload).decode("utf-8")
        _keep(self._signed, signed, (_signed_at(signed), text))
        return signed

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> Any:
        known = (
            self._signed.get(s)
            if isinstance(s, str) and salt is None and not return_timestamp
            else None
        )
        if known is not None:
            signed_at, text = known
            age = int(time.time()) - signed_at
            if max_age is None or 0 <= age <= max_age:
                return self.serializer.loads(text)
        return super().loads(s, max_age=max_age, return_timestamp=return_timestamp, salt=salt)


_PLAIN = frozenset({str, int, bool, type(None)})
"""The values Flask's tagged JSON writes as plain JSON (it tags dicts, tuples, lists' items,
bytes, markup, UUIDs and datetimes)."""
_TUPLE = " t"
"""Flask's tag of a tuple (``TagTuple``): a flash is a (category, message) tuple."""


class PlainFirstJSON:
    """Flask's tagged JSON of the session, with a session of plain values and flashes (the
    user's id, the session generation, the language, the raw CSRF token, the flashes' list
    of (category, message) tuples) written and read without walking Flask's eight tags over
    each value: the same text, since Flask's tags leave plain values as they are and write
    a tuple of them as ``{" t": [...]}``. Anything else goes through Flask's own."""

    def __init__(self, tagged: TaggedJSONSerializer) -> None:
        self.tagged = tagged

    def _plain(self, value: dict[str, Any], wrapped: type) -> bool:
        """Whether ``value``'s values are plain, or lists of ``wrapped`` holding plain values
        (``tuple`` when writing, the tuple's tagged ``dict`` when reading)."""
        if len(value) == 1 and next(iter(value)) in self.tagged.tags:
            return False  # a dict of one tag's key is written tagged
        for v in value.values():
            if type(v) in _PLAIN:
                continue
            if type(v) is not list or not all(_held(item, wrapped) for item in v):
                return False
        return True

    def dumps(self, value: Any) -> str:
        if type(value) is dict and self._plain(value, tuple):
            tagged = {
                k: [{_TUPLE: list(item)} for item in v] if type(v) is list else v
                for k, v in value.items()
            }
            return json.dumps(tagged, separators=(",", ":"))
        return self.tagged.dumps(value)

    def loads(self, value: str) -> Any:
        data = json.loads(value)
        if type(data) is dict and self._plain(data, dict):
            return {
                k: [tuple(item[_TUPLE]) for item in v] if type(v) is list else v
                for k, v in data.items()
            }
        return self.tagged.loads(value)


def _held(item: Any, wrapped: type) -> bool:
    """A tuple of plain values, or (read back) the dict Flask's tag wrote it as."""
    if type(item) is not wrapped:
        return False
    values: Any = item
    if wrapped is dict:
        if len(values) != 1 or type(values.get(_TUPLE)) is not list:
            return False
        values = values[_TUPLE]
    return all(type(x) in _PLAIN for x in values)


def _payload(encoded: bytes) -> bytes:
    """itsdangerous's URL-safe payload of a JSON text (``URLSafeSerializerMixin.dump_payload``
    from the text already written): compressed when that is shorter by more than a byte,
    then base64, a leading ``.`` marking it compressed."""
    compressed = zlib.compress(encoded)
    if len(compressed) < len(encoded) - 1:
        return b"." + base64_encode(compressed)
    return base64_encode(encoded)


def _keep(kept: dict[Any, Any], key: Any, value: Any) -> None:
    if len(kept) >= _KEPT:
        kept.clear()
    kept[key] = value


def _signed_at(signed: str) -> int:
    """The timestamp a text signed by :class:`KeptKeySigner` carries (the part between
    the last two separators)."""
    return bytes_to_int(base64_decode(signed.rsplit(".", 2)[1]))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie session, its serializer (:class:`KeptSerializer`) kept while
    the keys stay the same."""

    def __init__(self) -> None:
        self._made: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is not None and made[0] == keys:
            return made[1]
        flasks = super().get_signing_serializer(app)  # Flask's choice of keys, salt, method
        serializer = None
        if flasks is not None:
            serializer = KeptSerializer(
                flasks.secret_keys,
                salt=flasks.salt,
                serializer=PlainFirstJSON(self.serializer),
                signer_kwargs=flasks.signer_kwargs,
            )
        self._made = (keys, serializer)
        return serializer


_CSRF_SALT = "wtf-csrf-token"
"""Flask-WTF's salt of its CSRF tokens."""


def csrf_token() -> str:
    """Flask-WTF's ``generate_csrf()`` (the template's ``csrf_token()``): the same token,
    a timed signature of the session's raw token, made once per request, by a
    :class:`KeptSerializer` kept per secret key instead of a new serializer each page;
    Flask-WTF's ``validate_csrf`` checks it as its own."""
    config = current_app.config
    secret = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if secret is None or field is None:
        raise RuntimeError("A secret key and a field name are required to use CSRF.")
    if field not in g:
        kept: dict[Any, KeptSerializer] = current_app.extensions.setdefault("alur.csrf", {})
        signer = kept.get(secret)
        if signer is None:
            kept.clear()
            signer = kept[secret] = KeptSerializer(secret, salt=_CSRF_SALT)
        if field not in session:
            session[field] = _raw_token()
        try:
            token = signer.dumps(session[field])
        except TypeError:  # as Flask-WTF: a raw token that is no JSON value is made anew
            session[field] = _raw_token()
            token = signer.dumps(session[field])
        setattr(g, field, token)
    return str(g.get(field))


def _raw_token() -> str:
    """A session's raw CSRF token, as Flask-WTF makes it."""
    return hashlib.sha1(os.urandom(64)).hexdigest()


def init_app(app: Flask) -> None:
    """The session interface, and ``csrf_token()`` in templates (after ``CSRFProtect``
    installed Flask-WTF's own as a global and through a context processor, which this one,
    run after it, overrides)."""
    app.session_interface = CookieSessions()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(_csrf_context)


def _csrf_context() -> dict[str, Any]:
    return {"csrf_token": csrf_token}
