package site.gateway.plc.opcua;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.SignedIdentityToken;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityAlgorithm;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSessionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SignatureData;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SignatureUtil;

/**
 * What a {@link DirectSession}'s CreateSession and ActivateSession prove, as Milo's client does it (OPC 10000-4
 * §5.6.2, §5.6.3): our certificate, the server's signature over it and our nonce, ours over the server's certificate
 * and nonce, and the user's identity token. Without a server certificate (policy None) nothing is signed or verified.
 */
final class SessionProofs {
    private final ConnectionSettings settings;
    private final Credentials credentials;
    /** The endpoint's certificate, already checked against the trust store; null without security. */
    private final X509Certificate serverCertificate;

    SessionProofs(ConnectionSettings settings, Credentials credentials, X509Certificate serverCertificate) {
        this.settings = settings;
        this.credentials = credentials;
        this.serverCertificate = serverCertificate;
    }

    /** Our certificate for CreateSession, or the null ByteString without one. */
    ByteString clientCertificate() throws UaException {
        if (credentials.chain == null) {
            return ByteString.NULL_VALUE;
        }
        try {
            return ByteString.of(credentials.chain[0].getEncoded());
        } catch (GeneralSecurityException e) {
            throw new UaException(StatusCodes.Bad_CertificateInvalid, e);
        }
    }

    /**
     * On a secured channel: CreateSession answered with the endpoint's certificate, and the server signed our
     * certificate and nonce with its key.
     */
    void verifyServer(CreateSessionResponse created, ByteString clientCertificate, ByteString clientNonce) throws UaException {
        if (serverCertificate == null) {
            return;
        }
        List<X509Certificate> chain = CertificateUtil.decodeCertificates(created.getServerCertificate().bytesOrEmpty());
        if (chain.isEmpty() || !chain.get(0).equals(serverCertificate)) {
            throw new UaException(StatusCodes.Bad_SecurityChecksFailed,
                    "the server's certificate in CreateSession is not the one of its endpoint");
        }
        SignatureData signature = created.getServerSignature();
        SignatureUtil.verify(SecurityAlgorithm.fromUri(signature.getAlgorithm()), serverCertificate,
                concat(clientCertificate.bytesOrEmpty(), clientNonce.bytesOrEmpty()), signature.getSignature().bytesOrEmpty());
    }

    /** Our certificate's proof of possession: the server's certificate and nonce signed with our key. */
    SignatureData clientSignature(ByteString serverNonce) throws UaException {
        if (serverCertificate == null) {
            return new SignatureData(null, null);
        }
        try {
            SecurityAlgorithm algorithm = settings.policy().getAsymmetricSignatureAlgorithm();
            byte[] signed = SignatureUtil.sign(algorithm, credentials.keyPair.getPrivate(),
                    ByteBuffer.wrap(concat(serverCertificate.getEncoded(), serverNonce.bytesOrEmpty())));
            return new SignatureData(algorithm.getUri(), ByteString.of(signed));
        } catch (GeneralSecurityException e) {
            throw new UaException(StatusCodes.Bad_CertificateInvalid, e);
        }
    }

    /** The user's token for ActivateSession: anonymous, or the configured user name and password. */
    SignedIdentityToken identityToken(EndpointDescription endpoint, ByteString serverNonce) throws UaException {
        IdentityProvider identity = settings.username() == null ? new AnonymousProvider()
                : new UsernameProvider(settings.username(), settings.password());
        try {
            return identity.getIdentityToken(endpoint, serverNonce);
        } catch (UaException e) {
            throw e;
        } catch (Exception e) {
            throw new UaException(StatusCodes.Bad_IdentityTokenInvalid, e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
