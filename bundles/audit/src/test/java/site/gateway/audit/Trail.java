package site.gateway.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test helpers: a writer on a temporary directory and the trail read back as JSON. */
final class Trail {
    static final ObjectMapper JSON = new ObjectMapper();

    private Trail() {
    }

    static AuditWriter.Settings settings(Path dir, long maxFileBytes, int maxFiles, int queueCapacity) {
        return new AuditWriter.Settings(dir, maxFileBytes, maxFiles, queueCapacity, 0, 50, null);
    }

    static List<String> lines(Path dir) {
        try {
            List<String> out = new ArrayList<>();
            for (Path f : TrailFiles.list(dir)) {
                out.addAll(Files.readAllLines(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> entries(Path dir) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(dir)) {
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return out;
    }

    static List<JsonNode> withAction(Path dir, String action) {
        return entries(dir).stream().filter(e -> e.path("action").asText().equals(action)).toList();
    }

    static void recordN(AuditWriter writer, int n) {
        for (int i = 0; i < n; i++) {
            writer.submit(new site.gateway.api.audit.AuditEvent("test", "test.op", "t-" + i, "ok",
                    Map.of("i", i, "note", "padding to make the line a bit longer than a few bytes")));
        }
    }
}
