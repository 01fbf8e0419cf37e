package site.gateway.core.conf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Brings the text of a {@code .cfg} file (Java properties syntax) in line with a configuration, changing
 * as little as possible: comments, blank lines and the order of keys stay; a key whose value differs is
 * rewritten in place, a key the configuration no longer has is removed, a new key takes the place of
 * its commented-out default ({@code #key = value}, as the shipped templates have) or is appended. A value
 * written with {@code ${...}} is left as the operator wrote it (FileInstall substitutes it on reading, so
 * it cannot be compared here).
 */
final class CfgText {
    private CfgText() {
    }

    /** The merged text; equal to {@code text} when the file already says what the configuration holds. */
    static String merge(String text, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean trailingNewline = text.endsWith("\n");
        String body = trailingNewline ? text.substring(0, text.length() - 1) : text;
        List<String> physical = body.isEmpty() ? List.of() : List.of(body.split("\n", -1));
        for (int i = 0; i < physical.size(); i++) {
            // One logical line: physical lines joined while a line ends in an odd number of backslashes.
            List<String> group = new ArrayList<>();
            group.add(physical.get(i));
            while (continues(physical.get(i)) && i + 1 < physical.size()) {
                group.add(physical.get(++i));
            }
            String logical = String.join("\n", group);
            String trimmed = logical.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                out.addAll(group);
                continue;
            }
            Properties parsed = new Properties();
            try {
                parsed.load(new StringReader(logical));
            } catch (IOException | IllegalArgumentException e) {
                out.addAll(group); // not ours to judge; FileInstall reports it
                continue;
            }
            String key = parsed.stringPropertyNames().stream().findFirst().orElse(null);
            if (key == null || !seen.add(key)) {
                out.addAll(group);
                continue;
            }
            String raw = parsed.getProperty(key);
            if (!values.containsKey(key)) {
                continue; // removed from the configuration: removed from the file
            }
            if (raw.contains("${") || raw.equals(values.get(key))) {
                out.addAll(group);
            } else {
                out.add(line(key, values.get(key)));
            }
        }
        int before = out.size();
        values.forEach((key, value) -> {
            if (!seen.contains(key)) {
                int template = commentedOut(out, key);
                if (template >= 0) {
                    out.set(template, line(key, value)); // "#key = default" under its description becomes live
                } else {
                    out.add(line(key, value));
                }
            }
        });
        String merged = String.join("\n", out);
        boolean appended = out.size() > before;
        return merged.isEmpty() ? "" : merged + (trailingNewline || appended ? "\n" : "");
    }

    /** Index of a line {@code #key = ...} (a shipped template's commented default), or -1. */
    private static int commentedOut(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("#")) {
                String rest = l.substring(1).strip();
                if (rest.startsWith(key)) {
                    String after = rest.substring(key.length()).strip();
                    if (after.startsWith("=") || after.startsWith(":")) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** {@code key = value}, escaped as Properties.store escapes (non-ASCII as {@code \\uXXXX}). */
    static String line(String key, String value) {
        Properties one = new Properties();
        one.setProperty(key, value);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            one.store(bytes, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
        String stored = bytes.toString(StandardCharsets.ISO_8859_1).lines().filter(l -> !l.startsWith("#"))
                .findFirst().orElseThrow();
        int eq = separator(stored);
        return stored.substring(0, eq) + " = " + stored.substring(eq + 1);
    }

    /** Index of the first '=' that is not escaped. */
    private static int separator(String stored) {
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=') {
                return i;
            }
        }
        throw new IllegalStateException("no separator in " + stored);
    }
}
