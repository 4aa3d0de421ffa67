package io.rocketcluster.admin;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/mqadmin <command> -n ns:9876 ...}: RocketMQ's admin commands with their names and flags,
 * speaking the remoting protocol directly to any RocketMQ 4.x compatible nameserver and broker.
 * Tables by default, {@code --json} for machines. Exit codes: 0 done, 1 a server refused or the
 * target does not exist, 2 usage error, 3 no server reachable.
 */
@Command(name = "mqadmin", mixinStandardHelpOptions = true, version = "RocketCluster mqadmin 0.1",
        description = "Administers RocketCluster or Apache RocketMQ 4.x clusters.",
        subcommands = {
                ClusterCommands.ClusterList.class, ClusterCommands.BrokerStatus.class,
                ClusterCommands.GetBrokerConfig.class, ClusterCommands.UpdateBrokerConfig.class,
                ClusterCommands.WipeWritePerm.class, ClusterCommands.AddWritePerm.class, ClusterCommands.ClusterRT.class,
                ClusterCommands.HaResolve.class,
                TopicCommands.TopicList.class, TopicCommands.TopicRoute.class, TopicCommands.TopicStatus.class,
                TopicCommands.UpdateTopic.class, TopicCommands.DeleteTopic.class,
                GroupCommands.UpdateSubGroup.class, GroupCommands.DeleteSubGroup.class,
                GroupCommands.ConsumerProgress.class, GroupCommands.ConsumerConnection.class,
                GroupCommands.ProducerConnection.class, GroupCommands.ResetOffsetByTime.class,
                MessageCommands.QueryMsgById.class, MessageCommands.QueryMsgByKey.class,
                MessageCommands.QueryMsgByOffset.class, StatsAll.class,
                CommandLine.HelpCommand.class})
public final class MqAdmin implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; the exit code. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new MqAdmin());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof AdminException a) {
                cmd.getErr().println("mqadmin " + cmd.getCommandName() + ": " + a.getMessage());
                if (a.exitCode() == AdminException.USAGE) {
                    cmd.usage(cmd.getErr());
                }
                return a.exitCode();
            }
            cmd.getErr().println("mqadmin " + cmd.getCommandName() + ": " + e);
            return AdminException.REFUSED;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("mqadmin: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return AdminException.USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        // no command given
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
