package site.gateway.crypto;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.security.PublicKey;

import org.osgi.util.converter.Converters;

import site.gateway.api.crypto.CommandKeys;

/**
 * The crypto bundle's real component offering {@link CommandKeys}, reading {@code <kid>.pem} files from a folder
 * and polling it, configured as Config Admin would. (In this package because its configure method is internal.)
 * Its TLS part finds no certificate next to the folder and says so in the log; the keys do not need one.
 */
public final class E2eCommandKeys implements CommandKeys, AutoCloseable {
    private final CryptoComponent component;

    public E2eCommandKeys(Path folder, long pollIntervalMs) {
        component = new CryptoComponent(new GatewayPaths(folder.getParent()), Clock.systemUTC(), System::getenv, false);
        component.configure(Converters.standardConverter().convert(Map.of("commandKeys", folder.toString(),
                "pollIntervalMs", pollIntervalMs)).to(CryptoConfig.class));
    }

    @Override
    public Optional<PublicKey> key(String kid) {
        return component.key(kid);
    }

    @Override
    public void close() {
        component.deactivate();
    }
}
