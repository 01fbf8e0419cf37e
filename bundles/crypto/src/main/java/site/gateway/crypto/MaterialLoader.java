package site.gateway.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Reads and cross-checks the files named by {@code gateway.crypto}. */
public final class MaterialLoader {
    /** Which part failed: decides the alert. */
    public enum Part { KEY, ANCHORS }

    /** A load failure with the part it concerns. */
    public static final class LoadException extends CryptoException {
        private static final long serialVersionUID = 1L;
        private final Part part;

        LoadException(Part part, String message, Throwable cause) {
            super(message, cause);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    private final PemCodec codec;
    private final Passphrases passphrases;
    private final PrivateFiles privateFiles;

    public MaterialLoader(PemCodec codec, Passphrases passphrases) {
        this(codec, passphrases, new PrivateFiles());
    }

    public MaterialLoader(PemCodec codec, Passphrases passphrases, PrivateFiles privateFiles) {
        this.codec = codec;
        this.passphrases = passphrases;
        this.privateFiles = privateFiles;
    }

    public TlsMaterial load(Settings s) throws LoadException {
        CredentialFiles.Active active = s.credentials().active();
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = codec.certificates(read(active.certificate(), "certificate"), "certificate " + active.certificate());
            privateFiles.check(active.key(), "private key");
            char[] pass = passphrases.read(s.keyPassphraseFile());
            try {
                key = codec.decryptPrivateKey(read(active.key(), "private key"), pass, "private key " + active.key());
            } finally {
                Arrays.fill(pass, '\0');
            }
            checkPair(key, chain.get(0).getPublicKey(), active);
        } catch (CryptoException e) {
            throw new LoadException(Part.KEY, e.getMessage(), e);
        }
        List<X509Certificate> anchors;
        try {
            anchors = codec.certificates(read(s.trustAnchors(), "trust anchors"), "trust anchors " + s.trustAnchors());
        } catch (CryptoException e) {
            throw new LoadException(Part.ANCHORS, e.getMessage(), e);
        }
        X509CRL crl = null;
        String crlProblem = null;
        if (Files.exists(s.crlFile())) {
            try {
                crl = codec.crl(Files.readAllBytes(s.crlFile()));
                ChainValidator.verifyCrl(crl, anchors);
            } catch (IOException | CRLException e) {
                crl = null;
                crlProblem = "CRL file " + s.crlFile() + " ignored: " + e.getMessage();
            }
        }
        List<String> problems = new java.util.ArrayList<>();
        List<X509CRL> issuerCrls = IssuerCrls.load(s.crlFile(), codec, problems);
        if (crlProblem != null) {
            problems.add(0, crlProblem);
        }
        return new TlsMaterial(key, chain, anchors, crl, issuerCrls, problems.isEmpty() ? null : String.join("; ", problems),
                active.pending());
    }

    /** Reads the anchors alone (for a CRL update while no key is usable). */
    public List<X509Certificate> anchors(Settings s) throws CryptoException {
        return codec.certificates(read(s.trustAnchors(), "trust anchors"), "trust anchors " + s.trustAnchors());
    }

    /** SHA-256 over every file the material depends on, to detect changes cheaply. */
    public String fingerprint(Settings s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            CredentialFiles.Active active = s.credentials().active();
            Path pass;
            try {
                pass = passphrases.location(s.keyPassphraseFile());
            } catch (CryptoException e) {
                pass = null;
            }
            // Contents only, not names: committing a confirmed rotation renames files without changing them.
            List<Path> files = new java.util.ArrayList<>(java.util.Arrays.asList(active.certificate(), active.key(), pass,
                    s.trustAnchors(), s.crlFile()));
            files.addAll(IssuerCrls.files(s.crlFile()));
            for (Path p : files) {
                if (p != null) {
                    try {
                        md.update(Files.readAllBytes(p));
                    } catch (IOException e) {
                        md.update((byte) 1); // missing or unreadable: a state of its own
                    }
                }
                md.update((byte) 0);
            }
            // A chmod or chown of a refused secret changes no content but must lead to a new attempt.
            for (Path p : new Path[] {active.key(), pass}) {
                if (p != null) {
                    md.update(PrivateFiles.protection(p).getBytes(StandardCharsets.UTF_8));
                }
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p, String what) throws CryptoException {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CryptoException("The " + what + " file " + p + " does not exist");
        } catch (IOException e) {
            throw new CryptoException("Cannot read the " + what + " file " + p + ": " + e);
        }
    }

    /** Proves the key belongs to the certificate by signing and verifying a random challenge. */
    static void checkPair(PrivateKey key, PublicKey certKey, CredentialFiles.Active active) throws CryptoException {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(certKey);
            verifier.update(challenge);
            if (!verifier.verify(sig)) {
                throw new CryptoException("The private key " + active.key() + " does not belong to the certificate "
                        + active.certificate());
            }
        } catch (GeneralSecurityException e) {
            throw new CryptoException("The private key " + active.key() + " does not match the certificate "
                    + active.certificate() + ": " + e.getMessage(), e);
        }
    }
}
