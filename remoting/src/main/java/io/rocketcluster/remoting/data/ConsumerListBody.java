package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** GET_CONSUMER_LIST_BY_GROUP response body. */
public class ConsumerListBody {
    public List<String> consumerIdList = new ArrayList<>();

    public ConsumerListBody() {
    }

    public ConsumerListBody(List<String> ids) {
        this.consumerIdList = ids;
    }
}
