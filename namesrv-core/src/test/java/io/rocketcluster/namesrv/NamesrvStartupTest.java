package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NamesrvStartupTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final NamesrvStartup startup = new NamesrvStartup(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));

    private int run(String... args) {
        return new CommandLine(startup).execute(args);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private Path config(String text) throws IOException {
        Path f = dir.resolve("namesrv.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void printConfigItemPrintsAllSettingsAndExits() throws IOException {
        Path f = config("listenPort=19999\norderMessageEnable=true\n");
        assertThat(run("-c", f.toString(), "-p")).isZero();
        assertThat(out()).contains("listenPort=19999\n").contains("orderMessageEnable=true\n")
                .contains("kvConfigPath=").contains("serverWorkerThreads=8\n")
                .contains("configStorePath=" + f.toAbsolutePath());
        assertThat(err()).isEmpty();
    }

    @Test
    void badValueIsOneLineNamingTheKeyAndExitCodeOne() throws IOException {
        assertThat(run("--configFile", config("listenPort=nine\n").toString())).isEqualTo(1);
        assertThat(err().lines()).singleElement().asString().contains("listenPort").contains("nine");
        assertThat(out()).isEmpty();
    }

    @Test
    void missingConfigFileIsExitCodeOne() {
        assertThat(run("-c", dir.resolve("nope.conf").toString())).isEqualTo(1);
        assertThat(err().lines()).singleElement().asString().contains("nope.conf").contains("does not exist");
    }

    @Test
    void unknownKeyIsAWarningNotAnError() throws IOException {
        assertThat(run("-c", config("noSuchKey=1\n").toString(), "-p")).isZero();
        assertThat(err()).contains("unknown config key 'noSuchKey'");
    }

    @Test
    void bootsPrintsTheSuccessLineServesAndStops() throws Exception {
        Path f = config("listenPort=0\nkvConfigPath=" + dir.resolve("kv.json") + "\nserverWorkerThreads=2\n");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("-c", f.toString()));
        Pattern boot = Pattern.compile("The Name Server boot success\\. serializeType=JSON listenPort=(\\d+)");
        await().atMost(Duration.ofSeconds(20)).until(() -> boot.matcher(out()).find() || exit.isDone());
        Matcher m = boot.matcher(out());
        assertThat(m.find()).as("boot line; stderr: " + err()).isTrue();
        int port = Integer.parseInt(m.group(1));
        try (NettyRemotingClient client = new NettyRemotingClient("startup-test")) {
            RemotingCommand r = client.invokeSync("127.0.0.1:" + port,
                    RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
            assertThat(r.code()).isZero();
        } finally {
            startup.stop();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void portInUseIsExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Path f = config("listenPort=" + taken.getLocalPort() + "\nkvConfigPath=" + dir.resolve("kv.json") + "\n");
            assertThat(run("-c", f.toString())).isEqualTo(1);
            assertThat(err()).startsWith("The Name Server failed to start");
        }
    }
}
