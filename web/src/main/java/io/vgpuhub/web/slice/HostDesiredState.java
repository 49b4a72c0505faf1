package io.vgpuhub.web.slice;

import java.util.List;

/** Everything a host should have, stamped with the generation it belongs to. */
public record HostDesiredState(long generation, List<DesiredDevice> devices) {
}
