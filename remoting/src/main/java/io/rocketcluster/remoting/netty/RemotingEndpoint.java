package io.rocketcluster.remoting.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the server and the client share: both sides send requests and responses over the same
 * connection. Inbound responses complete the pending call with the same opaque; inbound requests are
 * run by the processor registered for their code, on that processor's executor.
 *
 * <p>Thread-safe.
 */
public abstract class RemotingEndpoint {
    private static final Logger LOG = LogManager.getLogger(RemotingEndpoint.class);

    private final Map<Integer, ProcessorEntry> processors = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<RemotingCommand>> pending = new ConcurrentHashMap<>();
    private volatile ProcessorEntry defaultProcessor;
    private volatile ChannelEventListener listener;
    private volatile RequestObserver observer;
    private volatile RequestGuard guard;
    private volatile RequestSigner signer;
    private volatile RequestFlowControl flow = new RequestFlowControl(Integer.MAX_VALUE, this::dispatch);

    private record ProcessorEntry(RequestProcessor processor, Executor executor) {
    }

    public void registerProcessor(int code, RequestProcessor processor, Executor executor) {
        processors.put(code, new ProcessorEntry(processor, executor));
    }

    public void registerDefaultProcessor(RequestProcessor processor, Executor executor) {
        defaultProcessor = new ProcessorEntry(processor, executor);
    }

    public void setChannelEventListener(ChannelEventListener listener) {
        this.listener = listener;
    }

    public void setRequestObserver(RequestObserver observer) {
        this.observer = observer;
    }

    /** Signs every request this endpoint sends (null: none). */
    public void setRequestSigner(RequestSigner signer) {
        this.signer = signer;
    }

    /** Checks every request before its processor runs (null: none). */
    public void setRequestGuard(RequestGuard guard) {
        this.guard = guard;
    }

    /** At most this many requests of one connection are processed at once (see {@link RequestFlowControl}). */
    protected void setMaxRequestsInFlightPerConnection(int max) {
        this.flow = new RequestFlowControl(max, this::dispatch);
    }

    /** Sends a request and waits for its response. */
    public RemotingCommand invokeSync(Channel channel, RemotingCommand request, long timeoutMillis)
            throws RemotingException, InterruptedException {
        try {
            return invokeAsync(channel, request, timeoutMillis).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RemotingException re) {
                throw re;
            }
            throw new RemotingException(cause.getMessage(), cause);
        }
    }

    /** Sends a request; the future completes with the response, or fails on send error or timeout. */
    public CompletableFuture<RemotingCommand> invokeAsync(Channel channel, RemotingCommand request,
                                                          long timeoutMillis) {
        sign(request);
        int opaque = request.opaque();
        CompletableFuture<RemotingCommand> future = new CompletableFuture<>();
        pending.put(opaque, future);
        future.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((r, t) -> pending.remove(opaque));
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                future.completeExceptionally(new RemotingException("send request to "
                        + address(channel) + " failed", f.cause()));
            }
        });
        return future.exceptionallyCompose(t -> CompletableFuture.failedFuture(
                t instanceof TimeoutException ? new RemotingException("wait response from "
                        + address(channel) + " timed out after " + timeoutMillis + " ms (code "
                        + request.code() + ")", t) : t));
    }

    public void invokeOneway(Channel channel, RemotingCommand request) {
        request.markOneway();
        sign(request);
        channel.writeAndFlush(request);
    }

    private void sign(RemotingCommand request) {
        RequestSigner s = signer;
        if (s != null) {
            s.sign(request);
        }
    }

    /** The Netty handler that feeds this endpoint; one shared instance per endpoint. */
    protected ChannelHandler inboundHandler() {
        return handler;
    }

    private final ChannelHandler handler = new InboundHandler();

    @ChannelHandler.Sharable
    private final class InboundHandler extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            RemotingCommand cmd = (RemotingCommand) msg;
            if (cmd.isResponse()) {
                CompletableFuture<RemotingCommand> f = pending.remove(cmd.opaque());
                if (f != null) {
                    f.complete(cmd);
                } else {
                    LOG.debug("response with unknown opaque {} from {}", cmd.opaque(), address(ctx.channel()));
                }
            } else {
                flow.arrived(ctx.channel(), cmd);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            fireClosed(ctx.channel());
            super.channelInactive(ctx);
        }

        /**
         * Back-pressure: while the peer does not read what we wrote (the write buffer is past its
         * high water mark), its requests are not read either.
         */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            flow.writabilityChanged(ctx.channel());
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                LOG.info("closing idle connection {}", address(ctx.channel()));
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null && !(root instanceof RemotingProtocolException)) {
                root = root.getCause();
            }
            LOG.warn("closing connection {}: {}", address(ctx.channel()), root.toString());
            ctx.close();
        }
    }

    private void fireClosed(Channel channel) {
        ChannelEventListener l = listener;
        if (l != null) {
            try {
                l.onChannelClosed(address(channel), channel);
            } catch (RuntimeException e) {
                LOG.warn("channel close listener failed", e);
            }
        }
    }

    /** Runs a request the flow control let start; ends with exactly one {@code flow.finished}. */
    private void dispatch(Channel channel, RemotingCommand request) {
        ProcessorEntry entry = processors.getOrDefault(request.code(), defaultProcessor);
        if (entry == null) {
            respond(channel, request, RemotingCommand.responseTo(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                    " request type " + request.code() + " not supported"));
            flow.finished(channel);
            return;
        }
        if (entry.processor.rejectRequest()) {
            respond(channel, request, RemotingCommand.responseTo(request, ResponseCode.SYSTEM_BUSY,
                    "[REJECTREQUEST]system busy, start flow control for a while"));
            flow.finished(channel);
            return;
        }
        RequestFlowControl startedBy = flow;
        QueuedRequest task = new QueuedRequest() {
            @Override
            public void run() {
                if (!channel.isWritable()) {
                    // its client stopped reading while this waited: answer once the responses drain
                    startedBy.requeue(channel, request);
                    return;
                }
                RequestGuard g = guard;
                String refusal = g == null ? null : g.refusal(channel, request);
                if (refusal != null) {
                    respond(channel, request, RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, refusal));
                    startedBy.finished(channel);
                    return;
                }
                RemotingEndpoint.this.run(entry.processor, channel, request, startedBy);
            }

            @Override
            public void reject(String remark) {
                respond(channel, request, RemotingCommand.responseTo(request, ResponseCode.SYSTEM_BUSY, remark));
                startedBy.finished(channel);
            }
        };
        try {
            entry.executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.reject("[OVERLOAD]system busy, start flow control for a while");
        }
    }

    private void run(RequestProcessor processor, Channel channel, RemotingCommand request, RequestFlowControl startedBy) {
        long start = System.nanoTime();
        CompletableFuture<RemotingCommand> result;
        try {
            result = processor.processAsync(channel, request);
        } catch (Throwable t) {
            result = CompletableFuture.failedFuture(t);
        }
        result.whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof RemotingProtocolException) {
                    LOG.warn("bad request code {} from {}: {}", request.code(), address(channel), cause.getMessage());
                } else {
                    LOG.error("request code {} from {} failed", request.code(), address(channel), cause);
                }
                response = RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, cause.toString());
            }
            if (response != null) {
                respond(channel, request, response);
            }
            startedBy.finished(channel);
            RequestObserver o = observer;
            if (o != null) {
                o.served(request.code(), System.nanoTime() - start,
                        response == null || request.isOneway() ? -1 : response.code());
            }
        });
    }

    private static void respond(Channel channel, RemotingCommand request, RemotingCommand response) {
        if (request.isOneway()) {
            return;
        }
        channel.writeAndFlush(response).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("cannot write response to {}: {}", address(channel), String.valueOf(f.cause()));
            }
        });
    }

    /** {@code ip:port} of the channel's peer, or "" when unknown. */
    /** The peer's IP as ACL white lists compare it (IPv6 without brackets); empty when unknown. */
    public static String remoteIp(Channel channel) {
        return channel != null && channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    public static String address(Channel channel) {
        SocketAddress a = channel == null ? null : channel.remoteAddress();
        if (a instanceof InetSocketAddress isa) {
            return isa.getAddress().getHostAddress() + ":" + isa.getPort();
        }
        return a == null ? "" : a.toString();
    }
}
