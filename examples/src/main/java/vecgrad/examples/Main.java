package vecgrad.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of the {@code ./vecgrad} launcher: dispatches to one {@link Command} per experiment. */
public final class Main {
    private Main() {}

    static List<Command> commands() {
        return List.of(
                new DemoCommand(),
                new ConformanceCommand(),
                new KMeansCommand(),
                new VqCommand(),
                new GmmCommand(),
                new TsneCommand(),
                new HclusterCommand(),
                new BenchCommand());
    }

    public static void main(String[] args) throws Exception {
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command command : commands()) {
            byName.put(command.name(), command);
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.println(overview(byName));
            System.exit(args.length == 0 ? 0 : 0);
            return;
        }
        Command command = byName.get(args[0]);
        if (command == null) {
            System.err.println("vecgrad: unknown command '" + args[0] + "'\n\n" + overview(byName));
            System.exit(2);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            System.out.println(command.usage());
            System.exit(0);
            return;
        }
        int status;
        try {
            status = command.run(rest);
        } catch (IllegalArgumentException e) {
            System.err.println("vecgrad " + command.name() + ": " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    private static String overview(Map<String, Command> byName) {
        StringBuilder text = new StringBuilder("usage: ./vecgrad <command> [options]   (./vecgrad <command> --help)\n\ncommands:\n");
        for (Command command : byName.values()) {
            text.append(String.format("  %-12s %s%n", command.name(), command.summary()));
        }
        return text.toString().stripTrailing();
    }
}
