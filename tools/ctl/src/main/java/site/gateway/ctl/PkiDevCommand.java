package site.gateway.ctl;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.PkiFiles;

/**
 * {@code pki dev}: the development PKI of the WMS sandbox (tools/wms-sandbox), written in the layout
 * of {@code certs/}, for the identity in {@code conf/gateway.identity.cfg} unless told otherwise.
 */
final class PkiDevCommand implements Command {
    @Override
    public String help() {
        return """
                usage: gateway-ctl pki dev [--home DIR] [--out DIR] [--tenant T] [--gateway G] [--kid K] [--days N] [--force]
                  Writes a DEVELOPMENT PKI (a CA, the WMS server and gateway certificates, the gateway's
                  encrypted key and its passphrase file (0600), the CRL and a command-signing key) for a
                  trial against the WMS sandbox. Never for production: the CA key lies beside it (wms/).
                  --out DIR     where to write (default: <home>/certs; then the CRL is also installed as
                                crlFile of conf/gateway.crypto.cfg, else data/crl/wms.crl, when none is there)
                  --tenant T    tenant id (default: tenantId of conf/gateway.identity.cfg)
                  --gateway G   gateway id (default: gatewayId of conf/gateway.identity.cfg)
                  --kid K       command key id (default: %s)
                  --days N      validity (default: 365)
                  --force       overwrite an existing gateway key in --out
                  Exit code: 0 written, 1 refused (a key exists), 2 usage error.
                """.formatted(DevPki.DEFAULT_KID);
    }

    @Override
    public Set<String> flags() {
        return Set.of("force");
    }

    @Override
    public int run(Options options, Home home, PrintStream out, PrintStream err) {
        Path dir = home.resolve(options.get("out", "certs"));
        String tenant = options.get("tenant", home.cfg("gateway.identity", "tenantId", null));
        String gateway = options.get("gateway", home.cfg("gateway.identity", "gatewayId", null));
        if (tenant == null || gateway == null) {
            throw new UsageException("no identity: give --tenant and --gateway, or set them in conf/gateway.identity.cfg");
        }
        PkiFiles existing = PkiFiles.in(dir, options.get("kid", DevPki.DEFAULT_KID));
        if (Files.exists(existing.gatewayKey()) && !options.has("force")) {
            err.println(existing.gatewayKey() + " exists: not overwriting a key (--force to replace it)");
            return 1;
        }
        DevPki pki = DevPki.generate(tenant, gateway, options.get("kid", DevPki.DEFAULT_KID),
                Duration.ofDays(Long.parseLong(options.get("days", "365"))));
        PkiFiles files = pki.writeTo(dir);
        // Also where the crypto bundle looks for the CRL, so a trial starts without crl.stale.
        Path crl = home.resolve(home.cfg("gateway.crypto", "crlFile", "data/crl/wms.crl"));
        boolean crlInstalled = options.get("out") == null && !Files.exists(crl);
        if (crlInstalled) {
            try {
                Files.createDirectories(crl.getParent());
            } catch (java.io.IOException e) {
                err.println("cannot create " + crl.getParent() + ": " + e);
                return 1;
            }
            pki.writeCrl(crl);
        }
        out.println("Development PKI for " + tenant + "/" + gateway + " written to " + dir + " (not for production)");
        out.println("  trust anchors        " + files.caCertificate());
        out.println("  gateway certificate  " + files.gatewayCertificate());
        out.println("  gateway key          " + files.gatewayKey() + " (encrypted, 0600)");
        out.println("  key passphrase file  " + files.gatewayKeyPassphrase() + " (0600)");
        out.println("  CRL                  " + files.crl() + (crlInstalled ? ", installed as " + crl : ""));
        out.println("  command keys         " + files.commandKeysDir());
        out.println("  WMS side only        " + files.caKey().getParent());
        return 0;
    }
}
