package site.gateway.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM and PKCS#8 reading and writing with BouncyCastle. The provider is a private instance, never
 * registered in the JVM: decryption goes through it, and every key or certificate handed out is
 * converted to a JDK object so that SunJSSE and SunEC use it without BouncyCastle registered.
 */
public final class PemCodec {
    private final Provider bc;

    public PemCodec() {
        this(new BouncyCastleProvider());
    }

    public PemCodec(Provider bc) {
        this.bc = bc;
    }

    public Provider provider() {
        return bc;
    }

    /** All certificates of a PEM file or text, in order. */
    public List<X509Certificate> certificates(String pem, String what) throws CryptoException {
        List<X509Certificate> result = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new CryptoException(what + " is not a valid PEM certificate file: " + e.getMessage(), e);
        }
        if (result.isEmpty()) {
            throw new CryptoException(what + " contains no PEM certificate");
        }
        return result;
    }

    /** Decrypts an encrypted PKCS#8 PEM key ({@code ENCRYPTED PRIVATE KEY}); unencrypted keys are refused. */
    public PrivateKey decryptPrivateKey(String pem, char[] passphrase, String what) throws CryptoException {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException e) {
            throw new CryptoException(what + " is not a readable PEM file: " + e.getMessage(), e);
        }
        if (o instanceof PrivateKeyInfo || o instanceof org.bouncycastle.openssl.PEMKeyPair) {
            throw new CryptoException(what + " is not encrypted; keys must be stored as encrypted PKCS#8 (ENCRYPTED PRIVATE KEY)");
        }
        if (!(o instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
            throw new CryptoException(what + " contains no ENCRYPTED PRIVATE KEY block");
        }
        PrivateKeyInfo info;
        try {
            info = encrypted.decryptPrivateKeyInfo(new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(bc).build(passphrase));
        } catch (PKCSException | RuntimeException e) {
            // A wrong passphrase shows up as a padding or ASN.1 error: say what it most likely means.
            throw new CryptoException("Cannot decrypt " + what + ": wrong passphrase or damaged key file", e);
        }
        try {
            String algorithm = jdkAlgorithm(info);
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(what + " holds an unsupported key type: " + e.getMessage(), e);
        }
    }

    private static String jdkAlgorithm(PrivateKeyInfo info) throws GeneralSecurityException {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        return switch (oid) {
            case "1.2.840.10045.2.1" -> "EC";
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            case "1.3.101.112" -> "Ed25519";
            default -> throw new GeneralSecurityException("key algorithm " + oid);
        };
    }

    /** Encrypts a key as PKCS#8 PBES2: AES-256-CBC with an scrypt-derived key (N=2^15, r=8, p=1). */
    public String encryptPrivateKey(PrivateKey key, char[] passphrase) throws CryptoException {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ScryptConfig scrypt = new ScryptConfig.Builder(1 << 15, 8, 1).withSaltLength(16).build();
            PKCS8EncryptedPrivateKeyInfo encrypted = new PKCS8EncryptedPrivateKeyInfoBuilder(info)
                    .build(new JcePKCSPBEOutputEncryptorBuilder(scrypt, NISTObjectIdentifiers.id_aes256_CBC)
                            .setProvider(bc).build(passphrase));
            return pem(new PemObject("ENCRYPTED PRIVATE KEY", encrypted.getEncoded()));
        } catch (IOException | OperatorCreationException e) {
            throw new CryptoException("Cannot encrypt the private key: " + e.getMessage(), e);
        }
    }

    /** A CRL from PEM ({@code X509 CRL}) or DER bytes. */
    public X509CRL crl(byte[] pemOrDer) throws CRLException {
        byte[] der = pemOrDer;
        String text = new String(pemOrDer, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN")) {
            try (PEMParser parser = new PEMParser(new StringReader(text))) {
                Object o = parser.readObject();
                if (!(o instanceof X509CRLHolder holder)) {
                    throw new CRLException("no X509 CRL block in the PEM data");
                }
                der = holder.getEncoded();
            } catch (IOException e) {
                throw new CRLException("unreadable PEM CRL: " + e.getMessage(), e);
            }
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new CRLException(e.getMessage(), e);
        }
    }

    /** An Ed25519 public key from a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) block. */
    public PublicKey ed25519PublicKey(String pem, String what) throws CryptoException {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException e) {
            throw new CryptoException(what + " is not a readable PEM file: " + e.getMessage(), e);
        }
        SubjectPublicKeyInfo spki;
        if (o instanceof SubjectPublicKeyInfo info) {
            spki = info;
        } else if (o instanceof X509CertificateHolder holder) {
            spki = holder.getSubjectPublicKeyInfo();
        } else {
            throw new CryptoException(what + " contains no PUBLIC KEY block");
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new CryptoException(what + " is not an Ed25519 key (algorithm " + spki.getAlgorithm().getAlgorithm() + ")");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(what + " is not a valid Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** PEM text of certificates, CSRs, keys or any object BouncyCastle's writer knows. */
    public String pem(Object... objects) throws CryptoException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof PemObject p) {
                    writer.writeObject(p);
                } else {
                    writer.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new CryptoException("Cannot write PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
