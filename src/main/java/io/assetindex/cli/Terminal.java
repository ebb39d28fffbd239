package io.assetindex.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether output goes to a person at a terminal. */
final class Terminal {
    private Terminal() {}

    /**
     * True when the console is a terminal. Before JDK 22 {@code System.console()} is null unless
     * it is; from JDK 22 it is never null and {@code Console.isTerminal()} tells (called
     * reflectively, since the baseline is Java 17).
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
