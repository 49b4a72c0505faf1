package io.vgpuhub.agent.cli;

import java.io.PrintWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.vgpuhub.agent.HostAgent;

/** The {@code vgpuhub-agent} command line. Exit codes: 0 ok, 1 runtime failure (one-line reason), 2 usage. */
@Command(name = "vgpuhub-agent", mixinStandardHelpOptions = true, version = "vgpuhub-agent " + HostAgent.VERSION,
        description = "vGPU Hub host agent: provisions SR-IOV/mdev vGPUs the server asks for and meters them.",
        subcommands = { RunCommand.class, RestoreCommand.class, MdevCommand.class, MigCommand.class, DiscoverCommand.class,
                DoctorCommand.class })
public final class AgentCli implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AgentCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("vgpuhub-agent: " + oneLine(e));
            return 1;
        });
        return cli.execute(args);
    }

    /** Without a configuration file logback logs everything at DEBUG; operators want the agent's INFO lines. */
    private static void quietLibraryLogging() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root
                && System.getProperty("logback.configurationFile") == null) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
