package site.gateway.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Issue 13 point 1: no working default password; an operator's own password is kept as it is. */
class ConsolePasswordGuardTest {
    @TempDir
    Path home;
    Hashtable<String, Object> stored;

    /** The console's configuration in memory, as Config Admin would hold it. */
    ConfigurationAdmin admin() {
        Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> stored == null ? null : new Hashtable<>(stored);
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> props = (Dictionary<String, Object>) args[0];
                        stored = new Hashtable<>();
                        for (var keys = props.keys(); keys.hasMoreElements();) {
                            String key = keys.nextElement();
                            stored.put(key, props.get(key));
                        }
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration")) {
                        return configuration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private Path shippedCfg(String passwordLine) throws Exception {
        Path cfg = Files.createDirectories(home.resolve("conf")).resolve(ConsolePasswordGuard.PID + ".cfg");
        Files.writeString(cfg, "# Felix web console\nmanager.root = /system/console\nusername = admin\n" + passwordLine);
        stored = new Hashtable<>();
        stored.put("manager.root", "/system/console");
        stored.put("username", "admin");
        stored.put("felix.fileinstall.filename", cfg.toUri().toString());
        return cfg;
    }

    private String generatedPassword() throws Exception {
        List<String> lines = Files.readAllLines(home.resolve(ConsolePasswordGuard.SECRET_FILE));
        return lines.get(lines.size() - 1);
    }

    @Test
    void withoutAPasswordARandomOneIsGeneratedHashedAndWrittenOnceToAnOwnerOnlyFile() throws Exception {
        Path cfg = shippedCfg("");
        assertThat(new ConsolePasswordGuard(admin(), home).ensure()).isTrue();

        String clear = generatedPassword();
        Path secret = home.resolve(ConsolePasswordGuard.SECRET_FILE);
        assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(cfg)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String hashed = (String) stored.get("password");
        assertThat(hashed).startsWith("{sha-256}");
        assertThat(ConsolePasswords.accepts(hashed, clear)).isTrue();
        assertThat(ConsolePasswords.accepts(hashed, "admin")).isFalse();
        assertThat(Files.readString(cfg)).contains("password = " + hashed).contains("manager.root = /system/console")
                .doesNotContain(clear);

        assertThat(new ConsolePasswordGuard(admin(), home).ensure()).as("once: a second start keeps it").isFalse();
        assertThat(generatedPassword()).isEqualTo(clear);
    }

    @Test
    void adminIsReplacedEvenWhenConfiguredClearOrHashed() throws Exception {
        for (String admin : List.of("admin", ConsolePasswords.hash("admin"))) {
            Path cfg = shippedCfg("password = " + admin + "\n");
            stored.put("password", admin);
            assertThat(new ConsolePasswordGuard(admin(), home).ensure()).isTrue();
            assertThat(ConsolePasswords.accepts((String) stored.get("password"), "admin")).isFalse();
            assertThat(Files.readString(cfg)).doesNotContain("password = " + admin + "\n");
        }
    }

    @Test
    void anOperatorsPasswordIsUsedAsItIs() throws Exception {
        Path cfg = shippedCfg("password = Our-Own-Choice-2026\n");
        stored.put("password", "Our-Own-Choice-2026");
        String before = Files.readString(cfg);

        assertThat(new ConsolePasswordGuard(admin(), home).ensure()).isFalse();

        assertThat(stored.get("password")).isEqualTo("Our-Own-Choice-2026");
        assertThat(Files.readString(cfg)).isEqualTo(before);
        assertThat(home.resolve(ConsolePasswordGuard.SECRET_FILE)).doesNotExist();
    }
}
