package io.rocketcluster.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bin/mqclient: the smallest useful producer and consumer, built on the official RocketMQ client.
 *
 * <pre>
 *   mqclient send    -n 127.0.0.1:9876 -t Demo -m "hello" [--count N]
 *   mqclient receive -n 127.0.0.1:9876 -t Demo [-g group] [--count N] [--timeout s]
 * </pre>
 * Both take {@code --tls}, {@code --trust ca.pem} and {@code --access-key}/{@code --secret-key} (default
 * {@code $ROCKETMQ_ACCESS_KEY}/{@code $ROCKETMQ_SECRET_KEY}) for a secured cluster.
 */
@Command(name = "mqclient", mixinStandardHelpOptions = true, version = "mqclient 0.1.0",
        subcommands = {QuickClient.Send.class, QuickClient.Receive.class, CommandLine.HelpCommand.class},
        description = "Send or receive a few messages through the official RocketMQ client.")
public final class QuickClient implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ClientLogs.useProjectLogRootUnlessSet();
        System.exit(new CommandLine(new QuickClient()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: send or receive");
    }

    private static String pidTag() {
        return ProcessHandle.current().pid() + "_" + Long.toString(System.currentTimeMillis(), 36);
    }

    @Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Send messages synchronously and print each SendResult. Exit 0 if all were SEND_OK.")
    static final class Send implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-n", "--namesrv"}, defaultValue = "127.0.0.1:9876", description = "Nameserver address (default: ${DEFAULT-VALUE}).")
        String namesrv;

        @Option(names = {"-t", "--topic"}, required = true, description = "Topic (auto-created if the broker allows it).")
        String topic;

        @Option(names = {"-m", "--message"}, defaultValue = "Hello RocketCluster",
                description = "Body text; with --count > 1 each body gets ' #i' appended (default: ${DEFAULT-VALUE}).")
        String text;

        @Option(names = "--tags", defaultValue = "TagA", description = "Message tag (default: ${DEFAULT-VALUE}).")
        String tags;

        @Option(names = {"-k", "--keys"}, description = "Message keys (optional).")
        String keys;

        @Option(names = "--count", defaultValue = "1", description = "Messages to send, 1..1000000 (default: ${DEFAULT-VALUE}).")
        int count;

        @CommandLine.Mixin
        ClientSecurity security;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (count < 1 || count > 1_000_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 1..1000000");
            }
            DefaultMQProducer producer = new DefaultMQProducer("mqclient_producer", security.rpcHook());
            security.apply(producer);
            producer.setNamesrvAddr(namesrv);
            producer.setInstanceName("mqclient-" + pidTag());
            producer.start();
            int notOk = 0;
            try {
                for (int i = 0; i < count; i++) {
                    String body = count == 1 ? text : text + " #" + i;
                    Message msg = new Message(topic, tags, keys, body.getBytes(StandardCharsets.UTF_8));
                    try {
                        SendResult result = producer.send(msg);
                        System.out.println(result);
                        if (result.getSendStatus() != SendStatus.SEND_OK) {
                            notOk++;
                        }
                    } catch (Exception e) {
                        System.err.println("send failed: " + e);
                        notOk++;
                    }
                }
            } finally {
                producer.shutdown();
            }
            return notOk == 0 ? 0 : 1;
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Push-consume from the first offset and print each message.",
                "Exits 0 after --count messages, 1 if --timeout passes first."})
    static final class Receive implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-n", "--namesrv"}, defaultValue = "127.0.0.1:9876", description = "Nameserver address (default: ${DEFAULT-VALUE}).")
        String namesrv;

        @Option(names = {"-t", "--topic"}, required = true, description = "Topic.")
        String topic;

        @Option(names = {"-g", "--group"},
                description = "Consumer group (default: a new one per run, so it always starts at the topic's first message;"
                        + " name a group to resume where it left off).")
        String group;

        @Option(names = "--tags", defaultValue = "*", description = "Subscription expression (default: ${DEFAULT-VALUE}).")
        String subExpression;

        @Option(names = "--count", defaultValue = "1", description = "Messages to wait for, 1..1000000 (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait, 1..3600 (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @CommandLine.Mixin
        ClientSecurity security;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (count < 1 || count > 1_000_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 1..1000000");
            }
            if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be 1..3600");
            }
            String tag = pidTag();
            DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group != null ? group : "mqclient_receive_" + tag,
                    security.rpcHook(), new org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely());
            security.apply(consumer);
            consumer.setNamesrvAddr(namesrv);
            consumer.setInstanceName("mqclient-" + tag);
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            consumer.setConsumeThreadMin(1);
            consumer.setConsumeThreadMax(1);
            consumer.setConsumeMessageBatchMaxSize(1);
            consumer.subscribe(topic, subExpression);
            CountDownLatch done = new CountDownLatch(count);
            AtomicInteger received = new AtomicInteger();
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                    if (received.get() >= count) {
                        // Beyond --count (arrived while we shut down): hand it back instead of dropping it,
                        // so a named group still sees it next time.
                        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                    }
                    received.incrementAndGet();
                    System.out.println(format(m));
                    done.countDown();
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            boolean complete;
            try {
                complete = done.await(timeoutSeconds, TimeUnit.SECONDS);
            } finally {
                consumer.shutdown();
            }
            if (!complete) {
                System.err.printf("timed out after %d s with %d of %d messages%n", timeoutSeconds, received.get(), count);
                return 1;
            }
            return 0;
        }

        static String format(MessageExt m) {
            return "msgId=" + m.getMsgId()
                    + " topic=" + m.getTopic()
                    + " tags=" + m.getTags()
                    + " keys=" + m.getKeys()
                    + " queueId=" + m.getQueueId()
                    + " queueOffset=" + m.getQueueOffset()
                    + " body=" + new String(m.getBody(), StandardCharsets.UTF_8);
        }
    }
}
