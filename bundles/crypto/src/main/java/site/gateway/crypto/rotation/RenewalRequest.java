package site.gateway.crypto.rotation;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import site.gateway.crypto.ChainValidator;
import site.gateway.crypto.CryptoException;
import site.gateway.crypto.PemCodec;

/** One renewal: a fresh EC P-256 key, its CSR for the unchanged subject, and the check of the answer. */
record RenewalRequest(KeyPair keys, X500Principal subject, String csrPem) {

    static RenewalRequest create(X500Principal subject, PemCodec codec) throws CryptoException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(codec.provider()).build(keys.getPrivate()));
            return new RenewalRequest(keys, subject, codec.pem(csr));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new CryptoException("Cannot create the renewal key and CSR: " + e.getMessage(), e);
        }
    }

    /**
     * The answer must be our key, our subject, and chain to the anchors as a client certificate (§2.3).
     *
     * @return the chain, leaf first
     */
    List<X509Certificate> check(String chainPem, PemCodec codec, ChainValidator validator) throws CertificateException {
        List<X509Certificate> chain;
        try {
            chain = codec.certificates(chainPem, "renewed certificate chain");
        } catch (CryptoException e) {
            throw new CertificateException(e.getMessage(), e);
        }
        X509Certificate leaf = chain.get(0);
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
            throw new CertificateException("the renewed certificate does not carry the public key we generated");
        }
        if (!leaf.getSubjectX500Principal().equals(subject)) {
            throw new CertificateException("the renewed certificate's subject " + leaf.getSubjectX500Principal()
                    + " differs from ours " + subject);
        }
        validator.validatePath(chain.toArray(new X509Certificate[0]), ChainValidator.EKU_CLIENT);
        return chain;
    }
}
