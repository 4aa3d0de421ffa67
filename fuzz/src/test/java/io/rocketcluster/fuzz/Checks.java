package io.rocketcluster.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.data.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Invariant checks shared by the fuzz targets: a violated one is an {@link AssertionError}, which Jazzer reports. */
final class Checks {
    private Checks() {
    }

    static void check(boolean condition, String what, Object... details) {
        if (!condition) {
            throw new AssertionError(String.format(what, details));
        }
    }

    static void checkEqual(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    /**
     * Whether {@code bytes} are well-formed UTF-8. Jackson's byte parser decodes some malformed sequences (a
     * 4-byte form beyond U+10FFFF) into unpaired surrogates; it writes those as backslash-u escapes, which
     * it then refuses to read back in a field name. The round-trip invariants hold only for well-formed text.
     */
    static boolean isUtf8(byte[] bytes, int offset, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether {@code s} has no unpaired surrogate (see {@link #isUtf8}). */
    static boolean isWellFormed(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a JSON body is well-formed UTF-8 whose names and strings (escapes included) have no unpaired
     * surrogate: what the round-trip invariants need (see {@link #isUtf8}).
     */
    static boolean isWellFormedJson(byte[] body) {
        if (!isUtf8(body, 0, body.length)) {
            return false;
        }
        try {
            return isWellFormed(Json.mapper().readTree(body));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isWellFormed(JsonNode node) {
        if (node == null) {
            return true;
        }
        if (node.isTextual()) {
            return isWellFormed(node.textValue());
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!isWellFormed(e.getKey()) || !isWellFormed(e.getValue())) {
                return false;
            }
        }
        for (JsonNode element : node.isArray() ? node : java.util.List.<JsonNode>of()) {
            if (!isWellFormed(element)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lets {@code e} pass when it is of one of the {@code allowed} types (what the callers of the decoder
     * catch); anything else is rethrown as a finding that names the allowed types.
     */
    @SafeVarargs
    static void expectOnly(Throwable e, Class<? extends Throwable>... allowed) {
        for (Class<? extends Throwable> c : allowed) {
            if (c.isInstance(e)) {
                return;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Class<? extends Throwable> c : allowed) {
            names.append(names.length() == 0 ? "" : ", ").append(c.getSimpleName());
        }
        throw new AssertionError("only " + names + " may escape, not " + e, e);
    }
}
