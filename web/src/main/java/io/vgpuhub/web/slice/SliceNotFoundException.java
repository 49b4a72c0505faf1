package io.vgpuhub.web.slice;

import java.util.UUID;

/** No slice with this id is visible to the caller (it may exist for someone else). */
public class SliceNotFoundException extends RuntimeException {

    public SliceNotFoundException(UUID sliceId) {
        super("No slice " + sliceId);
    }
}
