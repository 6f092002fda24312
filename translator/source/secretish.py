"""Whether a literal value is probably a credential, so that it is never copied into any output or message."""

from __future__ import annotations

import re

_SECRETISH = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.IGNORECASE)
# ...but a name that says the value is where the secret is, not the secret: DB_PASSWORD_FILE, SECRET_NAME.
_LOCATION = re.compile(r"_(FILE|PATH|DIR|NAME|URL|URI|ARN)$", re.IGNORECASE)


def looks_secret(name: str, value: str) -> bool:
    """A literal env value that is probably a credential: never copied into the output."""
    return (bool(value) and bool(_SECRETISH.search(name)) and not _LOCATION.search(name)
            and "$(" not in value and not value.startswith("/"))
