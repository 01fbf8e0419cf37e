package site.gateway.crypto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link CryptoConfig} with paths resolved and values checked. */
public record Settings(CredentialFiles credentials, String keyPassphraseFile, Path trustAnchors, Path crlFile,
        boolean requireFreshCrl, List<Path> commandKeys, int rotationDays, int renewBeforeDays,
        int rotationCheckMinutes, int rotationRetryInitialSeconds, int rotationRetryMaxSeconds, int rotationConfirmSeconds, long pollIntervalMs, boolean developmentMode) {

    /** The JVM flag without which {@code developmentMode} is refused (a console or command cannot set it). */
    public static final String ALLOW_DEVELOPMENT_MODE = "gateway.allowDevelopmentMode";

    /** Validates with the development-mode gate of this JVM ({@value #ALLOW_DEVELOPMENT_MODE}). */
    public static Settings of(CryptoConfig c, GatewayPaths paths) {
        return of(c, paths, Boolean.getBoolean(ALLOW_DEVELOPMENT_MODE));
    }

    public static Settings of(CryptoConfig c, GatewayPaths paths, boolean developmentModeAllowed) {
        require(!c.developmentMode() || developmentModeAllowed, "developmentMode = true is refused: it needs the JVM flag -D"
                + ALLOW_DEVELOPMENT_MODE + "=true (GATEWAY_OPTS), which only someone who starts the gateway can set");
        require(c.rotationDays() > 0, "rotationDays must be > 0");
        require(c.renewBeforeDays() >= 0, "renewBeforeDays must be >= 0");
        require(c.rotationCheckMinutes() > 0, "rotationCheckMinutes must be > 0");
        require(c.rotationRetryInitialSeconds() > 0 && c.rotationRetryMaxSeconds() >= c.rotationRetryInitialSeconds(),
                "rotationRetryInitialSeconds must be > 0 and <= rotationRetryMaxSeconds");
        require(c.rotationConfirmSeconds() > 0, "rotationConfirmSeconds must be > 0");
        require(c.pollIntervalMs() >= 50, "pollIntervalMs must be >= 50");
        require(!blank(c.certificate()) && !blank(c.privateKey()) && !blank(c.trustAnchors()) && !blank(c.crlFile()),
                "certificate, privateKey, trustAnchors and crlFile must not be empty");
        List<Path> keys = new ArrayList<>();
        if (c.commandKeys() != null) {
            for (String part : c.commandKeys().split(",")) {
                if (!part.isBlank()) {
                    keys.add(paths.resolve(part));
                }
            }
        }
        return new Settings(new CredentialFiles(paths.resolve(c.certificate()), paths.resolve(c.privateKey())),
                c.keyPassphraseFile(), paths.resolve(c.trustAnchors()), paths.resolve(c.crlFile()), c.requireFreshCrl(),
                List.copyOf(keys), c.rotationDays(), c.renewBeforeDays(), c.rotationCheckMinutes(),
                c.rotationRetryInitialSeconds(), c.rotationRetryMaxSeconds(),
                c.rotationConfirmSeconds(), c.pollIntervalMs(), c.developmentMode());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
