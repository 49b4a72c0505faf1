package io.vgpuhub.web.slice;

import java.util.List;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * Everything a host should have, stamped with the generation it belongs to.
 *
 * @param gpus    the mode the operator wants for each GPU of the host
 * @param devices the devices that should exist
 */
public record HostDesiredState(long generation, List<Gpu> gpus, List<DesiredDevice> devices) {

    public record Gpu(String pciAddress, SliceKind mode) {
    }
}
