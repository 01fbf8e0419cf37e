package site.gateway.sandbox.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** PEM encoding and decoding of certificates, CRLs, keys and CSRs (BouncyCastle). */
public final class PemIo {

    /** A private provider instance: nothing is registered globally in the JVM. */
    private static final Provider BC = new BouncyCastleProvider();
    private static final int PBKDF2_ITERATIONS = 100_000;

    private PemIo() {
    }

    public static String toPem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                if (object instanceof Collection<?> many) {
                    for (Object one : many) {
                        writer.writeObject(one);
                    }
                } else {
                    writer.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new PkiException("Cannot encode PEM", e);
        }
        return text.toString();
    }

    /**
     * PKCS#8 {@code ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2-HMAC-SHA256 (100,000 iterations) and
     * AES-256-CBC. Read it with {@link #readEncryptedPrivateKey} or BouncyCastle's
     * {@code PKCS8EncryptedPrivateKeyInfo.decryptPrivateKeyInfo}.
     */
    public static String encryptedPrivateKeyPem(PrivateKey key, char[] passphrase) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(BC)
                    .setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setPassword(passphrase)
                    .build();
            PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
            return toPem(pem);
        } catch (Exception e) {
            throw new PkiException("Cannot encrypt private key", e);
        }
    }

    /** Unencrypted PKCS#8 {@code PRIVATE KEY}: only for the sandbox's own keys. */
    public static String privateKeyPem(PrivateKey key) {
        return toPem(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    public static String publicKeyPem(PublicKey key) {
        return toPem(new PemObject("PUBLIC KEY", key.getEncoded()));
    }

    /** Writes a text file; {@code ownerOnly} gives it mode 0600 (where the file system has POSIX modes). */
    public static void write(Path file, String text, boolean ownerOnly) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            if (ownerOnly && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PkiException("Cannot write " + file, e);
        }
    }

    public static List<X509Certificate> readCertificates(Path file) {
        return parseCertificates(read(file));
    }

    public static List<X509Certificate> parseCertificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        for (Object object : parseAll(pem)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    out.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (Exception e) {
                    throw new PkiException("Bad certificate in PEM", e);
                }
            }
        }
        return out;
    }

    public static X509CRL readCrl(Path file) {
        return parseCrl(read(file));
    }

    public static X509CRL parseCrl(String pem) {
        for (Object object : parseAll(pem)) {
            if (object instanceof X509CRLHolder holder) {
                try {
                    return new JcaX509CRLConverter().getCRL(holder);
                } catch (Exception e) {
                    throw new PkiException("Bad CRL in PEM", e);
                }
            }
        }
        throw new PkiException("No CRL in PEM");
    }

    public static PKCS10CertificationRequest parseCsr(String pem) {
        for (Object object : parseAll(pem)) {
            if (object instanceof PKCS10CertificationRequest csr) {
                return csr;
            }
        }
        throw new PkiException("No CERTIFICATE REQUEST in PEM");
    }

    /** An unencrypted PKCS#8 key; {@code algorithm} is the JCA key algorithm ("EC", "Ed25519", "RSA"). */
    public static PrivateKey readPrivateKey(Path file, String algorithm) {
        for (Object object : parseAll(read(file))) {
            if (object instanceof PrivateKeyInfo info) {
                return toPrivateKey(info, algorithm);
            }
        }
        throw new PkiException("No PRIVATE KEY in " + file);
    }

    public static PrivateKey readEncryptedPrivateKey(Path file, char[] passphrase, String algorithm) {
        for (Object object : parseAll(read(file))) {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                try {
                    PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
                    return toPrivateKey(info, algorithm);
                } catch (Exception e) {
                    throw new PkiException("Cannot decrypt " + file + " (wrong passphrase?)", e);
                }
            }
        }
        throw new PkiException("No ENCRYPTED PRIVATE KEY in " + file);
    }

    public static PublicKey readPublicKey(Path file, String algorithm) {
        for (Object object : parseAll(read(file))) {
            if (object instanceof SubjectPublicKeyInfo info) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
                } catch (Exception e) {
                    throw new PkiException("Bad public key in " + file, e);
                }
            }
        }
        throw new PkiException("No PUBLIC KEY in " + file);
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (Exception e) {
            throw new PkiException("Bad " + algorithm + " private key", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PkiException("Cannot read " + file, e);
        }
    }

    private static List<Object> parseAll(String pem) {
        List<Object> out = new ArrayList<>();
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                out.add(object);
            }
        } catch (IOException e) {
            throw new PkiException("Malformed PEM", e);
        }
        return out;
    }
}
