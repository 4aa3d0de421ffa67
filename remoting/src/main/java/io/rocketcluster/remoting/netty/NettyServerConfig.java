package io.rocketcluster.remoting.netty;

/** Settings of a remoting server; key names match RocketMQ's netty-server keys. */
public class NettyServerConfig {
    private int listenPort = 8888;
    private int serverWorkerThreads = 8;
    private int serverSelectorThreads = 3;
    private int serverChannelMaxIdleTimeSeconds = 120;
    private int serverSocketSndBufSize = 0;
    private int serverSocketRcvBufSize = 0;
    private int serverOnewaySemaphoreValue = 256;
    private int serverAsyncSemaphoreValue = 64;
    private int serverCallbackExecutorThreads = 0;
    private boolean serverPooledByteBufAllocatorEnable = true;
    private boolean useEpollNativeSelector = false;
    /** RocketCluster's own: connections the port accepts at once; more are closed on arrival. */
    private int serverMaxConnections = 10000;
    /**
     * Bytes of unwritten responses a connection may hold before the server stops reading its
     * requests (Netty's write-buffer water marks; RocketMQ's key names). Reading resumes below the low mark.
     */
    private int writeBufferHighWaterMark = 4 * 1024 * 1024;
    private int writeBufferLowWaterMark = 1024 * 1024;
    /** RocketCluster's own: requests of one connection processed at once; more wait unread (0 = no limit). */
    private int serverMaxRequestsInFlightPerConnection = 1024;
    /** RocketCluster's own: a frame incomplete this long after its first byte closes the connection (0 = never). */
    private long serverFrameCompletionTimeoutMillis = 30000;

    public long getServerFrameCompletionTimeoutMillis() { return serverFrameCompletionTimeoutMillis; }
    public void setServerFrameCompletionTimeoutMillis(long v) { this.serverFrameCompletionTimeoutMillis = v; }
    public int getListenPort() { return listenPort; }
    public void setListenPort(int listenPort) { this.listenPort = listenPort; }
    public int getServerWorkerThreads() { return serverWorkerThreads; }
    public void setServerWorkerThreads(int v) { this.serverWorkerThreads = v; }
    public int getServerSelectorThreads() { return serverSelectorThreads; }
    public void setServerSelectorThreads(int v) { this.serverSelectorThreads = v; }
    public int getServerChannelMaxIdleTimeSeconds() { return serverChannelMaxIdleTimeSeconds; }
    public void setServerChannelMaxIdleTimeSeconds(int v) { this.serverChannelMaxIdleTimeSeconds = v; }
    public int getServerSocketSndBufSize() { return serverSocketSndBufSize; }
    public void setServerSocketSndBufSize(int v) { this.serverSocketSndBufSize = v; }
    public int getServerSocketRcvBufSize() { return serverSocketRcvBufSize; }
    public void setServerSocketRcvBufSize(int v) { this.serverSocketRcvBufSize = v; }
    public int getServerOnewaySemaphoreValue() { return serverOnewaySemaphoreValue; }
    public void setServerOnewaySemaphoreValue(int v) { this.serverOnewaySemaphoreValue = v; }
    public int getServerAsyncSemaphoreValue() { return serverAsyncSemaphoreValue; }
    public void setServerAsyncSemaphoreValue(int v) { this.serverAsyncSemaphoreValue = v; }
    public int getServerCallbackExecutorThreads() { return serverCallbackExecutorThreads; }
    public void setServerCallbackExecutorThreads(int v) { this.serverCallbackExecutorThreads = v; }
    public boolean isServerPooledByteBufAllocatorEnable() { return serverPooledByteBufAllocatorEnable; }
    public void setServerPooledByteBufAllocatorEnable(boolean v) { this.serverPooledByteBufAllocatorEnable = v; }
    public boolean isUseEpollNativeSelector() { return useEpollNativeSelector; }
    public void setUseEpollNativeSelector(boolean v) { this.useEpollNativeSelector = v; }
    public int getServerMaxConnections() { return serverMaxConnections; }
    public void setServerMaxConnections(int v) { this.serverMaxConnections = v; }
    public int getWriteBufferHighWaterMark() { return writeBufferHighWaterMark; }
    public void setWriteBufferHighWaterMark(int v) { this.writeBufferHighWaterMark = v; }
    public int getWriteBufferLowWaterMark() { return writeBufferLowWaterMark; }
    public int getServerMaxRequestsInFlightPerConnection() { return serverMaxRequestsInFlightPerConnection; }
    public void setServerMaxRequestsInFlightPerConnection(int v) { this.serverMaxRequestsInFlightPerConnection = v; }
    public void setWriteBufferLowWaterMark(int v) { this.writeBufferLowWaterMark = v; }
}
