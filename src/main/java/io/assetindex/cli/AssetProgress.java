package io.assetindex.cli;

import io.assetindex.index.Reanalyzer;
import io.assetindex.maintain.IndexImport;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of work counted in assets: re-analysis after scanning (one bar per
 * analyzer: AI enrichment, a changed model re-embedding every asset) and the merge of an import;
 * assets done of those due, with rate and ETA. On stderr, only when it is a terminal.
 */
final class AssetProgress implements Reanalyzer.Listener, IndexImport.Listener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void started(String analyzer, long total) {
        start("Re-analyzing (" + analyzer + ")", total);
    }

    @Override
    public void progressed(String analyzer, long done, long total) {
        stepTo(done);
    }

    @Override
    public void started(long assets) {
        start("Importing", assets);
    }

    @Override
    public void merged(long assets) {
        stepTo(assets);
    }

    private void start(String task, long total) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" assets", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    private void stepTo(long done) {
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
