package site.gateway.api.crypto;

import java.security.PublicKey;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The WMS command-signing public keys (Ed25519), by {@code kid} = PEM file name without {@code .pem}. */
@ProviderType
public interface CommandKeys {
    Optional<PublicKey> key(String kid);
}
