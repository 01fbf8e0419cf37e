package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.sandbox.pki.DevPki;

class PkiDevCommandTest {
    @TempDir
    Path home;

    @Test
    void writesThePkiForTheConfiguredIdentityIntoCertsAndNeverOverwritesAKey() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/gateway.identity.cfg"), "tenantId = acme\ngatewayId = gw-7\n");
        Ctl pki = Ctl.run(home, home, "pki", "dev");
        assertThat(pki.exit()).as(pki.err()).isZero();
        assertThat(pki.out()).contains("Development PKI for acme/gw-7").contains("not for production");
        Path certs = home.resolve("certs");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("gateway.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("gateway.pass")))).isEqualTo("rw-------");
        assertThat(home.resolve("data/crl/wms.crl")).as("the CRL where gateway.crypto looks for it").exists();
        DevPki loaded = DevPki.load(certs);
        assertThat(loaded.tenantId()).isEqualTo("acme");
        assertThat(loaded.gatewayId()).isEqualTo("gw-7");

        byte[] key = Files.readAllBytes(certs.resolve("gateway.key"));
        Ctl again = Ctl.run(home, home, "pki", "dev");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("exists: not overwriting a key");
        assertThat(Files.readAllBytes(certs.resolve("gateway.key"))).isEqualTo(key);
        assertThat(Ctl.run(home, home, "pki", "dev", "--force").exit()).isZero();
    }

    @Test
    void withoutAnIdentityItAsksForOne() {
        Ctl pki = Ctl.run(home, home, "pki", "dev", "--out", "certs");
        assertThat(pki.exit()).isEqualTo(2);
        assertThat(pki.err()).contains("give --tenant and --gateway");
    }
}
