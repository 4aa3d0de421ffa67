package io.rocketcluster.namesrv;

import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.routing.RoutingAppender;
import org.apache.logging.log4j.core.config.AppenderControl;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped log4j2.xml: file by default (and for unknown targets), console on request. */
class LoggingConfigTest {
    private static final String TARGET = "rocketcluster.log.target";
    private static final String DIR = "rocketcluster.logs.dir";

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(TARGET);
        System.clearProperty(DIR);
    }

    /** What reached stdout and which appenders the routing appender built for one logged message. */
    private record Outcome(String stdout, List<String> builtAppenders) {
    }

    /** Logs one message through a private context built from the shipped file. */
    private Outcome logWith(String target, String message) throws Exception {
        if (target == null) {
            System.clearProperty(TARGET);
        } else {
            System.setProperty(TARGET, target);
        }
        System.setProperty(DIR, dir.resolve("logs").toString());
        URI uri = getClass().getResource("/log4j2.xml").toURI();
        LoggerContext ctx = new LoggerContext("log4j2-xml-test-" + target);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the console appender follows System.out
        try {
            Configuration config = ConfigurationFactory.getInstance().getConfiguration(ctx, ConfigurationSource.fromUri(uri));
            ctx.start(config);
            ctx.getLogger("io.rocketcluster.namesrv.Test").info(message);
            RoutingAppender routing = config.getAppender("target");
            List<String> built = routing.getAppenders().values().stream().map(AppenderControl::getAppenderName).toList();
            return new Outcome(captured.toString(StandardCharsets.UTF_8), built);
        } finally {
            ctx.stop();
            System.setOut(stdout);
        }
    }

    @Test
    void fileIsTheDefaultTarget() throws Exception {
        Outcome o = logWith(null, "hello file");
        assertThat(o.builtAppenders()).containsExactly("file");
        assertThat(o.stdout()).doesNotContain("hello file");
        assertThat(Files.readString(dir.resolve("logs/namesrv.log"))).contains("INFO").contains("hello file");
    }

    @Test
    void unknownTargetFallsBackToTheFile() throws Exception {
        assertThat(logWith("syslog", "hello fallback").builtAppenders()).containsExactly("file");
        assertThat(Files.readString(dir.resolve("logs/namesrv.log"))).contains("hello fallback");
    }

    @Test
    void consoleTargetTouchesNoFile() throws Exception {
        Outcome o = logWith("console", "hello console");
        assertThat(o.stdout()).contains("INFO").contains("hello console");
        assertThat(o.builtAppenders()).isEmpty();
        assertThat(dir.resolve("logs")).doesNotExist();
    }
}
