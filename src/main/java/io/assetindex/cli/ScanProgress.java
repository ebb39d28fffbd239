package io.assetindex.cli;

import io.assetindex.index.FileOutcome;
import io.assetindex.scan.ScanListener;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of {@code scan}: bytes hashed (with rate and ETA, from the
 * progressbar library) and files done. It draws on the process's stderr, so stdout stays
 * clean; it is only used when stderr is a terminal, never under test.
 */
final class ScanProgress implements ScanListener {
    private static final long MIB = 1024 * 1024;

    private final AtomicLong filesDone = new AtomicLong();
    private volatile long filesPlanned;
    private volatile ProgressBar bar;

    @Override
    public void planned(long found, long files, long bytes) {
        if (files == 0) {
            return;
        }
        filesPlanned = files;
        bar = new ProgressBarBuilder()
                .setTaskName("Indexing")
                .setInitialMax(Math.max(bytes, 1))
                .setUnit(" MiB", MIB)
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        bar.setExtraMessage(filesMessage(0));
    }

    @Override
    public void finished(FileOutcome outcome, long sizeBytes) {
        ProgressBar current = bar;
        if (current != null) {
            current.stepBy(sizeBytes);
            current.setExtraMessage(filesMessage(filesDone.incrementAndGet()));
        }
    }

    private String filesMessage(long done) {
        return " " + done + "/" + filesPlanned + " files";
    }

    @Override
    public void close() {
        ProgressBar current = bar;
        if (current != null) {
            current.close();
        }
    }
}
