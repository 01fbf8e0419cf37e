package site.gateway.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples and types of a text-format scrape (version 0.0.4), parsed line by line: samples keyed
 * {@code name{label=value,...}} with labels sorted and values unquoted, as MonitoringIT keys the Prometheus
 * parser's output. A line that is neither a comment nor a well-formed sample fails the parse.
 */
final class Exposition {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");

    final Map<String, Double> samples = new HashMap<>();
    final Map<String, String> types = new HashMap<>();

    static Exposition parse(String text) {
        Exposition out = new Exposition();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                out.types.put(type.group(1), type.group(2));
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            out.samples.put(sample.group(1) + labels(sample.group(2), line), Double.parseDouble(sample.group(3)));
        }
        return out;
    }

    private static String labels(String text, String line) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        Map<String, String> sorted = new TreeMap<>();
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (label.lookingAt()) {
            sorted.put(label.group(1), label.group(2));
            end = label.end();
            label.region(end, text.length());
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("malformed labels: " + line);
        }
        StringBuilder key = new StringBuilder("{");
        sorted.forEach((k, v) -> key.append(key.length() > 1 ? "," : "").append(k).append('=').append(v));
        return key.append('}').toString();
    }
}
