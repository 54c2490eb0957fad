package io.cimle.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where the model runs, as users name it (cpu, gpu). Asking for a GPU that libtorch cannot see
 * fails here, loudly, instead of training or serving on the CPU without a word: a GPU pod whose
 * image carries the CPU libtorch, or whose device plugin gave it no GPU, must not look healthy.
 */
public enum ComputeDevice {
    CPU, GPU;

    /** cpu or gpu (any case); anything else names the valid values. */
    public static ComputeDevice byName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown device '" + name + "'; use cpu or gpu");
        }
    }

    /**
     * The DJL device; for GPU, only when a CUDA device is visible. {@link DevicePreflight} decides first,
     * without loading libtorch (a CUDA build on a machine with no visible GPU would otherwise fail with an
     * unrelated download error); then libtorch itself must agree.
     */
    public Device resolve() {
        return resolve(DevicePreflight.detect());
    }

    /** {@link #resolve()} against what {@code preflight} found. */
    public Device resolve(DevicePreflight preflight) {
        preflight.refusal(this).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        if (this == CPU) {
            return Device.cpu();
        }
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        if (gpus < 1) {
            throw new IllegalStateException("device gpu was asked for, but libtorch " + engine.getVersion()
                    + " finds no CUDA device: build with -Pcuda (the CUDA libtorch) and run where a GPU is visible "
                    + "(nvidia-smi; on Kubernetes the nvidia.com/gpu resource), or set the device to cpu");
        }
        return Device.gpu();
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
