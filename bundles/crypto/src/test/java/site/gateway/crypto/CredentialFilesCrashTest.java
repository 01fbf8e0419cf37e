package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rotation file protocol, interrupted at every durable step (as kill -9 would) and by real SIGKILLs
 * of a separate JVM: the files left behind always give a usable pair, old or new.
 */
class CredentialFilesCrashTest {
    private static final String PASS = "pw";

    @TempDir
    Path dir;

    static final class SimulatedCrash extends IOException {
        private static final long serialVersionUID = 1L;
    }

    record Pair(String certPem, String keyPem, X509Certificate cert) {
    }

    static Pair pair(TestPki.Issued ca, String cn) throws Exception {
        TestPki.Issued c = TestPki.client(ca, cn, "acme");
        return new Pair(c.chainPem(), TestPki.CODEC.encryptPrivateKey(c.keys().getPrivate(), PASS.toCharArray()), c.cert());
    }

    // Decrypting (scrypt) is slow on purpose; the same file content always decrypts to the same key.
    private static final java.util.Map<String, PrivateKey> DECRYPTED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Loads the pair the files designate now, proving key and certificate belong together. */
    static X509Certificate usablePair(CredentialFiles files) throws Exception {
        CredentialFiles.Active active = files.active();
        X509Certificate cert = TestPki.CODEC.certificates(Files.readString(active.certificate()), "cert").get(0);
        String keyPem = Files.readString(active.key());
        PrivateKey key = DECRYPTED.get(keyPem);
        if (key == null) {
            key = TestPki.CODEC.decryptPrivateKey(keyPem, PASS.toCharArray(), "key");
            DECRYPTED.put(keyPem, key);
        }
        MaterialLoader.checkPair(key, cert.getPublicKey(), active);
        return cert;
    }

    private List<String> steps(Pair oldPair, Pair newPair, boolean commit) throws Exception {
        Path d = Files.createDirectories(dir.resolve("count"));
        install(d, oldPair);
        List<String> steps = new ArrayList<>();
        CredentialFiles files = new CredentialFiles(d.resolve("gateway.crt"), d.resolve("gateway.key"), steps::add);
        files.writePending(newPair.certPem(), newPair.keyPem(), 1);
        if (commit) {
            files.commit(2);
        } else {
            files.rollback();
        }
        return steps;
    }

    private static void install(Path d, Pair p) throws IOException {
        Files.writeString(d.resolve("gateway.crt"), p.certPem());
        Files.writeString(d.resolve("gateway.key"), p.keyPem());
    }

    @Test
    void everyInterruptionPointLeavesAUsablePairAndRecovers() throws Exception {
        TestPki.Issued ca = TestPki.ca("CA");
        Pair oldPair = pair(ca, "gw-01");
        Pair newPair = pair(ca, "gw-01");
        for (boolean commit : new boolean[] {true, false}) {
            List<String> steps = steps(oldPair, newPair, commit);
            assertThat(steps).hasSizeGreaterThanOrEqualTo(commit ? 8 : 6);
            for (int k = 0; k < steps.size(); k++) {
                Path d = Files.createDirectories(dir.resolve((commit ? "c" : "r") + k));
                install(d, oldPair);
                int crashAt = k;
                int[] n = {0};
                CredentialFiles crashing = new CredentialFiles(d.resolve("gateway.crt"), d.resolve("gateway.key"), step -> {
                    if (n[0]++ == crashAt) {
                        throw new SimulatedCrash();
                    }
                });
                try {
                    crashing.writePending(newPair.certPem(), newPair.keyPem(), 1);
                    if (commit) {
                        crashing.commit(2);
                    } else {
                        crashing.rollback();
                    }
                } catch (SimulatedCrash expected) {
                    // the process "died" here
                }
                CredentialFiles restarted = new CredentialFiles(d.resolve("gateway.crt"), d.resolve("gateway.key"));
                String at = (commit ? "commit" : "rollback") + " interrupted after '" + steps.get(k) + "'";
                assertThat(usablePair(restarted)).as(at).isIn(oldPair.cert(), newPair.cert());
                boolean confirmed = commit && steps.indexOf("journal committing") <= k;
                restarted.recover();
                X509Certificate after = usablePair(restarted);
                if (confirmed) {
                    assertThat(after).as(at).isEqualTo(newPair.cert());
                    assertThat(restarted.journal().state()).as(at).isEqualTo(CredentialFiles.State.NONE);
                    assertThat(d.resolve("gateway.key.new")).as(at).doesNotExist();
                }
                if (k < 2) {
                    assertThat(after).as(at).isEqualTo(oldPair.cert());
                }
            }
        }
    }

    @Test
    void newKeyFilesAreOwnerOnly() throws Exception {
        TestPki.Issued ca = TestPki.ca("CA");
        install(dir, pair(ca, "gw-01"));
        Pair fresh = pair(ca, "gw-01");
        CredentialFiles files = new CredentialFiles(dir.resolve("gateway.crt"), dir.resolve("gateway.key"));
        files.writePending(fresh.certPem(), fresh.keyPem(), 1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("gateway.key.new")))).isEqualTo("rw-------");
        files.commit(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("gateway.key")))).isEqualTo("rw-------");
        assertThat(dir.resolve("gateway.key.prev")).as("the retired private key is not kept").doesNotExist();
        assertThat(dir.resolve("gateway.crt.prev")).exists();
        assertThat(usablePair(files)).isEqualTo(fresh.cert());
    }

    @Test
    void sigkillOfARotatingJvmAlwaysLeavesAUsablePair() throws Exception {
        TestPki.Issued ca = TestPki.ca("CA");
        int count = 3;
        List<X509Certificate> certs = new ArrayList<>();
        Files.createDirectories(dir.resolve("pairs"));
        for (int i = 0; i < count; i++) {
            Pair p = pair(ca, "gw-01");
            certs.add(p.cert());
            Files.writeString(dir.resolve("pairs/" + i + ".crt"), p.certPem());
            Files.writeString(dir.resolve("pairs/" + i + ".key"), p.keyPem());
            if (i == 0) {
                install(dir, p);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(42);
        for (int round = 0; round < 5; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    RotationCrashChild.class.getName(), dir.toString(), String.valueOf(count))
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("started");
                // Let it rotate for a random while, then SIGKILL it mid-flight.
                assertThat(child.waitFor(50 + random.nextInt(300), TimeUnit.MILLISECONDS)).isFalse();
                child.destroyForcibly();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            CredentialFiles files = new CredentialFiles(dir.resolve("gateway.crt"), dir.resolve("gateway.key"));
            assertThat(usablePair(files)).isIn(certs);
            files.recover();
            assertThat(usablePair(files)).isIn(certs);
        }
    }
}
