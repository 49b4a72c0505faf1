package io.vgpuhub.agent.sysfs;

/**
 * A device registered with the mdev core ({@code /sys/class/mdev_bus/<address>}).
 *
 * @param physicalFunction the PF's address when the parent is an SR-IOV VF, else null
 */
public record MdevParent(String address, String physicalFunction) {

    public boolean isVirtualFunction() {
        return physicalFunction != null;
    }
}
