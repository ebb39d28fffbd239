package io.assetindex.index;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Outcomes of files counted by kind, with the integrity verdicts among them and the bytes hashed; safe to add to from workers. */
public final class OutcomeCounts {
    private final Map<FileOutcome.Kind, LongAdder> byKind = new EnumMap<>(FileOutcome.Kind.class);
    private final Map<FileOutcome.Integrity, LongAdder> byVerdict = new EnumMap<>(FileOutcome.Integrity.class);
    private final LongAdder bytesHashed = new LongAdder();

    public OutcomeCounts() {
        for (FileOutcome.Kind kind : FileOutcome.Kind.values()) {
            byKind.put(kind, new LongAdder());
        }
        for (FileOutcome.Integrity verdict : FileOutcome.Integrity.values()) {
            byVerdict.put(verdict, new LongAdder());
        }
    }

    public void add(FileOutcome outcome) {
        byKind.get(outcome.kind()).increment();
        byVerdict.get(outcome.integrity()).increment();
        bytesHashed.add(outcome.bytesHashed());
    }

    public long get(FileOutcome.Kind kind) {
        return byKind.get(kind).sum();
    }

    /** Files the integrity check judged corrupt, or found readable with warnings. */
    public long get(FileOutcome.Integrity verdict) {
        return byVerdict.get(verdict).sum();
    }

    public long bytesHashed() {
        return bytesHashed.sum();
    }
}
