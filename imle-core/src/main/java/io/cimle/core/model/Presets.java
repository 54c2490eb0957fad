package io.cimle.core.model;

import java.util.List;
import java.util.Locale;

/**
 * Named architectures. {@code paper} is the published model; the smaller ones keep the shape of
 * the cascade at lower resolution with narrow widths (multiples of 16, see the oneDNN note in
 * stack.md) so they train on CPUs.
 */
public final class Presets {
    public static final List<String> NAMES = List.of("tiny", "small", "medium", "paper");

    private Presets() {
    }

    /** 256x512, modules 4x8 .. 256x512: 1024 channels below height 128, 512 at 128 and 256. */
    public static ModelConfig paper(int channels) {
        return of("paper", 256, 512, channels, ModelConfig.DEFAULT_ENCODER_WIDTH,
                new int[] {1024, 1024, 1024, 1024, 1024, 512, 512});
    }

    /** 64x128, five modules. */
    public static ModelConfig medium(int channels) {
        return of("medium", 64, 128, channels, 32, new int[] {96, 96, 64, 48, 32});
    }

    /** 32x64, four modules. */
    public static ModelConfig small(int channels) {
        return of("small", 32, 64, channels, 32, new int[] {64, 64, 48, 32});
    }

    /** 16x32, three modules: for tests and smoke runs. */
    public static ModelConfig tiny(int channels) {
        return of("tiny", 16, 32, channels, 16, new int[] {32, 32, 32});
    }

    public static ModelConfig byName(String name, int channels) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "tiny" -> tiny(channels);
            case "small" -> small(channels);
            case "medium" -> medium(channels);
            case "paper" -> paper(channels);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "'; valid presets: "
                    + String.join(", ", NAMES));
        };
    }

    private static ModelConfig of(String name, int height, int width, int channels, int encoderWidth, int[] modules) {
        return new ModelConfig(name, height, width, channels, ModelConfig.DEFAULT_NOISE_CHANNELS, NoiseMode.ENCODER,
                ModelConfig.DEFAULT_NOISE_VECTOR_DIM, encoderWidth, modules, ModelConfig.DEFAULT_LEAKY_SLOPE);
    }
}
