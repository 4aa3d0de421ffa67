package io.rocketcluster.broker.filter;

import io.rocketcluster.broker.store.MessageFilter;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.StoredRecord;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The pull filter of an SQL92 subscription: every consume-queue entry passes (tag codes say nothing
 * about properties), then the expression is evaluated on the properties of the stored record, user
 * properties and system ones ({@code TAGS}, {@code KEYS}, ...) alike. A message matches only when the
 * expression is TRUE; unknown, non-boolean results and evaluation errors do not match (RocketMQ).
 * Thread-safe.
 */
public final class SqlMessageFilter implements MessageFilter {
    private final Expression expression;

    public SqlMessageFilter(Expression expression) {
        this.expression = expression;
    }

    @Override
    public boolean matchesTagsCode(long tagsCode) {
        return true;
    }

    @Override
    public boolean matchesRecord(ByteBuffer record) {
        StoredRecord r = StoredRecord.parse(record, record.position(), record.limit(), false);
        return matches(MessageProperties.parse(r.isMessage() ? r.properties() : null));
    }

    /** Whether a message with these properties matches. */
    public boolean matches(Map<String, String> properties) {
        try {
            return expression.matches(properties::get);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SqlMessageFilter[" + expression + "]";
    }
}
