package site.gateway.plc.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.milo.opcua.stack.client.security.ClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;

/**
 * The client's key and certificate (first key entry of the key store) and the trusted server certificates (the trust
 * store's certificates and {@code server-certificate-file}). A server certificate is accepted when it is in the
 * trusted set itself, or when a PKIX path leads from it to one of them (revocation is not checked); and only within
 * its validity.
 */
final class Credentials {
    /** PLC4X's client application URI, used when the client certificate names none. */
    static final String DEFAULT_APPLICATION_URI = "urn:apache:plc4x:client";

    final KeyPair keyPair;
    final X509Certificate[] chain;
    final String applicationUri;
    final ClientCertificateValidator validator;

    private Credentials(KeyPair keyPair, X509Certificate[] chain, String applicationUri, ClientCertificateValidator validator) {
        this.keyPair = keyPair;
        this.chain = chain;
        this.applicationUri = applicationUri;
        this.validator = validator;
    }

    /** For security policy None: no key, and no server certificate is looked at. */
    static Credentials none() {
        return new Credentials(null, null, DEFAULT_APPLICATION_URI, new Trusted(Set.of(), true));
    }

    static Credentials load(ConnectionSettings settings) throws IOException, GeneralSecurityException {
        KeyStore keys = store(settings.keyStoreFile(), settings.keyStoreType(), settings.keyStorePassword());
        char[] password = settings.keyStorePassword().toCharArray();
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias) && keys.getKey(alias, password) instanceof PrivateKey key) {
                Certificate[] certificates = keys.getCertificateChain(alias);
                if (certificates == null || certificates.length == 0 || !(certificates[0] instanceof X509Certificate)) {
                    continue;
                }
                X509Certificate[] chain = new X509Certificate[certificates.length];
                for (int i = 0; i < chain.length; i++) {
                    chain[i] = (X509Certificate) certificates[i];
                }
                String uri = CertificateUtil.getSanUri(chain[0]).orElse(DEFAULT_APPLICATION_URI);
                return new Credentials(new KeyPair(chain[0].getPublicKey(), key), chain, uri, new Trusted(trusted(settings), false));
            }
        }
        throw new GeneralSecurityException("key-store-file " + settings.keyStoreFile() + " holds no private key with an X.509 certificate");
    }

    private static Set<X509Certificate> trusted(ConnectionSettings settings) throws IOException, GeneralSecurityException {
        Set<X509Certificate> trusted = new HashSet<>();
        if (settings.trustStoreFile() != null && !settings.trustStoreFile().isBlank()) {
            KeyStore store = store(settings.trustStoreFile(), settings.trustStoreType(), settings.trustStorePassword());
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    trusted.add(certificate);
                }
            }
        }
        if (settings.serverCertificateFile() != null && !settings.serverCertificateFile().isBlank()) {
            try (InputStream in = Files.newInputStream(Path.of(settings.serverCertificateFile()))) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.add((X509Certificate) certificate);
                }
            }
        }
        if (trusted.isEmpty()) {
            throw new GeneralSecurityException("no trusted server certificate in trust-store-file / server-certificate-file");
        }
        return trusted;
    }

    private static KeyStore store(String file, String type, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** Accepts what the trusted set vouches for; with security policy None (nothing to check) everything. */
    private static final class Trusted implements ClientCertificateValidator {
        private final Set<X509Certificate> trusted;
        private final boolean none;

        Trusted(Set<X509Certificate> trusted, boolean none) {
            this.trusted = trusted;
            this.none = none;
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain) throws UaException {
            if (none) {
                return;
            }
            if (chain == null || chain.isEmpty()) {
                throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "the server sent no certificate");
            }
            X509Certificate leaf = chain.get(0);
            try {
                leaf.checkValidity();
            } catch (GeneralSecurityException e) {
                throw new UaException(StatusCodes.Bad_CertificateTimeInvalid, "server certificate " + leaf.getSubjectX500Principal()
                        + " is not valid now: " + e.getMessage());
            }
            if (trusted.contains(leaf) || pathToTrusted(chain)) {
                return;
            }
            throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "server certificate " + leaf.getSubjectX500Principal()
                    + " is neither in the trust store nor issued by a certificate there");
        }

        private boolean pathToTrusted(List<X509Certificate> chain) {
            try {
                Set<TrustAnchor> anchors = new HashSet<>();
                for (X509Certificate certificate : trusted) {
                    anchors.add(new TrustAnchor(certificate, null));
                }
                PKIXParameters parameters = new PKIXParameters(anchors);
                parameters.setRevocationEnabled(false);
                List<X509Certificate> path = new ArrayList<>(chain);
                path.removeIf(trusted::contains);
                if (path.isEmpty()) {
                    return false;
                }
                CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
                CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String... validHostNames)
                throws UaException {
            validateCertificateChain(chain);
        }
    }
}
