package io.vgpuhub.web.inventory;

/** An inventory report contradicts itself (a GPU twice, overlapping MIG instances); nothing of it is stored. */
public class InventoryRefusedException extends RuntimeException {

    InventoryRefusedException(String message) {
        super(message);
    }
}
