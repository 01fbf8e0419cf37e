package site.gateway.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts of the console's Gateway page ({@code /system/console/gateway}), read back from its HTML:
 * each {@code <h2>title</h2>} and the table after it, a table of {@code <th>name</th><td>value</td>}
 * rows as name → value, a table with a header row as a list of rows. Reading the page itself keeps
 * {@code status} showing exactly what the operator sees in the console, with nothing added to the gateway.
 */
final class ConsolePage {
    private static final Pattern SECTION = Pattern.compile("<h2>([^<]*)</h2>\\s*<table[^>]*>(.*?)</table>", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<(th|td)[^>]*>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);");

    private ConsolePage() {
    }

    /** Title → either {@code Map<String,String>} or {@code List<Map<String,String>>}, in page order. */
    static Map<String, Object> parse(String html) {
        Map<String, Object> sections = new LinkedHashMap<>();
        Matcher section = SECTION.matcher(html);
        while (section.find()) {
            String title = text(section.group(1));
            String table = section.group(2);
            List<List<String[]>> rows = new ArrayList<>();
            Matcher row = ROW.matcher(table);
            while (row.find()) {
                List<String[]> cells = new ArrayList<>();
                Matcher cell = CELL.matcher(row.group(1));
                while (cell.find()) {
                    cells.add(new String[] {cell.group(1), text(cell.group(2))});
                }
                rows.add(cells);
            }
            boolean headed = table.contains("<thead");
            sections.put(title, headed ? listRows(rows) : keyValues(rows));
        }
        return sections;
    }

    private static Map<String, String> keyValues(List<List<String[]>> rows) {
        Map<String, String> values = new LinkedHashMap<>();
        for (List<String[]> cells : rows) {
            if (cells.size() >= 2 && cells.get(0)[0].equals("th")) {
                values.put(cells.get(0)[1], cells.get(1)[1]);
            }
        }
        return values;
    }

    private static List<Map<String, String>> listRows(List<List<String[]>> rows) {
        List<Map<String, String>> result = new ArrayList<>();
        List<String> header = List.of();
        for (List<String[]> cells : rows) {
            if (!cells.isEmpty() && cells.get(0)[0].equals("th")) {
                header = cells.stream().map(c -> c[1]).toList();
            } else if (cells.size() == header.size()) { // a "none configured" row spans the columns
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    values.put(header.get(i), cells.get(i)[1]);
                }
                result.add(values);
            }
        }
        return result;
    }

    /** Markup removed, entities decoded (the page encodes every value with the OWASP encoder). */
    static String text(String html) {
        String plain = html.replaceAll("<[^>]*>", "").trim();
        Matcher m = ENTITY.matcher(plain);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String replacement = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> new String(Character.toChars(e.startsWith("#x")
                        ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1))));
            };
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return b.toString();
    }
}
