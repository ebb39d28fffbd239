package io.assetindex.cli;

import io.assetindex.index.Reanalyzer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of {@code scan}'s re-analysis (a changed embedding model re-embeds
 * every asset): one bar per analyzer, assets done of those due, with rate and ETA. On stderr,
 * only when it is a terminal.
 */
final class ReanalysisProgress implements Reanalyzer.Listener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void started(String analyzer, long total) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName("Re-analyzing (" + analyzer + ")")
                .setInitialMax(total)
                .setUnit(" assets", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    @Override
    public void progressed(String analyzer, long done, long total) {
        if (bar != null) {
            bar.stepTo(done);
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
