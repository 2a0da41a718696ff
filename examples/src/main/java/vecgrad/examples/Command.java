package vecgrad.examples;

/** One subcommand of the {@code vecgrad} program. */
interface Command {
    /** Name typed on the command line. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text printed by {@code --help}. */
    String usage();

    /** Runs the command and returns the process exit status. */
    int run(String[] args) throws Exception;
}
