package io.rocketcluster.namesrv.processor;

import io.netty.channel.Channel;
import io.rocketcluster.namesrv.NamesrvConfiguration;
import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * UPDATE_NAMESRV_CONFIG (318, body = properties text) and GET_NAMESRV_CONFIG (319, body = all
 * settings as properties text). An update may not touch the keys of {@code configBlackList}
 * (16 NO_PERMISSION, as RocketMQ 4.9.7); a bad value changes nothing and answers 1 naming the key;
 * a good update is written to {@code configStorePath}. Thread-safe.
 */
public final class NamesrvConfigProcessor implements NamesrvRequestProcessor {
    private static final Logger LOG = LogManager.getLogger(NamesrvConfigProcessor.class);

    private final NamesrvConfiguration configuration;

    public NamesrvConfigProcessor(NamesrvConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public int[] codes() {
        return new int[] {RequestCode.UPDATE_NAMESRV_CONFIG, RequestCode.GET_NAMESRV_CONFIG};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.UPDATE_NAMESRV_CONFIG -> update(request);
            case RequestCode.GET_NAMESRV_CONFIG -> NamesrvRequestProcessor.success(request)
                    .body(configuration.render().getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand update(RemotingCommand request) {
        if (request.body() == null) {
            return NamesrvRequestProcessor.success(request);
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(new String(request.body(), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, "string2Properties error");
        }
        Set<String> forbidden = configuration.blacklistedKeys(props);
        if (!forbidden.isEmpty()) {
            LOG.warn("refused to update name server config keys {} (configBlackList)", forbidden);
            return RemotingCommand.responseTo(request, ResponseCode.NO_PERMISSION, "Can not update config in black list.");
        }
        try {
            List<String> unknown = configuration.apply(props);
            LOG.info("name server config updated: {}{}", props.stringPropertyNames(),
                    unknown.isEmpty() ? "" : " (unknown, ignored: " + unknown + ")");
        } catch (ConfigException e) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, e.getMessage());
        }
        try {
            configuration.persist();
        } catch (IOException e) {
            LOG.warn("updated name server config is in force but could not be written: {}", e.toString());
        }
        return NamesrvRequestProcessor.success(request);
    }
}
