"""The cluster CA's key on the controller is encrypted with the secret tls_ca_passphrase (tasks/tls_ca.yml)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization

PASSPHRASE = "correct-horse-battery-staple-0123456789"


def _ca(run_playbook, tmp_path, passphrase=PASSPHRASE):
    return run_playbook("tls_ca.yml", "-e", "tls_ca_dir=%s" % (tmp_path / "ca"), "-e", "airflow_tls_ca_passphrase=" + passphrase)


def _public_key(key, passphrase=None):
    """The key's public half (PEM); raises when the passphrase does not open it."""
    private = serialization.load_pem_private_key(key.read_bytes(), passphrase.encode() if passphrase else None)
    return private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_new_ca_key_is_encrypted_and_never_logged(run_playbook, tmp_path):
    created = _ca(run_playbook, tmp_path)
    assert created.returncode == 0, created.stdout[-3000:]
    key = tmp_path / "ca" / "ca.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert "ENCRYPTED" in key.read_text()
    with pytest.raises(TypeError):  # "Password was not given but private key is encrypted"
        _public_key(key)
    _public_key(key, PASSPHRASE)
    assert PASSPHRASE not in created.stdout + created.stderr
    again = _ca(run_playbook, tmp_path)
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-3000:]


def test_plain_ca_key_of_an_earlier_release_is_encrypted_in_place(run_playbook, tmp_path):
    assert _ca(run_playbook, tmp_path).returncode == 0
    key = tmp_path / "ca" / "ca.key"
    before = _public_key(key, PASSPHRASE)
    private = serialization.load_pem_private_key(key.read_bytes(), PASSPHRASE.encode())
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    assert "ENCRYPTED" not in key.read_text()
    converted = _ca(run_playbook, tmp_path)
    assert converted.returncode == 0 and "changed=1" in converted.stdout, converted.stdout[-3000:]
    assert "ENCRYPTED" in key.read_text()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert _public_key(key, PASSPHRASE) == before, "the CA key changed: every certificate would need signing anew"


def test_ca_key_of_another_passphrase_is_refused(run_playbook, tmp_path):
    assert _ca(run_playbook, tmp_path).returncode == 0
    key = tmp_path / "ca" / "ca.key"
    content = key.read_text()
    refused = _ca(run_playbook, tmp_path, "another-passphrase")
    assert refused.returncode != 0
    assert "does not open with tls_ca_passphrase" in " ".join(refused.stdout.split()), refused.stdout[-3000:]
    assert key.read_text() == content
