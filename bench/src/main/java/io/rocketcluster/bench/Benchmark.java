package io.rocketcluster.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.topic.TopicValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bin/mqbench: drives any nameserver address through the official RocketMQ client and reports send TPS,
 * send latency percentiles and consume TPS.
 *
 * <p>Phases, all bounded in time: prepare the topic (auto-create through TBW102 by sending one message,
 * or {@code --create-topic}); start the push consumer; run {@code --threads} synchronous senders for
 * {@code --warmup} seconds (discarded) plus {@code --duration} seconds (measured); stop the senders; let
 * the consumer drain for at most {@code --drain} seconds; print a summary and one markdown row.
 * The number of sends is also capped by {@code --max-messages}.
 */
@Command(name = "mqbench", mixinStandardHelpOptions = true, version = "mqbench 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Benchmark a RocketMQ-compatible cluster through the official RocketMQ client.")
public final class Benchmark implements Callable<Integer> {

    @Option(names = {"-n", "--namesrv"}, defaultValue = "127.0.0.1:9876",
            description = "Nameserver address(es), ';'-separated (default: ${DEFAULT-VALUE}).")
    String namesrv;

    @Option(names = {"-t", "--threads"}, defaultValue = "32", description = "Sender threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-s", "--size"}, defaultValue = "1024", description = "Body size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-d", "--duration"}, defaultValue = "60", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "10",
            description = "Warm-up seconds, sent but not counted (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--topic", defaultValue = "BenchTopic", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--queues", defaultValue = "8",
            description = "Queues for a topic this run creates (auto-create is capped by the broker's TBW102, 8 by default) (default: ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--create-topic",
            description = "Create the topic with the producer's createTopic (UPDATE_AND_CREATE_TOPIC on each master) instead of relying on auto-create.")
    boolean createTopic;

    @Option(names = "--consumers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run a push consumer on the topic and report consume TPS (default: ${DEFAULT-VALUE}; --no-consumers to turn off).")
    boolean consumers;

    @Option(names = "--group", defaultValue = "bench_consumer",
            description = "Consumer group. A fixed group resumes where the previous run stopped, so a reused topic's"
                    + " old messages are not replayed (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--drain", defaultValue = "10",
            description = "After sending stops, wait at most this many seconds for the consumer to catch up (default: ${DEFAULT-VALUE}).")
    int drain;

    @Option(names = "--send-timeout-ms", defaultValue = "3000", description = "Producer sendMsgTimeout (default: ${DEFAULT-VALUE}).")
    int sendTimeoutMs;

    @Option(names = "--max-messages", defaultValue = "100000000",
            description = "Hard cap on sends in the whole run (default: ${DEFAULT-VALUE}).")
    long maxMessages;

    @Option(names = "--report-interval", defaultValue = "5", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    int reportInterval;

    @Option(names = "--label", description = "First column of the markdown row (default: the namesrv address).")
    String label;

    public static void main(String[] args) {
        ClientLogs.useProjectLogRootUnlessSet();
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String runId = Long.toString(ProcessHandle.current().pid()) + "_" + Long.toString(System.currentTimeMillis(), 36);
        long runStartMillis = System.currentTimeMillis();
        byte[] body = body(size);
        String target = label != null ? label : namesrv;

        out("mqbench: namesrv=%s topic=%s threads=%d size=%d B warmup=%d s duration=%d s consumer=%s (client log: %s)",
                namesrv, topic, threads, size, warmup, duration, consumers ? "on" : "off",
                System.getProperty(ClientLogs.LOG_ROOT_PROPERTY));

        DefaultMQProducer producer = new DefaultMQProducer("bench_producer");
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName("bench-producer-" + runId);
        producer.setSendMsgTimeout(sendTimeoutMs);
        producer.setDefaultTopicQueueNums(queues);
        producer.start();
        DefaultMQPushConsumer consumer = null;
        try {
            long prepared = prepareTopic(producer, body);
            ConsumeCounter counter = new ConsumeCounter(runStartMillis);
            if (consumers) {
                consumer = new DefaultMQPushConsumer(group);
                consumer.setNamesrvAddr(namesrv);
                consumer.setInstanceName("bench-consumer-" + runId);
                consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(counter);
                consumer.start();
            }
            BenchResult result = run(producer, consumer != null ? counter : null, body, target, prepared);
            System.out.println();
            System.out.print(result.summary());
            System.out.println();
            System.out.println(BenchResult.MARKDOWN_HEADER);
            System.out.println(result.markdownRow());
            return result.sentOk() > 0 ? 0 : 1;
        } finally {
            if (consumer != null) {
                consumer.shutdown();
            }
            producer.shutdown();
        }
    }

    private BenchResult run(DefaultMQProducer producer, ConsumeCounter counter, byte[] body, String target,
            long prepared) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong budget = new AtomicLong(maxMessages);
        Stop stop = new Stop();

        List<Thread> senders = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(new SendLoop(producer, topic, body, recorder, ok, failed, budget, stop::get),
                    "bench-send-" + i);
            t.setDaemon(true);
            senders.add(t);
        }
        long t0 = System.nanoTime();
        senders.forEach(Thread::start);

        Histogram interval = null;
        Histogram measured = new Histogram(3);
        Histogram sinceReport = new Histogram(3);
        long measureStartNanos = t0;
        long okAtStart = 0;
        long failedAtStart = 0;
        long consumedAtStart = counter != null ? counter.current() : 0;
        long lastReportNanos = t0;
        long okAtReport = 0;
        long failedAtReport = 0;
        long consumedAtReport = consumedAtStart;
        int ticks = warmup + duration;
        long endNanos = t0;
        for (int tick = 1; tick <= ticks; tick++) {
            sleepUntil(t0 + TimeUnit.SECONDS.toNanos(tick));
            long now = System.nanoTime();
            interval = recorder.getIntervalHistogram(interval);
            long okNow = ok.sum();
            long failedNow = failed.sum();
            long consumedNow = counter != null ? counter.current() : 0;
            boolean measuring = tick > warmup;
            if (measuring) {
                measured.add(interval);
            }
            sinceReport.add(interval);
            if (tick == warmup) {
                measureStartNanos = now;
                okAtStart = okNow;
                failedAtStart = failedNow;
                consumedAtStart = consumedNow;
            }
            if (tick % reportInterval == 0 || tick == warmup || tick == ticks || okNow + failedNow >= maxMessages) {
                double secs = (now - lastReportNanos) / 1e9;
                out("[%4ds %-7s] send %8.0f/s  p99 %s ms  failed %d%s", tick, measuring ? "measure" : "warmup",
                        (okNow - okAtReport) / secs,
                        BenchResult.ms(sinceReport.getTotalCount() == 0 ? 0 : sinceReport.getValueAtPercentile(99.0)),
                        failedNow - failedAtReport,
                        counter != null ? String.format(Locale.ROOT, "  consume %8.0f/s", (consumedNow - consumedAtReport) / secs) : "");
                sinceReport.reset();
                lastReportNanos = now;
                okAtReport = okNow;
                failedAtReport = failedNow;
                consumedAtReport = consumedNow;
            }
            endNanos = now;
            if (okNow + failedNow >= maxMessages) {
                out("--max-messages %d reached; stopping early", maxMessages);
                if (!measuring) { // nothing was measured: make the window empty rather than count warm-up
                    measureStartNanos = now;
                    okAtStart = okNow;
                    failedAtStart = failedNow;
                    consumedAtStart = consumedNow;
                }
                break;
            }
        }
        long okAtEnd = ok.sum();
        long failedAtEnd = failed.sum();
        long consumedAtEnd = counter != null ? counter.current() : 0;
        stop.set();
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : senders) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        if (failedAtStart > 0) {
            out("warning: %d sends failed during warm-up", failedAtStart);
        }

        long backlog = 0;
        long consumedTotal = 0;
        if (counter != null) {
            long expected = prepared + ok.sum();
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
            while (counter.current() < expected && System.nanoTime() < drainDeadline) {
                Thread.sleep(100);
            }
            consumedTotal = counter.current();
            backlog = Math.max(0, expected - consumedTotal);
            if (counter.stale() > 0) {
                out("note: consumer also received %d messages left in %s by earlier runs (not counted)", counter.stale(), topic);
            }
        }
        double measuredSeconds = (endNanos - measureStartNanos) / 1e9;
        return BenchResult.of(target, namesrv, topic, threads, size, measuredSeconds, measured,
                okAtEnd - okAtStart, failedAtEnd - failedAtStart,
                counter != null, consumedAtEnd - consumedAtStart, consumedTotal, backlog);
    }

    /** Makes sure the topic exists and has a route; returns how many messages this sent doing so. */
    private long prepareTopic(DefaultMQProducer producer, byte[] body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long sent = 0;
        if (createTopic) {
            producer.createTopic(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, topic, queues);
        } else {
            Exception last = null;
            while (sent == 0 && System.nanoTime() < deadline) {
                try {
                    SendResult r = producer.send(new Message(topic, "bench-prepare", body));
                    if (r.getSendStatus() == SendStatus.SEND_OK) {
                        sent = 1;
                    }
                } catch (Exception e) {
                    last = e;
                    Thread.sleep(500);
                }
            }
            if (sent == 0) {
                throw new IllegalStateException("could not send to topic " + topic + " within 30 s"
                        + " (is autoCreateTopicEnable on? try --create-topic)", last);
            }
        }
        List<MessageQueue> queuesSeen = List.of();
        while (System.nanoTime() < deadline) {
            try {
                queuesSeen = producer.fetchPublishMessageQueues(topic);
            } catch (Exception e) {
                queuesSeen = List.of();
            }
            if (!queuesSeen.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        if (queuesSeen.isEmpty()) {
            throw new IllegalStateException("nameserver " + namesrv + " has no route for topic " + topic + " after 30 s");
        }
        out("topic %s ready: %d write queues", topic, queuesSeen.size());
        return sent;
    }

    private void validate() {
        check(threads >= 1 && threads <= 1024, "--threads must be 1..1024");
        check(size >= 1 && size <= 4 * 1024 * 1024, "--size must be 1..4194304 bytes");
        check(duration >= 1 && duration <= 3600, "--duration must be 1..3600 seconds");
        check(warmup >= 0 && warmup <= 600, "--warmup must be 0..600 seconds");
        check(drain >= 0 && drain <= 300, "--drain must be 0..300 seconds");
        check(queues >= 1 && queues <= 1024, "--queues must be 1..1024");
        check(maxMessages >= 1, "--max-messages must be >= 1");
        check(reportInterval >= 1, "--report-interval must be >= 1");
        check(sendTimeoutMs >= 1, "--send-timeout-ms must be >= 1");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(new CommandLine(new Benchmark()), message);
        }
    }

    /** Printable random body, the same for every send of a run (bodies under 4 KiB are never compressed). */
    static byte[] body(int size) {
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(size);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return b;
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** Stop flag shared with the sender threads. */
    private static final class Stop {
        private volatile boolean stopped;

        boolean get() {
            return stopped;
        }

        void set() {
            stopped = true;
        }
    }
}
