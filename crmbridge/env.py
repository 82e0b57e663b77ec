"""Parsing of environment values that are more than a string, a number or a flag."""

from django.core.exceptions import ImproperlyConfigured


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from "<header>[,<value>]", e.g. "X-Forwarded-Proto,https".

    The header may be written as the proxy sends it (X-Forwarded-Proto) or as Django's
    request.META key (HTTP_X_FORWARDED_PROTO); the value defaults to "https". Empty: None.
    """
    if not value.strip():
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) > 2 or not all(parts):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must be '<header>' or '<header>,<value>', "
            f"e.g. 'X-Forwarded-Proto,https'; got {value!r}."
        )
    header, expected = parts if len(parts) == 2 else (parts[0], "https")
    meta_key = header.upper().replace("-", "_")
    if not meta_key.startswith("HTTP_"):
        meta_key = f"HTTP_{meta_key}"
    return meta_key, expected
