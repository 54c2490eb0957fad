package io.cimle.e2e;

import org.junit.jupiter.api.Tag;

/**
 * The hostile-input suite with thousands of cases (long suite): {@code -Dcimle.fuzz.cases} (default
 * 3000 here) records for the generator, half as many pairs for the trainer and REST bodies.
 */
@Tag("long")
class BigFuzzLongTest extends HostileInputTest {
    @Override
    int cases() {
        return Integer.getInteger("cimle.fuzz.cases", 3000);
    }
}
