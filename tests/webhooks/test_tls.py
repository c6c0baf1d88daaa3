"""The HTTPS connection goes to the address resolved beforehand and checks the certificate
against the endpoint's host name (a local TLS listener with a certificate for a public name)."""

from __future__ import annotations

import datetime
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from portfolio.webhooks.delivery import PinnedHTTPSConnection
from tests.webhooks.builders import Listener


def certificate_for(name: str, folder) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def tls_listener(tmp_path):
    cert, key = certificate_for("lms.example.org", tmp_path)
    with Listener() as running:
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(cert, key)
        running.server.socket = server_context.wrap_socket(running.server.socket,
                                                           server_side=True)
        yield running, cert


def _post(host, port, cert):
    client_context = ssl.create_default_context(cafile=cert)
    connection = PinnedHTTPSConnection(host, port, "127.0.0.1", timeout=5,
                                       context=client_context)
    try:
        connection.request("POST", "/hooks", body=b"{}", headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_https_reaches_the_pinned_address_with_the_certificate_checked(tls_listener):
    listener, cert = tls_listener
    port = listener.server.server_address[1]
    assert _post("lms.example.org", port, cert) == 200
    assert len(listener.received) == 1
    with pytest.raises(ssl.SSLCertVerificationError):
        _post("other.example.org", port, cert)  # a certificate for another name is refused
