"""API tokens for machines: only a hash is stored, the token itself is shown once."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # sha256 of the token: a stolen backup or database dump gives no usable token
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("đầu mã (để nhận ra)", max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
