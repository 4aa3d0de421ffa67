package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.store.MessageFilter;
import io.rocketcluster.remoting.data.SubscriptionData;

/** Consume-queue level tag filter: passes "*" and any tag whose hash is subscribed. */
final class TagFilter implements MessageFilter {
    private final SubscriptionData subscription;

    TagFilter(SubscriptionData subscription) {
        this.subscription = subscription;
    }

    @Override
    public boolean matchesTagsCode(long tagsCode) {
        if (subscription == null || subscription.subscribesAll()) {
            return true;
        }
        return subscription.codeSet.contains((int) tagsCode);
    }
}
