package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.audit.AuditVerifier;
import site.gateway.storage.OutboxStore;

/** Against the real MetaType of the storage and audit bundle jars, as built. */
class ConfigCheckCommandTest {
    @TempDir
    Path dist;
    Path conf;

    @BeforeEach
    void distributionWithTwoBundles() throws Exception {
        Path deploy = Files.createDirectories(dist.resolve("deploy"));
        for (Class<?> inBundle : new Class<?>[] {OutboxStore.class, AuditVerifier.class}) {
            Path jar = Path.of(inBundle.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(jar)) { // a reactor build may hand over the bundle's classes folder
                jarOf(jar, deploy.resolve(inBundle.getPackageName() + ".jar"));
            } else {
                Files.copy(jar, deploy.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        conf = Files.createDirectories(dist.resolve("conf"));
    }

    private static void jarOf(Path classes, Path jar) throws java.io.IOException {
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar));
             java.util.stream.Stream<Path> files = Files.walk(classes.resolve("OSGI-INF"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(classes.relativize(file).toString()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
    }

    @Test
    void validFilesPassAndFilesWithoutMetaTypeAreNamedNotChecked() throws Exception {
        Files.writeString(conf.resolve("gateway.buffer.cfg"), "# comment\nmaxBytes = 1048576\nwhenFull = reject-new\n");
        Files.writeString(conf.resolve("gateway.audit.cfg"), "maxFiles = 10\n");
        Files.writeString(conf.resolve("org.apache.felix.http.cfg"), "org.osgi.service.http.port = 8080\n");
        Ctl check = Ctl.run(dist, null, "config", "check");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("OK    gateway.buffer.cfg (pid gateway.buffer, site.gateway.storage")
                .contains("OK    org.apache.felix.http.cfg (no MetaType definition")
                .contains("3 files checked").contains("0 errors, 0 warnings");
    }

    @Test
    void aValueOfTheWrongTypeOrNotAnOptionIsAnError() throws Exception {
        Files.writeString(conf.resolve("gateway.buffer.cfg"), "maxBytes = 512MB\nwhenFull = drop-newest\nsyncIntervalMs = 10\n");
        Files.writeString(conf.resolve("gateway.audit.cfg"), "maxFiles = 10\n");
        Ctl check = Ctl.run(dist, null, "config", "check");
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains("ERROR gateway.buffer.cfg: maxBytes = 512MB: not a long number")
                .contains("ERROR gateway.buffer.cfg: whenFull = drop-newest: not one of drop-oldest, reject-new")
                .contains("OK    gateway.audit.cfg").contains("2 errors");
    }

    @Test
    void anUnknownKeyIsAWarningNotAnError() throws Exception {
        Files.writeString(conf.resolve("gateway.buffer.cfg"), "maxByte = 1048576\nwritable.x = true\n");
        Ctl check = Ctl.run(dist, null, "config", "check");
        assertThat(check.exit()).isZero();
        assertThat(check.out()).contains("WARN  gateway.buffer.cfg: unknown key 'maxByte'").doesNotContain("writable.x")
                .contains("0 errors, 1 warning");
    }

    @Test
    void aBooleanThatIsNeitherTrueNorFalseIsAnError() throws Exception {
        Files.writeString(conf.resolve("gateway.audit.cfg"), "maxFiles = ten\n");
        Ctl check = Ctl.run(dist, null, "config", "check", "--conf", conf.toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains("maxFiles = ten: not an integer number");
    }

    @Test
    void aMissingConfFolderIsAnIoError() {
        Ctl check = Ctl.run(dist, null, "config", "check", "--conf", dist.resolve("nowhere").toString());
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.err()).contains("no configuration folder");
    }
}
