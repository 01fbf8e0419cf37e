package site.gateway.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of the trail's files: {@code audit-<first seq, 20 digits>.jsonl}, so that name order is
 * chain order and a file's name says where it must start.
 */
final class TrailFiles {
    private static final Pattern NAME = Pattern.compile("audit-(\\d{20})\\.jsonl");

    private TrailFiles() {
    }

    static String name(long firstSeq) {
        return String.format("audit-%020d.jsonl", firstSeq);
    }

    /** The first seq a file name announces, or -1 when it is not a trail file. */
    static long firstSeq(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The trail files of a directory in chain order; empty when the directory does not exist. */
    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> firstSeq(f) >= 0 && Files.isRegularFile(f)).sorted().toList();
        }
    }
}
