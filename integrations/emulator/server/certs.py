"""A private certificate authority and the server certificate it signs.

Clients trust the emulator by pointing REQUESTS_CA_BUNDLE (or `verify=`) at the CA file. The
files in the certificate directory are reused while valid, so a demo's trust setup survives
restarts.
"""

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE, CERT_FILE, KEY_FILE = "ca.pem", "server.pem", "server-key.pem"
_VALIDITY = timedelta(days=825)


@dataclass(frozen=True)
class CertificateFiles:
    ca_file: Path
    cert_file: Path
    key_file: Path


def ensure_certificates(host: str, cert_dir: str | Path) -> CertificateFiles:
    """The CA and server certificate for `host`, reusing valid ones found in `cert_dir`."""
    directory = Path(cert_dir)
    directory.mkdir(parents=True, exist_ok=True)
    files = CertificateFiles(directory / CA_FILE, directory / CERT_FILE, directory / KEY_FILE)
    if not _reusable(files, host):
        _write_certificates(files, host)
    return files


def _reusable(files: CertificateFiles, host: str) -> bool:
    if not all(path.exists() for path in (files.ca_file, files.cert_file, files.key_file)):
        return False
    certificate = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    if certificate.not_valid_after_utc < datetime.now(UTC) + timedelta(days=1):
        return False
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return _host_name(host) in list(names)


def _host_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _write_certificates(files: CertificateFiles, host: str) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("CRM Bridge Salesforce Emulator CA")
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    alt_names = {_host_name(host), x509.DNSName("localhost"),
                 x509.IPAddress(ipaddress.ip_address("127.0.0.1"))}  # fmt: skip
    server_cert = (
        _builder(_name(host), ca_name, server_key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(sorted(alt_names, key=str)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files.ca_file.write_bytes(ca_cert.public_bytes(pem))
    files.cert_file.write_bytes(server_cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    files.key_file.write_bytes(
        server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    files.key_file.chmod(0o600)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject, issuer, public_key) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
