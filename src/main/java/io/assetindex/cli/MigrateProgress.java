package io.assetindex.cli;

import io.assetindex.store.IndexCopy;
import java.io.PrintWriter;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code migrate} says on stderr while it copies: on a terminal a progress bar of the rows
 * (with rate and ETA) naming the table being copied; otherwise one line per table copied, for a log.
 */
final class MigrateProgress implements IndexCopy.Listener, AutoCloseable {
    private final boolean terminal;
    private final PrintWriter err;
    private ProgressBar bar;

    MigrateProgress(boolean terminal, PrintWriter err) {
        this.terminal = terminal;
        this.err = err;
    }

    @Override
    public void planned(Map<String, Long> rowsPerTable) {
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("Copying")
                    .setInitialMax(Math.max(1, rowsPerTable.values().stream().mapToLong(Long::longValue).sum()))
                    .setUnit(" rows", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
    }

    @Override
    public void copied(String table, long rows, long total) {
        if (bar != null) {
            bar.stepTo(total);
            bar.setExtraMessage(" " + table);
        }
    }

    @Override
    public void tableCopied(String table, long rows) {
        if (!terminal) {
            err.printf("migrate: %s: %,d row%s copied%n", table, rows, rows == 1 ? "" : "s");
            err.flush();
        }
    }

    @Override
    public void finishing() {
        if (bar != null) {
            bar.setExtraMessage(" building the keyword index, counting");
        } else {
            err.println("migrate: building the keyword index and counting every table");
            err.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
