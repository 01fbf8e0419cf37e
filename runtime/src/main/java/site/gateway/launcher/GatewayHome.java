package site.gateway.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folders a gateway keeps its state in. A home outside the distribution starts with a copy of the
 * distribution's default {@code conf/} and {@code deploy/}; an existing home is never overwritten.
 */
final class GatewayHome {
    static final List<String> FOLDERS = List.of("conf", "deploy", "certs", "data", "logs");
    private static final List<String> SEEDED = List.of("conf", "deploy", "certs");

    private GatewayHome() {
    }

    static void prepare(Path distribution, Path home) throws IOException {
        for (String folder : FOLDERS) {
            Path target = home.resolve(folder);
            boolean fresh = !Files.isDirectory(target) || isEmpty(target);
            Files.createDirectories(target);
            if (fresh && SEEDED.contains(folder) && !home.equals(distribution)) {
                copyFiles(distribution.resolve(folder), target);
            }
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
