package io.cimle.core.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A data set of (layout, photo) files. */
public interface DatasetReader {
    /** A layout file and its photo, under a name unique in the data set; {@code instances} null when none. */
    record Pair(String name, Path layout, Path photo, Path instances) {
        public Pair(String name, Path layout, Path photo) {
            this(name, layout, photo, null);
        }
    }

    /** Complete pairs, sorted by name, and the files whose partner is missing. */
    record Listing(List<Pair> pairs, List<DatasetReport.Skipped> unpaired) {
    }

    /** Everything read, with what was skipped. */
    record Loaded(List<Example> examples, DatasetReport report) {
    }

    String name();

    LabelSet labelSet();

    DatasetOptions options();

    Listing list();

    /** Reads and resizes one pair; a {@link DatasetException} names it if it is bad. */
    Example read(Pair pair);

    /** Reads all pairs; bad ones are skipped and reported, or fail the run, per the options. */
    default Loaded readAll() {
        Listing listing = list();
        List<DatasetReport.Skipped> skipped = new ArrayList<>();
        for (DatasetReport.Skipped s : listing.unpaired()) {
            if (options().badPairs() == BadPairPolicy.FAIL) {
                throw new DatasetException(s, null);
            }
            skipped.add(s);
        }
        List<Example> examples = new ArrayList<>(listing.pairs().size());
        for (Pair p : listing.pairs()) {
            try {
                examples.add(read(p));
            } catch (DatasetException e) {
                if (options().badPairs() == BadPairPolicy.FAIL || e.pair() == null) {
                    throw e;
                }
                skipped.add(e.pair());
            }
        }
        int listed = listing.pairs().size() + listing.unpaired().size();
        return new Loaded(examples, new DatasetReport(listed, examples.size(), skipped));
    }
}
