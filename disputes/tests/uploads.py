"""What the exchange's attachment tests share: a private media folder, an upload, a signed-in client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
