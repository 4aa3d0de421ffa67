package io.rocketcluster.remoting.protocol;

/**
 * Sender language as carried in the header: the enum name in JSON headers, a byte in binary
 * headers. Unknown names and values are tolerated and kept as {@link #OTHER}.
 */
public enum LanguageCode {
    JAVA, CPP, DOTNET, PYTHON, DELPHI, ERLANG, RUBY, OTHER, HTTP, GO, PHP, OMS, RUST, NODE_JS;

    private static final LanguageCode[] BY_CODE = values();

    public byte code() {
        return (byte) ordinal();
    }

    public static LanguageCode fromCode(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OTHER;
    }

    public static LanguageCode fromName(String name) {
        if (name == null) {
            return OTHER;
        }
        for (LanguageCode c : BY_CODE) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return OTHER;
    }
}
