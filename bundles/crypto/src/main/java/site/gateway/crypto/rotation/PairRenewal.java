package site.gateway.crypto.rotation;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import site.gateway.api.crypto.CsrSubmitter;
import site.gateway.crypto.ChainValidator;
import site.gateway.crypto.CryptoException;
import site.gateway.crypto.MaterialLoader;
import site.gateway.crypto.Passphrases;
import site.gateway.crypto.PemCodec;
import site.gateway.crypto.Settings;

/**
 * §2.3, one renewal: a new EC P-256 key and its CSR with the current subject, submitted through the transport;
 * the answer checked against the trust anchors; the new key encrypted with the gateway's passphrase. Writes
 * nothing: installing the pair is the rotator's.
 */
public final class PairRenewal {
    /** The renewed pair, as PEM ready to be written. */
    record Renewed(X509Certificate leaf, String chainPem, String keyPem) {
    }

    private final PemCodec codec;
    private final MaterialLoader loader;
    private final Passphrases passphrases;
    private final Clock clock;

    public PairRenewal(PemCodec codec, MaterialLoader loader, Passphrases passphrases, Clock clock) {
        this.codec = codec;
        this.loader = loader;
        this.passphrases = passphrases;
        this.clock = clock;
    }

    Renewed renew(X509Certificate current, CsrSubmitter submitter, Settings settings)
            throws IOException, CertificateException, CryptoException {
        RenewalRequest request = RenewalRequest.create(current.getSubjectX500Principal(), codec);
        String answer = submitter.submitCsr(request.csrPem());
        ChainValidator validator = new ChainValidator(loader.anchors(settings), List.of(), false, clock);
        List<X509Certificate> chain = request.check(answer, codec, validator);
        char[] pass = passphrases.read(settings.keyPassphraseFile());
        try {
            return new Renewed(chain.get(0), codec.pem(chain.toArray()), codec.encryptPrivateKey(request.keys().getPrivate(), pass));
        } finally {
            Arrays.fill(pass, '\0');
        }
    }
}
