package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** GET_PRODUCER_CONNECTION_LIST response body. */
public class ProducerConnection {
    public List<Connection> connectionSet = new ArrayList<>();
}
