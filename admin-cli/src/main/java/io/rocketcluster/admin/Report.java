package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rocketcluster.remoting.data.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a command prints: sections of tables, key/value lists and messages. In text mode each is
 * printed as it is added, as readable aligned columns with RocketMQ's {@code #Header} style; with
 * {@code --json} everything is collected into one JSON object (section name → rows as objects keyed
 * by camel-cased column names, values, or text) and printed at the end.
 */
public final class Report {
    private final PrintStream out;
    private final boolean json;
    private final ObjectNode root = JsonNodeFactory.instance.objectNode();

    public Report(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public boolean isJson() {
        return json;
    }

    /** A table; in JSON an array of objects. Cells are printed with {@code String.valueOf}. */
    public void table(String section, List<String> columns, List<List<Object>> rows) {
        if (json) {
            ArrayNode arr = root.putArray(section);
            for (List<Object> row : rows) {
                ObjectNode o = arr.addObject();
                for (int i = 0; i < columns.size(); i++) {
                    String key = camel(columns.get(i));
                    if (!key.isEmpty()) { // a numbering column has no name and no JSON member
                        o.set(key, node(i < row.size() ? row.get(i) : null));
                    }
                }
            }
            return;
        }
        out.print(formatTable(columns, rows));
    }

    /** Key/value lines ({@code key : value}); in JSON an object. */
    public void values(String section, Map<String, ?> values) {
        if (json) {
            ObjectNode o = root.putObject(section);
            values.forEach((k, v) -> o.set(k, node(v)));
            return;
        }
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        values.forEach((k, v) -> out.printf("%-" + Math.max(1, width) + "s : %s%n", k, v));
    }

    /** A line of text; in JSON a string member. */
    public void message(String section, String text) {
        if (json) {
            root.put(section, text);
            return;
        }
        out.println(text);
    }

    /** A JSON value printed as pretty JSON in text mode too (topicRoute). */
    public void document(String section, JsonNode value) {
        if (json) {
            root.set(section, value);
            return;
        }
        try {
            out.println(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.println(value);
        }
    }

    /** Prints the collected JSON (a no-op in text mode). */
    public void finish() {
        if (json) {
            try {
                out.println(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
    }

    /** Aligned columns, headers prefixed with {@code #}. */
    static String formatTable(List<String> columns, List<List<Object>> rows) {
        int[] width = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            header[i] = "#" + columns.get(i);
        }
        cells.add(header);
        for (List<Object> row : rows) {
            String[] c = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                Object v = i < row.size() ? row.get(i) : null;
                c[i] = v == null ? "" : String.valueOf(v);
            }
            cells.add(c);
        }
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                line.append(c[i]);
                if (i < c.length - 1) {
                    line.append(" ".repeat(width[i] - c[i].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** "Broker Name" → "brokerName", "#QID" → "qid", "InTPS(LOAD)" → "inTpsLoad". */
    static String camel(String column) {
        String[] words = column.replace("#", "").split("[^A-Za-z0-9]+");
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            String word = w.equals(w.toUpperCase(Locale.ROOT)) ? w.toLowerCase(Locale.ROOT) : w;
            if (b.isEmpty()) {
                b.append(Character.toLowerCase(word.charAt(0))).append(word.substring(1));
            } else {
                b.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return b.toString();
    }

    /** A JSON array of strings. */
    static JsonNode strings(java.util.Collection<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static JsonNode node(Object v) {
        if (v instanceof JsonNode n) {
            return n;
        }
        return Json.mapper().valueToTree(v);
    }
}
