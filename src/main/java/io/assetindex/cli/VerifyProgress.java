package io.assetindex.cli;

import io.assetindex.maintain.Verifier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of {@code verify}: paths checked, or with {@code --rehash} bytes
 * read (with rate and ETA). Drawn on stderr, only when stderr is a terminal.
 */
final class VerifyProgress implements Verifier.Progress {
    private static final long MIB = 1024 * 1024;

    private ProgressBar bar;
    private boolean byBytes;

    @Override
    public void planned(long paths, long bytes) {
        byBytes = bytes > 0;
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(byBytes ? "Rehashing" : "Checking")
                .setInitialMax(Math.max(byBytes ? bytes : paths, 1))
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
        if (byBytes) {
            builder.setUnit(" MiB", MIB);
        }
        bar = builder.build();
    }

    @Override
    public void checked(long bytes) {
        if (bar != null) {
            bar.stepBy(byBytes ? bytes : 1);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
