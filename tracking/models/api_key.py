"""Keys the host product uses to call the ingestion API.

Only a SHA-256 hash of each key is stored: the key itself is shown once, when it is created.
Keys are long random strings, so a plain (unsalted) hash is enough and allows an indexed lookup.
"""

import hashlib

from django.db import models


class ApiKey(models.Model):
    KEY_PREFIX = "crmb_"
    PREFIX_LENGTH = 8

    name = models.CharField(max_length=100, help_text="Who or what uses this key.")
    prefix = models.CharField(
        max_length=PREFIX_LENGTH, editable=False, help_text="The key's first characters."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
