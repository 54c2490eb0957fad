package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The device decision as a pure function of what a machine and a build offer (no libtorch, no GPU needed). */
class DevicePreflightTest {
    private static final Set<String> CPU_BUILD = Set.of("cpu");
    private static final Set<String> CUDA_BUILD = Set.of("cu124");

    @Test
    void gpuWithNoVisibleGpuIsRefusedAndSaysWhatWasFound() {
        // The CUDA image on a node without a GPU: libcudart loads (it is in the image) but reports no device.
        String reason = new DevicePreflight(0, Optional.of("12.4"), CUDA_BUILD).refusal(ComputeDevice.GPU).orElseThrow();
        assertTrue(reason.startsWith("device gpu configured but no CUDA GPU is visible: "), reason);
        assertTrue(reason.contains("CUDA runtime 12.4, 0 GPUs visible, libtorch cu124"), reason);
        // No CUDA runtime at all: said as such.
        String none = new DevicePreflight(0, Optional.empty(), CUDA_BUILD).refusal(ComputeDevice.GPU).orElseThrow();
        assertTrue(none.contains("no CUDA runtime (libcudart) loadable, 0 GPUs visible"), none);
    }

    @Test
    void gpuWithAVisibleGpuButTheCpuLibtorchIsRefused() {
        String reason = new DevicePreflight(1, Optional.of("12.4"), CPU_BUILD).refusal(ComputeDevice.GPU).orElseThrow();
        assertTrue(reason.startsWith("device gpu configured but this build carries no CUDA libtorch: "), reason);
        assertTrue(reason.contains("1 GPU visible, libtorch cpu"), reason);
    }

    @Test
    void gpuWithAVisibleGpuAndTheCudaLibtorchPasses() {
        assertEquals(Optional.empty(), new DevicePreflight(1, Optional.of("12.4"), CUDA_BUILD).refusal(ComputeDevice.GPU));
        assertEquals(Optional.empty(), new DevicePreflight(8, Optional.of("12.8"), CUDA_BUILD).refusal(ComputeDevice.GPU));
    }

    @Test
    void cpuPassesWithTheCpuLibtorchWhateverTheGpus() {
        assertEquals(Optional.empty(), new DevicePreflight(0, Optional.empty(), CPU_BUILD).refusal(ComputeDevice.CPU));
        assertEquals(Optional.empty(), new DevicePreflight(2, Optional.of("12.4"), CPU_BUILD).refusal(ComputeDevice.CPU));
        // The CUDA libtorch runs CPU tensors too, where DJL accepts it (a GPU is visible).
        assertEquals(Optional.empty(), new DevicePreflight(1, Optional.of("12.4"), CUDA_BUILD).refusal(ComputeDevice.CPU));
    }

    @Test
    void cpuWithOnlyTheCudaLibtorchAndNoGpuIsRefused() {
        String reason = new DevicePreflight(0, Optional.of("12.4"), CUDA_BUILD).refusal(ComputeDevice.CPU).orElseThrow();
        assertTrue(reason.startsWith("device cpu configured but this build carries only the CUDA libtorch"), reason);
    }

    @Test
    void resolveThrowsTheRefusalBeforeTouchingLibtorch() {
        // GPU refused by the preflight: libtorch is never asked (this would pass on a GPU host too).
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ComputeDevice.GPU.resolve(new DevicePreflight(0, Optional.empty(), CUDA_BUILD)));
        assertTrue(e.getMessage().startsWith("device gpu configured but no CUDA GPU is visible"), e.getMessage());
        assertEquals(Device.cpu(), ComputeDevice.CPU.resolve(new DevicePreflight(0, Optional.empty(), CPU_BUILD)));
    }

    @Test
    void detectReadsTheNativeJarOnThisClasspath() {
        // One native jar: pytorch-native-cpu by default, pytorch-native-cu124 under -Pcuda.
        Set<String> flavors = DevicePreflight.detect().bundledFlavors();
        assertEquals(1, flavors.size(), flavors.toString());
        assertTrue(flavors.iterator().next().matches("cpu|cu\\d{3}"), flavors.toString());
    }
}
