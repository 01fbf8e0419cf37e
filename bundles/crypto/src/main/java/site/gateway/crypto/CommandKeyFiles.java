package site.gateway.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WMS command-signing keys (Ed25519), the command-key part of {@link CryptoComponent}: from
 * {@code commandKeys}, a folder of {@code <kid>.pem} files or a comma-separated list of files. Reloaded when
 * the files change; a bad file is logged once and left out, the others stay usable.
 */
final class CommandKeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CommandKeyFiles.class);
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final PemCodec codec;
    private final CryptoReports reports;
    private volatile Map<String, PublicKey> keys = Map.of();
    private List<Path> sources = List.of();
    private String lastState;

    CommandKeyFiles(PemCodec codec, CryptoReports reports) {
        this.codec = codec;
        this.reports = reports;
    }

    /** New valid settings: the keys are read again from these locations. */
    synchronized void configure(List<Path> locations) {
        sources = locations;
        lastState = null;
        reload();
    }

    Optional<PublicKey> key(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** The kids loaded now, sorted. */
    List<String> kids() {
        return List.copyOf(keys.keySet());
    }

    synchronized void reload() {
        try {
            List<Path> files = files();
            String state = state(files);
            if (state.equals(lastState)) {
                return;
            }
            lastState = state;
            Map<String, PublicKey> loaded = new TreeMap<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                String kid = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
                if (!KID.matcher(kid).matches()) {
                    LOG.error("Command key file {} ignored: kid '{}' is not [A-Za-z0-9._-]{{1,64}}", f, kid);
                    continue;
                }
                try {
                    loaded.put(kid, codec.ed25519PublicKey(Files.readString(f, StandardCharsets.US_ASCII), "command key " + f));
                } catch (java.nio.file.NoSuchFileException e) {
                    LOG.warn("Command key location {} does not exist: no signed command can be verified with it", f);
                } catch (IOException | CryptoException e) {
                    LOG.error("Command key file {} ignored: {}", f, e.getMessage());
                }
            }
            if (!loaded.keySet().equals(keys.keySet()) || !loaded.equals(keys)) {
                LOG.info("Command-signing keys loaded: {}", loaded.keySet());
                reports.audit("crypto.command-keys-loaded", String.join(",", loaded.keySet()), "ok",
                        Map.of("count", loaded.size()));
            }
            keys = Map.copyOf(loaded);
        } catch (RuntimeException e) {
            LOG.error("Unexpected error while loading the command keys", e);
        }
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path p : sources) {
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(p, "*.pem")) {
                    dir.forEach(files::add);
                } catch (IOException e) {
                    LOG.error("Cannot list the command key folder {}: {}", p, e.getMessage());
                }
            } else {
                files.add(p);
            }
        }
        files.sort(null);
        return files;
    }

    private static String state(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(f).append('|');
            try {
                sb.append(Files.getLastModifiedTime(f).toMillis()).append('|').append(Files.size(f))
                        .append('|').append(java.util.Arrays.hashCode(Files.readAllBytes(f)));
            } catch (IOException e) {
                sb.append("missing");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
