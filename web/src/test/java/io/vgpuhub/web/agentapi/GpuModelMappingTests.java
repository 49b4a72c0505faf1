package io.vgpuhub.web.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.inventory.ReportedGpu;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NVML's board names become the catalog's model names, so that a reported GPU matches its offerings. */
class GpuModelMappingTests {

    @ParameterizedTest(name = "\"{0}\" with {1} MiB is {2}")
    @CsvSource({
            "NVIDIA A40,                 46068, A40",
            "NVIDIA A100-SXM4-40GB,      40960, A100-40GB",
            "NVIDIA A100-PCIE-40GB,      40960, A100-40GB",
            "NVIDIA A100 80GB PCIe,      81920, A100-80GB",
            "NVIDIA A100-SXM4-80GB,      81920, A100-80GB",
            "NVIDIA H100 PCIe,           81559, H100-80GB",
            "NVIDIA H100 80GB HBM3,      81559, H100-80GB",
            "NVIDIA A30,                 24576, A30",
            "NVIDIA A10,                 23028, A10",
            "NVIDIA L40S,                46068, L40S",
            "NVIDIA A16,                 15356, A16",
            "Tesla T4,                   15360, T4",
    })
    void knownBoardNamesMapToTheirCatalogModel(String nvmlName, int memoryMib, String model) {
        assertThat(model(nvmlName, memoryMib)).isEqualTo(model);
    }

    @ParameterizedTest(name = "\"{0}\" with {1} MiB is {2}")
    @CsvSource({
            // An A100 name not in the list: its memory tells the 40 GB board from the 80 GB one.
            "NVIDIA A100-SXM4-40GB-LC,   40536, A100-40GB",
            "NVIDIA A100 PCIe,           81251, A100-80GB",
            "NVIDIA A100 PCIe,           40536, A100-40GB",
            // Other boards keep their name without the vendor prefix.
            "NVIDIA L40,                 46068, L40",
            "NVIDIA A10G,                23028, A10G",
            "NVIDIA A100X,               81920, A100X",
            "NVIDIA H100 NVL,            95830, H100 NVL",
            "  NVIDIA   RTX A6000 ,      49140, RTX A6000",
            "Quadro RTX 8000,            49152, Quadro RTX 8000",
    })
    void otherNamesLoseTheVendorPrefixAndA100sAreToldApartByMemory(String nvmlName, int memoryMib, String model) {
        assertThat(model(nvmlName, memoryMib)).isEqualTo(model);
    }

    private static String model(String nvmlName, int memoryMib) {
        return new ReportedGpu("0000:41:00.0", "GPU-00000000-0000-0000-0000-000000000000", nvmlName, memoryMib,
                SliceKind.VGPU, List.of()).model();
    }
}
