package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.rocketcluster.remoting.data.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads bodies as fastjson (Apache RocketMQ) writes them, as well as standard JSON (docs/remoting.md §11):
 * unquoted numeric keys ({@code {0:"a"}}) are read as strings, and an object in key position
 * ({@code {{"brokerName":"b","queueId":0,"topic":"t"}:7}}, how fastjson writes
 * {@code Map<MessageQueue, …>}) is turned into a string key holding that object's JSON text, the
 * same form a standard writer uses. {@link #messageQueue(String)} reads such a key back.
 */
public final class FastJson {
    private FastJson() {
    }

    /** Parses a body; an empty or missing body is a {@link MissingNode}. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    public static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(quoteObjectKeys(text));
        } catch (IOException e) {
            throw new AdminException(AdminException.REFUSED, "cannot read the server's answer as JSON: " + e.getMessage());
        }
    }

    /** Rewrites every object (or array) in key position into a JSON string key. */
    static String quoteObjectKeys(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        // a stack of containers: true = object; per object whether the next token is a key
        java.util.ArrayDeque<boolean[]> stack = new java.util.ArrayDeque<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            boolean[] top = stack.peek();
            boolean keyPosition = top != null && top[0] && top[1];
            if (keyPosition && (c == '{' || c == '[')) {
                int end = matching(s, i);
                String raw = s.substring(i, end + 1);
                out.append(quote(raw));
                top[1] = false;
                i = end + 1;
                continue;
            }
            switch (c) {
                case '"' -> {
                    int end = stringEnd(s, i);
                    out.append(s, i, end + 1);
                    if (keyPosition) {
                        top[1] = false;
                    }
                    i = end + 1;
                    continue;
                }
                case '{' -> stack.push(new boolean[]{true, true});
                case '[' -> stack.push(new boolean[]{false, false});
                case '}', ']' -> stack.pop();
                case ',' -> {
                    if (top != null && top[0]) {
                        top[1] = true;
                    }
                }
                case ':' -> {
                    if (top != null && top[0]) {
                        top[1] = false;
                    }
                }
                default -> {
                    if (keyPosition && !Character.isWhitespace(c)) {
                        // an unquoted key: copy it up to the colon (Jackson reads it as a string)
                        int colon = s.indexOf(':', i);
                        if (colon < 0) {
                            colon = n;
                        }
                        String key = s.substring(i, colon).trim();
                        out.append(quote(key));
                        top[1] = false;
                        i = colon;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static int stringEnd(String s, int start) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw new AdminException(AdminException.REFUSED, "unterminated string in the server's JSON answer");
    }

    private static int matching(String s, int start) {
        int depth = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = stringEnd(s, i);
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new AdminException(AdminException.REFUSED, "unbalanced JSON in the server's answer");
    }

    private static String quote(String raw) {
        StringBuilder b = new StringBuilder(raw.length() + 8).append('"');
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** A queue named by a map key: the JSON text of a MessageQueue object. */
    public record Queue(String topic, String brokerName, int queueId) implements Comparable<Queue> {
        @Override
        public int compareTo(Queue o) {
            int c = topic.compareTo(o.topic);
            if (c == 0) {
                c = brokerName.compareTo(o.brokerName);
            }
            return c != 0 ? c : Integer.compare(queueId, o.queueId);
        }
    }

    /** Reads a MessageQueue map key (either form of docs/remoting.md §11). */
    public static Queue messageQueue(String key) {
        JsonNode n = parse(key);
        if (!n.isObject()) {
            throw new AdminException(AdminException.REFUSED, "not a message queue key: " + key);
        }
        return new Queue(n.path("topic").asText(), n.path("brokerName").asText(), n.path("queueId").asInt());
    }
}
