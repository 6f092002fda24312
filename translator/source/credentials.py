"""Is this literal a credential? One rule for env values, ConfigMap values, args and probe headers.

A literal judged a credential is never copied into the output as text (env, ConfigMap values read as
env) or is named in an info finding (args, probe headers, which ECS cannot read from a secret and
which Kubernetes held in plain text too). Both
mistakes cost the user: a missed password is published in a template; a false alarm replaces a
setting such as `TOKEN_EXPIRY_SECONDS: "3600"` with an empty secret the container starts without.
The rule is measured on a labelled set (`tests/fixtures/credential_literals.yaml`): recall 1.0 (no
credential missed) and precision at least 0.95.

The name decides first: it is split into words (`dbPassword`, `DB_PASSWORD` and `db-password` all
give `db password`); it names a credential when a credential word is in it (`password`, `token`,
`secret`, or `key` after `api`, `private`, `secret`...), unless its last word says the value is
*about* the credential (`..._FILE`, `..._EXPIRY_SECONDS`, `..._USERNAME`) or a word says it is a
switch (`ALLOW_EMPTY_PASSWORD`). Then the value: empty values, booleans, a lone `$(VAR)` reference and
a file path of two or more segments hold no credential, nor does a number of up to 7 digits under a name whose
credential word is `token(s)` (`MAX_TOKENS: "4096"` counts a language model's tokens); any value that embeds one (a URL
with `user:password@`, a connection string or query with `Password=...`, `Bearer ...`, a PEM private key, a
well-known token prefix) is a credential whatever the name.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CREDENTIAL = frozenset({
    "password", "passwd", "pwd", "passphrase", "passcode", "secret", "secrets", "token", "tokens", "credential",
    "credentials", "creds", "apikey", "privatekey", "secretkey", "accesskey", "otp", "totp",
})
# Words that name a credential only as the last word: `REDIS_AUTH` is one, `GF_AUTH_ANONYMOUS_ORG_ROLE` is not.
_CREDENTIAL_LAST = frozenset({"pass", "auth", "authorization", "cookie", "salt", "pepper", "dsn", "pin"})
# `key` alone is a lookup key (`PARTITION_KEY`, `SPECIAL_LEVEL_KEY`) unless one of these comes before it.
_KEY_KINDS = frozenset({
    "api", "private", "secret", "access", "signing", "sign", "encryption", "encrypt", "master", "auth", "jwt",
    "client", "hmac", "session", "license", "ssh", "gpg", "pgp", "aes", "crypto", "cipher", "app", "account",
    "service", "storage", "write", "admin", "root", "webhook", "sas", "consumer", "deploy",
})
# A last word that makes the value a description of the credential, not the credential.
_ABOUT = frozenset({
    "file", "files", "path", "dir", "directory", "folder", "mount", "location", "name", "names", "url", "uri",
    "endpoint", "host", "hostname", "port", "arn", "id", "ids", "ref", "reference", "expiry", "expires",
    "expiration", "ttl", "timeout", "lifetime", "duration", "interval", "seconds", "secs", "sec", "minutes",
    "mins", "hours", "days", "ms", "millis", "length", "len", "size", "bytes", "bits", "min", "max", "minimum",
    "maximum", "count", "limit", "enabled", "disabled", "required", "policy", "algorithm", "alg", "algo", "type",
    "mode", "header", "headers", "field", "param", "parameter", "kind", "format", "version", "store", "provider",
    "backend", "region", "issuer", "audience", "user", "username", "login", "email", "env", "prefix", "suffix",
    "pattern", "regex", "rotation", "strength", "method", "scheme", "scope", "scopes", "source", "class", "vault",
    "manager", "config", "level", "lookup", "namespace", "key", "rounds", "iterations", "minute", "hour", "second",
    "day",
})
# Run-together names (`PGPASSWORD`, `requirepass`, `masterauth`) end with one of these...
_SUFFIXES = ("password", "passwd", "passphrase", "secret", "token", "apikey", "pass", "auth")
# ...but these words only look like it.
_NOT_SUFFIXED = frozenset({"bypass", "compass", "encompass", "overpass", "underpass", "surpass", "trespass", "oauth"})
# Words that make the variable a switch about credentials (`MYSQL_ALLOW_EMPTY_PASSWORD`).
_SWITCH = frozenset({"allow", "enable", "disable", "require", "skip", "use", "ignore", "random", "generate", "no"})
# An absolute path of two or more segments: where a credential file is (`/var/secrets/google/key.json`).
_FILE_PATH = re.compile(r"/(?:[\w.-]+/)+[\w.-]+")
_BOOLEAN = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n"})
_LONE_REFERENCE = re.compile(r"\$\([-._a-zA-Z][-._a-zA-Z0-9]*\)|\$\{[-._a-zA-Z][-._a-zA-Z0-9]*\}")
_EMBEDDED = re.compile(
    r"[a-z][a-z0-9+.-]*://[^/\s:@]*:(?!\$[({][-._a-zA-Z0-9]+[)}]@)[^/\s@]+@"  # scheme://user:password@host
    # `Server=db;Password=x;` (ADO.NET, ODBC), `redis:6379,password=x`, `jdbc:...?user=u&password=x`, `host=db password=x` (libpq)
    r"|(?:^|[;,?&\s])(?:password|pwd|passwd)\s*=\s*(?![;,&\s]|$|\$[({])"
    r"|\b(?:bearer|basic)\s+[a-z0-9._~+/=-]{8,}"  # an Authorization header value
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_\w{20,}|\bglpat-[\w-]{20,}"
    r"|\bxox[abpsr]-[\w-]{10,}|\b[sr]k_(?:live|test)_\w{16,}|\bAIza[\w-]{35}"
    r"|\bsk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}",  # OpenAI, Anthropic
    re.IGNORECASE)
# The credential words of a name that a small number under it counts (`MAX_TOKENS`) rather than holds.
_COUNTED = frozenset({"token", "tokens"})
# `--password=VALUE`, `--db-password VALUE`, `-p VALUE` is too ambiguous to count (port, profile...).
_FLAG = re.compile(r"^--?([A-Za-z][\w.-]*?)(?:=(.*))?$", re.DOTALL)


def words(name: str) -> list[str]:
    """`dbPassword`, `DB_PASSWORD`, `db-password` and `db.password` -> ['db', 'password']."""
    return [w.lower() for w in _WORD.findall(name)]


def names_credential(name: str) -> bool:
    """Whether a variable, key, flag or header of this name holds a credential when it holds a value."""
    parts = words(name)
    if not parts or (parts[-1] in _ABOUT and not _key_credential(parts)) or _SWITCH.intersection(parts):
        return False
    return (bool(_CREDENTIAL.intersection(parts)) or parts[-1] in _CREDENTIAL_LAST or _key_credential(parts)
            or any(p.endswith(_SUFFIXES) and p not in _SUFFIXES and p not in _NOT_SUFFIXED for p in parts))


def _key_credential(parts: list[str]) -> bool:
    """`API_KEY`, `privateKey`, `SECRET_KEY` (the last word `key` after a kind of key)."""
    return len(parts) >= 2 and parts[-1] == "key" and parts[-2] in _KEY_KINDS


def holds_credential(value: str) -> bool:
    """Whether the value itself embeds a credential, whatever it is called."""
    return bool(_EMBEDDED.search(value))


def is_credential(name: str, value: str) -> bool:
    """The rule for an env variable, a ConfigMap key or a probe header and its literal value."""
    text = value.strip()
    if not text or text.lower() in _BOOLEAN or _LONE_REFERENCE.fullmatch(text) or _FILE_PATH.fullmatch(text):
        return False
    if holds_credential(value):
        return True
    named = _CREDENTIAL.intersection(words(name))
    if text.isdigit() and len(text) <= 7 and named and named <= _COUNTED:
        return False  # `MAX_TOKENS: "4096"`, `CONTEXT_TOKENS: "8192"`: a number of tokens, not a token
    return names_credential(name)


def credential_args(args: tuple[str, ...] | list[str]) -> list[int]:
    """Indexes of the arguments that hold a credential: `--password=x`, `--token x`, or an embedded one."""
    found: list[int] = []
    for i, arg in enumerate(args):
        flag = _FLAG.match(arg)
        if flag and names_credential(flag.group(1)):
            if flag.group(2) is not None:
                if is_credential(flag.group(1), flag.group(2)):
                    found.append(i)
            elif i + 1 < len(args) and not args[i + 1].startswith("-") and is_credential(flag.group(1), args[i + 1]):
                found.append(i + 1)
        elif holds_credential(arg):
            found.append(i)
    return found
