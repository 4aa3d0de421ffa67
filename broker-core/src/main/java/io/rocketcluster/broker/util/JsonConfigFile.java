package io.rocketcluster.broker.util;

import io.rocketcluster.remoting.config.ConfigFile;
import io.rocketcluster.remoting.data.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A broker metadata file under {@code <store>/config/} (topics.json, consumerOffset.json, ...) as
 * JSON, kept crash-safe by {@link ConfigFile} (tmp + .bak + atomic rename, backup on load).
 */
public final class JsonConfigFile<T> {
    private final ConfigFile file;
    private final Class<T> type;

    public JsonConfigFile(Path path, Class<T> type) {
        this.file = new ConfigFile(path);
        this.type = type;
    }

    public Path path() {
        return file.path();
    }

    /**
     * The stored value (from the backup if the file is damaged), or null when there is none yet.
     *
     * @throws UncheckedIOException when the file and its backup are both unusable: start-up stops
     *                              rather than silently losing topics or offsets
     */
    public T load() {
        try {
            return file.load(text -> Json.decode(text, type)).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void store(T value) {
        store(Json.pretty(value));
    }

    public void store(String text) {
        try {
            file.store(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.path(), e);
        }
    }
}
