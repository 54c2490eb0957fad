package io.cimle.cli;

import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The training settings as options of every command that trains (train, demo, bench toy): one option per
 * {@link ImleConfig#SETTINGS} entry, made from its declaration ({@code --candidates M}, {@code --selection
 * flat|regional}, booleans as {@code --name} / {@code --no-name}), so a setting declared in the core is an option
 * here without a line of its own. An option left out keeps the command's budget ({@link Budgeted}), which its
 * --help footer states.
 */
@Command(modelTransformer = ImleOptions.Declared.class)
public final class ImleOptions {
    /** A command that trains from a budget of its own: its --help footer lists what it sets. */
    public interface Budgeted {
        ImleConfig budget();
    }

    /** The command this is mixed into: picocli adds the declared options to it. */
    private CommandSpec mixee;

    @CommandLine.Option(names = "--base", paramLabel = "default|reference", description = "The settings an option "
            + "left out takes: default (this command's, with the best measured method) or reference (the paper's "
            + "configuration: flat selection, one code part per class, point-sampled noise, rarity weights).")
    String base;

    @Spec(Spec.Target.MIXEE)
    void mixee(CommandSpec spec) {
        this.mixee = spec;
        if (spec.userObject() instanceof Budgeted b) {
            List<String> footer = new ArrayList<>(List.of("", "Training settings left out: "
                    + b.budget().describe(ImleConfig.REFERENCE) + "; the others take the reference's value, given with "
                    + "each option. --base reference starts from the paper's configuration instead."));
            footer.addAll(List.of(spec.usageMessage().footer()));
            spec.usageMessage().footer(footer.toArray(String[]::new));
        }
    }

    /**
     * {@code budget} with every option given on the command line applied (each checked as its setting declares);
     * with {@code --base reference}, the budget's method settings first return to the reference's.
     */
    public ImleConfig apply(ImleConfig budget) {
        ImleConfig c = switch (base == null ? "default" : base) {
            case "default" -> budget;
            case "reference" -> budget.withReferenceMethod();
            default -> throw new IllegalArgumentException("--base must be default or reference, got '" + base + "'");
        };
        for (Setting<?> s : ImleConfig.SETTINGS) {
            String value = mixee.findOption("--" + s.name()).getValue();
            if (s.type() == Boolean.class && Boolean.TRUE.equals(mixee.findOption("--no-" + s.name()).getValue())) {
                value = "false";
            }
            if (value != null) {
                try {
                    c = c.withText(s, value);
                } catch (IllegalArgumentException e) {
                    // One line naming the option as it was written ("--candidates must be ...").
                    throw new IllegalArgumentException(e.getMessage().startsWith(s.name()) ? "--" + e.getMessage()
                            : e.getMessage(), e);
                }
            }
        }
        return c;
    }

    /** Declares the options from the settings, when picocli builds this mixin's model. */
    public static final class Declared implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (Setting<?> s : ImleConfig.SETTINGS) {
                spec.addOption(option(s));
                if (s.type() == Boolean.class) {
                    spec.addOption(OptionSpec.builder("--no-" + s.name()).type(Boolean.class).arity("0")
                            .description("The same as --" + s.name() + "=false.").build());
                }
            }
            return spec;
        }

        private static OptionSpec option(Setting<?> s) {
            List<String> names = new ArrayList<>(List.of("--" + s.name()));
            if (s == ImleConfig.LEARNING_RATE) {
                names.add("--lr"); // what every trainer's CLI calls it
            }
            OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new)).type(String.class)
                    .description(s.help() + (s.symbol().isEmpty() ? "" : " The paper's " + s.symbol() + ".") + " "
                            + capitalised(s.expected()) + "; the reference " + s.format(s.reference()) + ".");
            if (s.type() == Boolean.class) {
                b.arity("0..1").fallbackValue("true").paramLabel("true|false");
            } else {
                b.paramLabel(s.type().isEnum() ? String.join("|", s.choices())
                        : s.symbol().isEmpty() || s.symbol().contains("~") ? s.name().toUpperCase(Locale.ROOT)
                        .replace('-', '_') : s.symbol().replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT));
            }
            return b.build();
        }

        private static String capitalised(String text) {
            return Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }
    }
}
