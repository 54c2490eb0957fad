package io.cimle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cimle.core.training.CodeSelection;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.LossWeights;
import io.cimle.core.training.Setting;
import io.cimle.core.training.SettingValues;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The test that fails when a setting declared in the core is not an option of the commands that train. */
class ImleOptionsTest {
    @Command(name = "probe")
    static final class Probe implements ImleOptions.Budgeted {
        @Mixin
        ImleOptions imle;

        @Override
        public ImleConfig budget() {
            return ImleConfig.DEFAULT.withSteps(7);
        }
    }

    private static ImleConfig parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.imle.apply(p.budget());
    }

    @Test
    void everyDeclaredSettingIsAnOptionThatSetsIt() {
        for (Setting<?> s : ImleConfig.SETTINGS) {
            Object other = SettingValues.otherThanDefault(s);
            ImleConfig c = parse("--" + s.name(), s.format(other));
            assertEquals(other, c.get(s), "--" + s.name());
            CommandLine.Model.OptionSpec option = new CommandLine(new Probe()).getCommandSpec().findOption("--" + s.name());
            assertNotNull(option, s.name());
        }
    }

    @Test
    void leftOutMeansTheBudgetAndBaseReferenceTheReferencesMethod() {
        assertEquals(ImleConfig.DEFAULT.withSteps(7), parse());
        ImleConfig reference = parse("--base", "reference");
        assertEquals(CodeSelection.FLAT, reference.selection());
        assertEquals(LossWeights.RARITY, reference.lossWeights());
        assertEquals(7, reference.steps(), "the budget stays");
        assertEquals(false, parse("--no-loss-rebalancing").lossRebalancing());
        assertEquals(1e-3, parse("--lr", "1e-3").learningRate());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--candidates", "0"));
        assertEquals("--candidates must be an integer >= 1, got 0", e.getMessage());
        String help = new CommandLine(new Probe()).getUsageMessage();
        assertEquals(true, help.contains("Training settings left out: K 7, selection regional"), help);
    }
}
