package io.assetindex.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT for the daemon. The JVM's own handling would run shutdown hooks and then
 * exit with 143 or 130, which service managers count as a failure; handling the signals here
 * lets the watcher stop cleanly and exit 0. A second signal while stopping ends the process
 * at once (exit 130), for someone at a terminal who does not want to wait.
 *
 * <p>{@code sun.misc.Signal} is in the {@code jdk.unsupported} module, kept available for
 * this use by JEP 260 until a supported API exists; javac warns about it at build time.
 */
final class Signals {
    private Signals() {}

    static void onTermination(Runnable stop) {
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (stopping.compareAndSet(false, true)) {
                stop.run();
            } else {
                Runtime.getRuntime().halt(130);
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // Not on this platform (Windows has no TERM): the JVM's default handling stays.
            }
        }
    }
}
