/**
 * TLS context, command-signing keys and certificate rotation (1.1: CsrSubmitter, CertificateRotation;
 * 1.2: TlsContextProvider.revalidateServer; 1.3: TlsContextProvider.crlNextUpdate).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package site.gateway.api.crypto;
