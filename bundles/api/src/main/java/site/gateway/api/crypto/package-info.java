/**
 * TLS context, command-signing keys and certificate rotation (1.1: CsrSubmitter, CertificateRotation;
 * 1.2: TlsContextProvider.revalidateServer; 1.3: TlsContextProvider.crlNextUpdate; 2.0 (issue 17.2, one-way
 * service flow): the whiteboard TlsContextListener and CertificateRotation removed, replaced by the marker
 * TlsContextGeneration (crypto) and, from the transport, api.wms WmsCertificateVerdict and
 * WmsSessionOpen.tlsGeneration()).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package site.gateway.api.crypto;
