package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {

    @Test
    void namesAreReadInAnyCaseAndATypoNamesTheValidValues() {
        assertEquals(ComputeDevice.GPU, ComputeDevice.byName(" GPU "));
        assertEquals(Device.cpu(), ComputeDevice.byName("cpu").resolve());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.byName("cuda"));
        assertTrue(e.getMessage().contains("use cpu or gpu"), e.getMessage());
    }

    /** On a machine without a CUDA device (every CI host here) asking for the GPU fails and says why. */
    @Test
    void aGpuThatIsNotThereIsRefusedLoudly() {
        Assumptions.assumeTrue(CudaUtils.getGpuCount() == 0, "this host has a GPU");
        IllegalStateException e = assertThrows(IllegalStateException.class, ComputeDevice.GPU::resolve);
        assertTrue(e.getMessage().startsWith("device gpu configured but no CUDA GPU is visible: "), e.getMessage());
    }
}
